import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributeKey,
  type Attributes,
  CLIENT_SIZES,
  compareFit,
  FIT_ATTRIBUTES,
  type FitAttribute,
  type FitExample,
  isClientSize,
  likelihoodRatio,
  rankByFit,
  scoreFit,
  trainFit,
} from '../../src/domain/fit.ts';
import type { Segment } from '../../src/domain/stages.ts';

let nextId = 1;
const ex = (segment: Segment | null, a: Attributes = {}): FitExample => ({ clientId: nextId++, segment, ...a });
const times = (n: number, f: () => FitExample): FitExample[] => Array.from({ length: n }, f);

/** Six A clients in logistics, mostly small and in Sofia; twenty others, mostly retail, large, Plovdiv; one unclassified. */
const training = (): FitExample[] => [
  ...times(4, () => ex('A', { industry: 'logistics', region: 'Sofia', size: 'small' })),
  ex('A', { industry: 'logistics', region: 'Varna', size: 'medium' }),
  ex('A', { industry: 'Logistics ', region: null, size: 'small' }),
  ...times(12, () => ex('C', { industry: 'retail', region: 'Plovdiv', size: 'large' })),
  ...times(5, () => ex('B', { industry: 'retail', region: 'Sofia', size: 'small' })),
  ex('B', { industry: 'logistics', region: 'Plovdiv', size: 'large' }),
  ex('C', { industry: 'energy', region: 'Varna', size: 'micro' }),
  ex('C', {}),
  ex(null, { industry: 'logistics', region: 'Sofia', size: 'small' }), // not classified: left out
];

describe('fit: an explainable look-alike score (SPEC §7)', () => {
  const model = trainFit(training());

  it('counts classified clients only, A against the rest', () => {
    expect(model.aClients).toBe(6);
    expect(model.restClients).toBe(20);
    expect(model.tables.industry.restKnown).toBe(19);
    expect(model.tables.industry.aKnown).toBe(6);
    expect(model.tables.region.aKnown).toBe(5);
    expect(model.usable).toEqual(['industry', 'region', 'size']);
  });

  it('trains the same from grouped counts as from one example per client (the wiring groups in SQL)', () => {
    const groups = new Map<string, FitExample>();
    for (const e of training()) {
      const k = JSON.stringify([e.segment, e.industry ?? null, e.region ?? null, e.size ?? null]);
      const g = groups.get(k);
      if (g) g.weight = (g.weight ?? 1) + 1;
      else groups.set(k, { ...e, weight: 1 });
    }
    expect(groups.size).toBeLessThan(training().length);
    const grouped = trainFit([...groups.values()]);
    expect(grouped.aClients).toBe(model.aClients);
    expect(grouped.restClients).toBe(model.restClients);
    const lead = { industry: 'logistics', region: 'Plovdiv', size: 'large' };
    expect(scoreFit(grouped, lead)).toEqual(scoreFit(model, lead));
    expect(() => trainFit([{ ...ex('A'), weight: -1 }])).toThrow(RangeError);
  });

  it('scores a lead like the A clients high and one like the rest low, with the attributes that moved it', () => {
    const high = scoreFit(model, { industry: 'logistics', region: 'Sofia', size: 'small' });
    const low = scoreFit(model, { industry: 'retail', region: 'Plovdiv', size: 'large' });
    expect(high.kind === 'score' && high.score).toBeGreaterThan(90);
    expect(low.kind === 'score' && low.score).toBeLessThan(10);
    expect(high.kind === 'score' && high.drivers.map((d) => [d.attribute, d.value, d.direction])).toEqual([
      ['industry', 'logistics', 'up'],
      ['size', 'small', 'up'],
      ['region', 'Sofia', 'up'],
    ]);
    // industry logistics, three values seen: A (6 + 1) / (6 + 3), the rest (1 + 1) / (19 + 3)
    expect(likelihoodRatio(model, 'industry', 'logistics')).toBeCloseTo(7 / 9 / (2 / 22), 12);
    expect(high.kind === 'score' && high.drivers[0]).toMatchObject({ aWith: 6, aKnown: 6, restWith: 1, restKnown: 19 });
  });

  it('shows attributes that lowered the score with their direction', () => {
    const r = scoreFit(model, { industry: 'logistics', size: 'large' });
    expect(r.kind === 'score' && r.drivers.map((d) => `${d.attribute}:${d.direction}`)).toEqual(['industry:up', 'size:down']);
  });

  it('treats missing values and values nobody has as neutral: no attribute at all is unknown', () => {
    expect(scoreFit(model, {})).toEqual({ kind: 'unknown', missing: ['industry', 'region', 'size'] });
    expect(scoreFit(model, { industry: '  ', region: null })).toMatchObject({ kind: 'unknown' });
    const one = scoreFit(model, { industry: 'logistics' });
    const withUnseen = scoreFit(model, { industry: 'logistics', region: 'Ruse', size: null });
    expect(one.kind === 'score' && withUnseen.kind === 'score' && withUnseen.probability).toBe(one.kind === 'score' && one.probability);
    expect(withUnseen.kind === 'score' && withUnseen.drivers.map((d) => d.attribute)).toEqual(['industry']);
    const neutral = scoreFit(model, { region: 'Ruse' });
    expect(neutral).toMatchObject({ kind: 'score', score: 50, drivers: [] });
  });

  it('compares values case- and space-insensitively', () => {
    expect(attributeKey('  Logistics\u00a0 Services ')).toBe('logistics services');
    expect(attributeKey('')).toBeNull();
    const a = scoreFit(model, { industry: 'LOGISTICS' });
    const b = scoreFit(model, { industry: 'logistics' });
    expect(a.kind === 'score' && a.score).toBe(b.kind === 'score' && b.score);
    expect(a.kind === 'score' && a.drivers[0]?.value).toBe('LOGISTICS');
  });

  it('says how many A clients it has when too few have any attribute recorded', () => {
    const small = trainFit([...times(3, () => ex('A', { industry: 'it' })), ex('A', { region: 'Sofia' }), ex('A'), ...times(10, () => ex('C', { industry: 'retail' }))]);
    expect(scoreFit(small, { industry: 'it' })).toEqual({ kind: 'too-few', aCount: 3, needed: 5 });
    expect(scoreFit(trainFit([]), {})).toEqual({ kind: 'too-few', aCount: 0, needed: 5 });
  });

  it('leaves out an attribute too few A clients have recorded', () => {
    const m = trainFit([...times(5, () => ex('A', { industry: 'it' })), ...times(4, () => ex('A', { region: 'Sofia' })), ...times(10, () => ex('C', { industry: 'retail', region: 'Ruse' }))]);
    expect(m.usable).toEqual(['industry']);
    expect(scoreFit(m, { region: 'Sofia' })).toEqual({ kind: 'unknown', missing: ['industry'] });
  });

  it('knows the EU size classes', () => {
    expect(CLIENT_SIZES).toEqual(['micro', 'small', 'medium', 'large']);
    expect(isClientSize('small')).toBe(true);
    expect(isClientSize('huge')).toBe(false);
  });
});

