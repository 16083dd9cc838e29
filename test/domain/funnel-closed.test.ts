import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedBefore, convertedOneByOne, type ClosedDealGroup, type DealFact, DEFAULT_STAGE_PROBABILITIES, funnel, type FunnelOptions } from '../../src/domain/funnel.ts';
import { retentionBySegment, retentionOf, type SaleMark } from '../../src/domain/repeat.ts';
import { STAGES, type Segment } from '../../src/domain/stages.ts';

/**
 * funnel()'s closed deals (src/repos/funnel.ts reads them as counts and values): counting the
 * deals closedBefore picks out as ClosedDealGroups, each value one by one or (in a currency that
 * converts in proportion) summed, gives the very report of every deal; and retentionOf from each
 * client's presence gives retentionBySegment's figures.
 */
const PERIOD = { from: 1_000_000, to: 2_000_000 };
const at = fc.oneof(fc.constantFrom(PERIOD.from - 1, PERIOD.from, PERIOD.to - 1, PERIOD.to), fc.integer({ min: 0, max: 3_000_000 }));
const stage = fc.constantFrom(...STAGES);
const dealArb: fc.Arbitrary<DealFact> = fc.record({
  id: fc.nat(),
  ownerId: fc.constantFrom('U1', 'U2', 'U3'),
  stage,
  valueMinor: fc.option(fc.integer({ min: -1000, max: 10_000_000 })),
  currency: fc.option(fc.constantFrom('EUR', 'BGN', 'USD', 'GBP')),
  expectedClose: fc.constant(null),
  createdAt: at,
  history: fc.array(fc.record({ from: fc.option(stage), to: stage, at }), { maxLength: 4 }),
});
const OPTIONS: FunnelOptions[] = [
  { baseCurrency: 'EUR', rates: { USD: 0.5 }, changeover: { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' }, probabilities: { ...DEFAULT_STAGE_PROBABILITIES } },
  { baseCurrency: 'USD', rates: { EUR: 1.25, BGN: 0.625 }, changeover: { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' }, probabilities: { ...DEFAULT_STAGE_PROBABILITIES } },
];

function groups(closed: DealFact[], opts: FunnelOptions): ClosedDealGroup[] {
  const by = new Map<string, ClosedDealGroup & { valuesMinor: number[] }>();
  for (const d of closed) {
    const key = `${d.ownerId}|${d.stage}|${d.currency}`;
    let g = by.get(key);
    if (!g) by.set(key, (g = { ownerId: d.ownerId, stage: d.stage, currency: d.currency, deals: 0, valued: 0, valuesMinor: [] }));
    g.deals++;
    if (d.currency !== null && d.valueMinor !== null) {
      g.valued++;
      g.valuesMinor.push(d.valueMinor);
    }
  }
  // Sums where the currency converts in proportion, as SQL sums them.
  return [...by.values()].map((g) => (g.currency === convertedOneByOne(opts) || g.valued === 0 ? g : { ...g, valuesMinor: [g.valuesMinor.reduce((a, b) => a + b, 0)] }));
}

describe('funnel with closed deals counted apart', () => {
  it('is the report of every deal', () => {
    fc.assert(
      fc.property(fc.array(dealArb, { maxLength: 30 }), fc.constantFrom(...OPTIONS), (deals, opts) => {
        const closed = deals.filter((d) => closedBefore(d, PERIOD));
        const rest = deals.filter((d) => !closedBefore(d, PERIOD));
        expect(funnel(rest, PERIOD, opts, groups(closed, opts))).toEqual(funnel(deals, PERIOD, opts));
      }),
      { numRuns: 500 },
    );
  });

  it('closes only deals at won or lost whose history ended before the period', () => {
    const d = (over: Partial<DealFact>): DealFact => ({ id: 1, ownerId: 'U1', stage: 'won', valueMinor: 1, currency: 'EUR', expectedClose: null, createdAt: 0, history: [], ...over });
    expect(closedBefore(d({}), PERIOD)).toBe(true);
    expect(closedBefore(d({ createdAt: PERIOD.from }), PERIOD)).toBe(false);
    expect(closedBefore(d({ stage: 'payment' }), PERIOD)).toBe(false);
    expect(closedBefore(d({ history: [{ from: 'payment', to: 'won', at: PERIOD.from - 1 }] }), PERIOD)).toBe(true);
    expect(closedBefore(d({ history: [{ from: 'payment', to: 'won', at: PERIOD.from }] }), PERIOD)).toBe(false);
    // The latest entry is into a stage still open: its stay runs on into the period.
    expect(closedBefore(d({ history: [{ from: 'payment', to: 'won', at: 10 }, { from: 'won', to: 'delivery', at: 20 }] }), PERIOD)).toBe(false);
  });
});

describe('retentionOf', () => {
  it('gives retentionBySegment from each client presence', () => {
    const last = { from: '2026-09-01', to: '2026-12-01' };
    const previous = { from: '2026-06-01', to: '2026-09-01' };
    const segment = fc.constantFrom<Segment | null>('A', 'B', 'C', null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ clientId: fc.integer({ min: 1, max: 12 }), dealId: fc.constant(null), issueDate: fc.constantFrom('2026-05-31', '2026-06-01', '2026-08-31', '2026-09-01', '2026-11-30', '2026-12-01'), amountMinor: fc.integer({ min: -5, max: 5 }) })),
        fc.array(segment, { minLength: 13, maxLength: 13 }),
        (sales: SaleMark[], segs) => {
          const segmentOf = new Map(segs.map((s, i) => [i, s]));
          const inside = (p: typeof last, id: number) => sales.some((s) => s.clientId === id && s.amountMinor > 0 && s.issueDate >= p.from && s.issueDate < p.to);
          const ids = [...new Set(sales.map((s) => s.clientId))].filter((id) => inside(last, id) || inside(previous, id));
          const presence = ids.map((id) => ({ segment: segmentOf.get(id) ?? null, inLast: inside(last, id), inPrevious: inside(previous, id) }));
          expect(retentionOf(presence)).toEqual(retentionBySegment(sales, segmentOf, last, previous));
        },
      ),
    );
  });
});