// ── Properties ──────────────────────────────────────────────────────────────────────────────

const POOL: Record<FitAttribute, string[]> = {
  industry: ['logistics', 'retail', 'energy', 'it', 'food', 'pharma'],
  region: ['Sofia', 'Plovdiv', 'Varna', 'Burgas', 'Ruse', 'Pleven'],
  size: [...CLIENT_SIZES],
};
const value = (attr: FitAttribute) => fc.option(fc.constantFrom(...POOL[attr]), { nil: null, freq: 4 });
const attrs: fc.Arbitrary<Attributes> = fc.record({ industry: value('industry'), region: value('region'), size: value('size') });
const segment = fc.constantFrom<Segment | null>('A', 'A', 'B', 'C', 'C', null);
const examples = fc.array(fc.tuple(segment, attrs), { maxLength: 80 }).map((rows) => rows.map(([s, a], i) => ({ clientId: i + 1, segment: s, ...a })));

/** Training where A clients take values from the first half of each pool and the rest from the second. */
const separated = fc
  .tuple(
    fc.array(fc.record({ industry: fc.constantFrom(...POOL.industry.slice(0, 3)), region: fc.constantFrom(...POOL.region.slice(0, 3)), size: fc.constantFrom('micro', 'small') }), { minLength: 5, maxLength: 40 }),
    fc.array(fc.record({ industry: fc.constantFrom(...POOL.industry.slice(3)), region: fc.constantFrom(...POOL.region.slice(3)), size: fc.constantFrom('medium', 'large') }), { minLength: 1, maxLength: 200 }),
    fc.array(fc.constantFrom<Segment>('B', 'C'), { minLength: 200, maxLength: 200 }),
  )
  .map(([a, rest, segs]) => [...a.map((x) => ({ ...x, segment: 'A' as Segment })), ...rest.map((x, i) => ({ ...x, segment: segs[i]! }))].map((x, i) => ({ clientId: i + 1, ...x })));

describe('fit: properties', () => {
  it('is a whole number from 0 to 100 whenever it is a score', () => {
    fc.assert(
      fc.property(examples, attrs, (train, lead) => {
        const r = scoreFit(trainFit(train), lead);
        if (r.kind !== 'score') return true;
        return Number.isInteger(r.score) && r.score >= 0 && r.score <= 100 && r.drivers.length <= 3 && r.probability > 0 && r.probability < 1;
      }),
    );
  });

  it('a lead that matches A on every attribute scores above one that matches none', () => {
    fc.assert(
      fc.property(separated, fc.nat(), fc.nat(), (train, i, j) => {
        const m = trainFit(train);
        const aOnes = train.filter((c) => c.segment === 'A');
        const rest = train.filter((c) => c.segment !== 'A');
        const like = aOnes[i % aOnes.length]!;
        const unlike = rest[j % rest.length]!;
        const hi = scoreFit(m, like);
        const lo = scoreFit(m, unlike);
        if (hi.kind !== 'score' || lo.kind !== 'score') return false;
        // Each attribute adds log((cA + k)(cR + k) / k²) > 0 to the difference of log-odds, so the
        // probability is always higher; the whole-number score can only tie where both round to
        // the same end (0 or 100). Not necessarily above 50: with one client in the rest,
        // smoothing can make a value held by one A client in forty look commoner in the rest.
        return hi.probability > lo.probability && (hi.score > lo.score || (hi.score === lo.score && (hi.score === 0 || hi.score === 100)));
      }),
    );
  });

  it('moves the right way with each attribute: a value commoner among A never lowers the score', () => {
    fc.assert(
      fc.property(examples, attrs, fc.constantFrom(...FIT_ATTRIBUTES), fc.constantFrom(0, 1, 2, 3, 4, 5), fc.constantFrom(0, 1, 2, 3, 4, 5), (train, lead, attr, x, y) => {
        const m = trainFit(train);
        const pool = POOL[attr];
        const v1 = pool[x % pool.length]!;
        const v2 = pool[y % pool.length]!;
        const r1 = scoreFit(m, { ...lead, [attr]: v1 });
        const r2 = scoreFit(m, { ...lead, [attr]: v2 });
        const missing = scoreFit(m, { ...lead, [attr]: null });
        if (r1.kind !== 'score' || r2.kind !== 'score') return r1.kind === r2.kind;
        const lr1 = m.usable.includes(attr) ? likelihoodRatio(m, attr, attributeKey(v1)!) : 1;
        const lr2 = m.usable.includes(attr) ? likelihoodRatio(m, attr, attributeKey(v2)!) : 1;
        if (lr1 > lr2 && !(r1.probability > r2.probability && r1.score >= r2.score)) return false;
        if (lr1 === lr2 && r1.probability !== r2.probability) return false;
        // Against the attribute left blank: up when the value is commoner among A, down when rarer.
        const base = missing.kind === 'score' ? missing.probability : 0.5;
        if (lr1 > 1 && !(r1.probability > base)) return false;
        if (lr1 < 1 && !(r1.probability < base)) return false;
        const d = r1.drivers.find((x) => x.attribute === attr);
        return lr1 === 1 ? d === undefined : d?.direction === (lr1 > 1 ? 'up' : 'down');
      }),
    );
  });

  it('ranks in the same order whatever order the leads come in, ties by client id', () => {
    fc.assert(
      fc.property(examples, fc.array(attrs, { maxLength: 30 }), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (train, leadAttrs, keys) => {
        const m = trainFit(train);
        const leads = leadAttrs.map((a, i) => ({ clientId: i + 1, ...a }));
        const shuffled = leads.map((l, i) => [keys[i]!, l] as const).sort((p, q) => p[0] - q[0]).map(([, l]) => l);
        const a = rankByFit(m, leads).map((l) => l.clientId);
        const b = rankByFit(m, shuffled).map((l) => l.clientId);
        if (a.join() !== b.join()) return false;
        const ranked = rankByFit(m, leads);
        for (let i = 1; i < ranked.length; i++) if (compareFit(ranked[i - 1]!, ranked[i]!) > 0) return false;
        return true;
      }),
    );
  });

  it('puts equal scores in client id order and leads without a score last', () => {
    const m = trainFit(training());
    const ranked = rankByFit(m, [
      { clientId: 5, industry: 'retail' },
      { clientId: 2 },
      { clientId: 4, industry: 'logistics' },
      { clientId: 3, industry: 'logistics' },
      { clientId: 1 },
    ]);
    expect(ranked.map((r) => r.clientId)).toEqual([3, 4, 5, 1, 2]);
  });
});
