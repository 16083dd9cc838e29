import { describe, expect, it } from 'vitest';
import {
  ABC_CRITERIA,
  type AbcPolicy,
  type AbcRow,
  classify,
  clientFigures,
  type ClientFigures,
  currencyConverter,
  defaultAbcPolicy,
  disciplineGoodness,
  type InvoiceFact,
  isAbcCriterion,
  segmentChanges,
} from '../../src/domain/abc.ts';
import type { Segment } from '../../src/domain/stages.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const AS_OF = Date.UTC(2024, 5, 30);

const policy = (over: Partial<AbcPolicy> = {}): AbcPolicy => ({ ...defaultAbcPolicy('EUR', { USD: 0.9, JPY: 0.006, KWD: 2.5 }), ...over });

function fig(clientId: number, over: Partial<ClientFigures> = {}): ClientFigures {
  return { clientId, revenueMinor: 0, marginMinor: 0, assortment: 0, daysLate: 0, invoices: 0, unconvertible: [], ...over };
}

function fact(clientId: number, amountMinor: number, over: Partial<InvoiceFact> = {}): InvoiceFact {
  return { clientId, amountMinor, currency: 'EUR', marginMinor: null, productLine: null, issuedAt: T0, dueAt: T0 + 30 * DAY, paidAt: T0 + 30 * DAY, ...over };
}

const segments = (rows: AbcRow[]): Record<number, Segment> => Object.fromEntries(rows.map((r) => [r.clientId, r.segment]));
const order = (rows: AbcRow[]): number[] => rows.map((r) => r.clientId);

describe('ABC by revenue: the Pareto cut', () => {
  // Ten clients, revenues 500,200,100,60,40,30,30,20,10,10 (total 1000), given out of order and
  // with ids that do not follow the ranking.
  const revenues: [number, number][] = [
    [7, 30],
    [3, 500],
    [10, 10],
    [1, 100],
    [8, 60],
    [5, 200],
    [2, 30],
    [9, 20],
    [4, 40],
    [6, 10],
  ];
  const rows = classify(
    revenues.map(([id, r]) => fig(id, { revenueMinor: r })),
    'revenue',
    policy(),
  );

  it('ranks by revenue descending, ties by clientId', () => {
    expect(order(rows)).toEqual([3, 5, 1, 8, 4, 2, 7, 9, 6, 10]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.map((r) => r.score)).toEqual([500, 200, 100, 60, 40, 30, 30, 20, 10, 10]);
  });

  it('gives exact shares and cumulative shares', () => {
    expect(rows.map((r) => r.share)).toEqual([0.5, 0.2, 0.1, 0.06, 0.04, 0.03, 0.03, 0.02, 0.01, 0.01]);
    expect(rows.map((r) => r.cumulativeShare)).toEqual([0.5, 0.7, 0.8, 0.86, 0.9, 0.93, 0.96, 0.98, 0.99, 1]);
  });

  it('cuts A before 80 % (the client reaching exactly 80 % is A), B before 95 %, C after', () => {
    expect(rows.map((r) => r.segment).join('')).toBe('AAABBBBCCC');
    expect(segments(rows)).toEqual({ 3: 'A', 5: 'A', 1: 'A', 8: 'B', 4: 'B', 2: 'B', 7: 'B', 9: 'C', 6: 'C', 10: 'C' });
  });

  it('keeps the client that crosses the A threshold in A (share before it counts, not after)', () => {
    const r = classify([fig(1, { revenueMinor: 70 }), fig(2, { revenueMinor: 20 }), fig(3, { revenueMinor: 10 })], 'revenue', policy());
    // 2 brings the cumulative share from 0.7 to 0.9 and is still A; 3 starts at 0.9 < 0.95: B.
    expect(r.map((x) => [x.clientId, x.segment, x.cumulativeShare])).toEqual([
      [1, 'A', 0.7],
      [2, 'A', 0.9],
      [3, 'B', 1],
    ]);
  });

  it('follows the policy thresholds', () => {
    const r = classify(revenues.map(([id, v]) => fig(id, { revenueMinor: v })), 'revenue', policy({ thresholds: { a: 0.5, b: 0.9 } }));
    // 200 starts at exactly 0.5 → B; the first 30 starts at exactly 0.9 → C.
    expect(r.map((x) => x.segment).join('')).toBe('ABBBBCCCCC');
  });

  it('refuses thresholds outside 0 < a ≤ b ≤ 1', () => {
    const f = [fig(1, { revenueMinor: 1 })];
    expect(() => classify(f, 'revenue', policy({ thresholds: { a: 0.96, b: 0.95 } }))).toThrow(RangeError);
    expect(() => classify(f, 'revenue', policy({ thresholds: { a: 0, b: 0.95 } }))).toThrow(RangeError);
    expect(() => classify(f, 'revenue', policy({ thresholds: { a: 0.8, b: 1.5 } }))).toThrow(RangeError);
  });
});

describe('ABC edge cases', () => {
  it('gives equal values at the A/B boundary the better segment', () => {
    // 60, 20, 20: the second 20 starts at 0.8 (would be B) but ties with an A.
    const r = classify([fig(5, { revenueMinor: 20 }), fig(1, { revenueMinor: 60 }), fig(2, { revenueMinor: 20 })], 'revenue', policy());
    expect(order(r)).toEqual([1, 2, 5]);
    expect(r.map((x) => x.segment)).toEqual(['A', 'A', 'A']);
  });

  it('gives equal values at the B/C boundary the better segment, whatever the input order', () => {
    // 50, 30, 10, 5, 5: the second 5 starts at 0.95 (would be C) but ties with a B.
    const input = [fig(1, { revenueMinor: 50 }), fig(2, { revenueMinor: 30 }), fig(3, { revenueMinor: 10 }), fig(9, { revenueMinor: 5 }), fig(4, { revenueMinor: 5 })];
    const r = classify(input, 'revenue', policy());
    expect(order(r)).toEqual([1, 2, 3, 4, 9]);
    expect(r.map((x) => x.segment).join('')).toBe('AABBB');
    expect(classify(input.slice().reverse(), 'revenue', policy())).toEqual(r);
    // Without the tie the last one is C.
    const r2 = classify([...input.slice(0, 4), fig(4, { revenueMinor: 4 })], 'revenue', policy());
    expect(r2.map((x) => x.segment).join('')).toBe('AABBC');
  });

  it('makes the only client with sales A', () => {
    const r = classify([fig(2), fig(1, { revenueMinor: 1 }), fig(3)], 'revenue', policy());
    expect(r.map((x) => [x.clientId, x.segment, x.share])).toEqual([
      [1, 'A', 1],
      [2, 'C', 0],
      [3, 'C', 0],
    ]);
  });

  it('makes clients with all-equal values all A', () => {
    const r = classify([1, 2, 3, 4].map((id) => fig(id, { revenueMinor: 250 })), 'revenue', policy());
    expect(r.map((x) => x.segment)).toEqual(['A', 'A', 'A', 'A']);
    expect(r.map((x) => x.share)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('puts clients without sales in C on every criterion, last, out of the shares', () => {
    const f = [
      fig(10, { revenueMinor: 0, marginMinor: 500, assortment: 9, daysLate: 0 }),
      fig(11, { revenueMinor: -100, marginMinor: -10, assortment: 1 }), // credit notes only
      fig(3, { revenueMinor: 300, marginMinor: 30, assortment: 1, daysLate: 2 }),
      fig(4, { revenueMinor: 100, marginMinor: 10, assortment: 1, daysLate: 5 }),
    ];
    for (const by of ABC_CRITERIA) {
      const r = classify(f, by, policy());
      expect(order(r).slice(2)).toEqual([10, 11]);
      for (const x of r.slice(2)) expect([x.segment, x.score, x.share, x.cumulativeShare]).toEqual(['C', 0, 0, 1]);
      expect(r[0]!.segment).toBe('A');
    }
    expect(classify(f, 'revenue', policy()).map((x) => x.share)).toEqual([0.75, 0.25, 0, 0]);
  });

  it('puts everyone in C when nobody sold anything', () => {
    const r = classify([fig(1), fig(2)], 'revenue', policy());
    expect(r.map((x) => [x.segment, x.share, x.cumulativeShare, x.rank])).toEqual([
      ['C', 0, 0, 1],
      ['C', 0, 0, 2],
    ]);
    expect(classify([], 'combined', policy())).toEqual([]);
  });

  it('never puts a client with a negative or zero margin in A or B, and keeps it out of the total', () => {
    const f = [
      fig(1, { revenueMinor: 1000, marginMinor: -50 }),
      fig(2, { revenueMinor: 1000, marginMinor: 300 }),
      fig(3, { revenueMinor: 1000, marginMinor: 100 }),
      fig(4, { revenueMinor: 1000, marginMinor: -10 }),
      fig(5, { revenueMinor: 1000, marginMinor: 0 }),
    ];
    const r = classify(f, 'margin', policy());
    expect(order(r)).toEqual([2, 3, 5, 4, 1]);
    expect(r.map((x) => x.score)).toEqual([300, 100, 0, -10, -50]);
    expect(r.map((x) => x.share)).toEqual([0.75, 0.25, 0, 0, 0]);
    expect(r.map((x) => x.segment).join('')).toBe('AACCC');
  });

  it('puts everyone in C on margin when no client has a positive margin', () => {
    const r = classify([fig(1, { revenueMinor: 10, marginMinor: -1 }), fig(2, { revenueMinor: 10, marginMinor: 0 })], 'margin', policy());
    expect(r.map((x) => x.segment)).toEqual(['C', 'C']);
  });

  it('ranks assortment by distinct product lines; none counts as C', () => {
    const f = [fig(1, { revenueMinor: 5, assortment: 6 }), fig(2, { revenueMinor: 5, assortment: 3 }), fig(3, { revenueMinor: 5, assortment: 1 }), fig(4, { revenueMinor: 5, assortment: 0 })];
    const r = classify(f, 'assortment', policy());
    // 6/10 → A; 3 starts at 0.6 → A; 1 starts at 0.9 → B; 0 → C.
    expect(r.map((x) => [x.clientId, x.segment])).toEqual([
      [1, 'A'],
      [2, 'A'],
      [3, 'B'],
      [4, 'C'],
    ]);
  });

  it('ranks discipline by goodness 1/(1+days late): never late on top', () => {
    expect([0, 1, 3, 99].map(disciplineGoodness)).toEqual([1, 0.5, 0.25, 0.01]);
    const f = [fig(1, { revenueMinor: 10, daysLate: 3 }), fig(2, { revenueMinor: 10, daysLate: 0 }), fig(3, { revenueMinor: 99999, daysLate: 99 }), fig(4, { revenueMinor: 10, daysLate: 1 }), fig(5, { revenueMinor: 1, daysLate: 0 }), fig(6, { daysLate: 0 })];
    const r = classify(f, 'discipline', policy());
    // Goodness 1, 1, .5, .25, .01 (total 2.76); the two never-late clients tie on top.
    expect(order(r)).toEqual([2, 5, 4, 1, 3, 6]);
    expect(r.map((x) => x.score)).toEqual([1, 1, 0.5, 0.25, 0.01, 0]);
    // 4 starts at 2/2.76 = .72 → A; 1 at 2.5/2.76 = .91 → B; 3 at 2.75/2.76 → C; 6 has no sales → C.
    expect(r.map((x) => x.segment).join('')).toBe('AAABCC');
    expect(r[2]!.share).toBeCloseTo(0.5 / 2.76, 12);
  });

  it('makes everyone A on discipline when everyone is always on time', () => {
    const r = classify([1, 2, 3].map((id) => fig(id, { revenueMinor: id * 100 })), 'discipline', policy());
    expect(r.map((x) => x.segment)).toEqual(['A', 'A', 'A']);
    expect(order(r)).toEqual([1, 2, 3]);
  });
});

describe('ABC combined', () => {
  const f = [
    fig(1, { revenueMinor: 1000, marginMinor: 100, assortment: 1, daysLate: 0 }),
    fig(2, { revenueMinor: 500, marginMinor: 400, assortment: 4, daysLate: 1 }),
    fig(3, { revenueMinor: 100, marginMinor: -50, assortment: 2, daysLate: 3 }),
    fig(4, { revenueMinor: 0, marginMinor: 0, assortment: 0, daysLate: 0 }),
  ];

  it('max-normalises each criterion and takes the weighted sum, weights normalised to sum 1', () => {
    // Weights 2:1:1:0 → .5 .25 .25 0.
    // 1: .5·1 + .25·(100/400) + .25·(1/4) = .625;  2: .5·.5 + .25·1 + .25·1 = .75;  3: .5·.1 + 0 + .25·.5 = .175
    const r = classify(f, 'combined', policy({ weights: { revenue: 2, margin: 1, assortment: 1, discipline: 0 } }));
    expect(order(r)).toEqual([2, 1, 3, 4]);
    const scores = r.map((x) => x.score);
    expect(scores[0]).toBeCloseTo(0.75, 12);
    expect(scores[1]).toBeCloseTo(0.625, 12);
    expect(scores[2]).toBeCloseTo(0.175, 12);
    expect(scores[3]).toBe(0);
    // Total 1.55: 2 starts at 0 → A; 1 at .48 → A; 3 at .887 → B; 4 no sales → C.
    expect(r.map((x) => x.segment).join('')).toBe('AABC');
    expect(r[0]!.share).toBeCloseTo(0.75 / 1.55, 12);
    expect(r[2]!.cumulativeShare).toBeCloseTo(1, 12);
  });

  it('scales weights: 20:10:10:0 scores like 2:1:1:0', () => {
    const a = classify(f, 'combined', policy({ weights: { revenue: 2, margin: 1, assortment: 1, discipline: 0 } }));
    const b = classify(f, 'combined', policy({ weights: { revenue: 20, margin: 10, assortment: 10, discipline: 0 } }));
    expect(b.map((x) => x.score)).toEqual(a.map((x) => x.score));
  });

  it('uses discipline goodness as is (1 = never late), not max-normalised', () => {
    const r = classify(f, 'combined', policy({ weights: { revenue: 0, margin: 0, assortment: 0, discipline: 1 } }));
    expect(r.map((x) => [x.clientId, x.score])).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 0.25],
      [4, 0],
    ]);
    const late = classify([fig(1, { revenueMinor: 1, daysLate: 1 }), fig(2, { revenueMinor: 1, daysLate: 3 })], 'combined', policy({ weights: { revenue: 0, margin: 0, assortment: 0, discipline: 1 } }));
    expect(late.map((x) => x.score)).toEqual([0.5, 0.25]);
  });

  it('with weight on revenue only, ranks like revenue with scores revenue / max revenue', () => {
    const r = classify(f, 'combined', policy({ weights: { revenue: 1, margin: 0, assortment: 0, discipline: 0 } }));
    expect(r.map((x) => x.score)).toEqual([1, 0.5, 0.1, 0]);
    expect(r.map((x) => x.segment)).toEqual(classify(f, 'revenue', policy()).map((x) => x.segment));
  });

  it('counts margin 0 for everyone when no client has a positive margin', () => {
    const g = [fig(1, { revenueMinor: 100, marginMinor: -5, assortment: 1 }), fig(2, { revenueMinor: 50, marginMinor: 0, assortment: 1 })];
    const r = classify(g, 'combined', policy({ weights: { revenue: 1, margin: 1, assortment: 0, discipline: 0 } }));
    expect(r.map((x) => x.score)).toEqual([0.5, 0.25]);
  });

  it('with default (equal) weights gives each criterion a quarter', () => {
    const r = classify(f, 'combined', policy());
    // 1: (1 + .25 + .25 + 1)/4 = .625;  2: (.5 + 1 + 1 + .5)/4 = .75;  3: (.1 + 0 + .5 + .25)/4 = .2125
    expect(r.map((x) => x.clientId)).toEqual([2, 1, 3, 4]);
    expect(r[0]!.score).toBeCloseTo(0.75, 12);
    expect(r[1]!.score).toBeCloseTo(0.625, 12);
    expect(r[2]!.score).toBeCloseTo(0.2125, 12);
  });

  it('refuses negative or all-zero weights', () => {
    expect(() => classify(f, 'combined', policy({ weights: { revenue: 0, margin: 0, assortment: 0, discipline: 0 } }))).toThrow(RangeError);
    expect(() => classify(f, 'combined', policy({ weights: { revenue: 1, margin: -1, assortment: 0, discipline: 0 } }))).toThrow(RangeError);
    // Weights do not matter to a single criterion.
    expect(() => classify(f, 'revenue', policy({ weights: { revenue: 0, margin: 0, assortment: 0, discipline: 0 } }))).not.toThrow();
  });
});

describe('client figures', () => {
  it('lists every client asked for, in that order, once, with zeros when it has no facts', () => {
    const r = clientFigures([fact(2, 100), fact(99, 500)], [3, 2, 3, 1], policy(), AS_OF);
    expect(r).toEqual([
      fig(3),
      fig(2, { revenueMinor: 100, invoices: 1 }),
      fig(1),
    ]);
  });

  it('sums revenue and margin converted to the base currency, minding minor-unit digits', () => {
    const r = clientFigures(
      [
        fact(1, 1000, { marginMinor: 200 }), // €10.00
        fact(1, 10000, { currency: 'USD', marginMinor: 1000 }), // $100.00 → €90.00
        fact(1, 10000, { currency: 'JPY', marginMinor: null }), // ¥10000 → €60.00
        fact(1, 1000, { currency: 'KWD', marginMinor: -100 }), // 1.000 KWD → €2.50; margin −0.100 KWD → −€0.25
      ],
      [1],
      policy(),
      AS_OF,
    );
    expect(r[0]).toMatchObject({ revenueMinor: 1000 + 9000 + 6000 + 250, marginMinor: 200 + 900 + 0 - 25, invoices: 4, unconvertible: [] });
  });

  it('leaves out invoices in a currency without a usable rate, and names those currencies', () => {
    const p = policy({ rates: { USD: 0.9, SEK: 0, NOK: Number.NaN } });
    const r = clientFigures(
      [fact(1, 1000), fact(1, 7777, { currency: 'GBP', productLine: 'Extra', paidAt: null }), fact(1, 5, { currency: 'SEK' }), fact(1, 5, { currency: 'NOK' }), fact(1, 5, { currency: 'GBP' }), fact(2, 5, { currency: 'ZZZ' })],
      [1, 2],
      p,
      AS_OF,
    );
    expect(r).toEqual([
      fig(1, { revenueMinor: 1000, invoices: 1, unconvertible: ['GBP', 'NOK', 'SEK'] }),
      fig(2, { unconvertible: ['ZZZ'] }),
    ]);
  });

  it('takes the base currency at 1 even without a rate for it', () => {
    const r = clientFigures([fact(1, 12345, { currency: 'USD' })], [1], defaultAbcPolicy('USD'), AS_OF);
    expect(r[0]!.revenueMinor).toBe(12345);
  });

  it('converts with the exact factor and rounds once per client', () => {
    const convert = currencyConverter('EUR', { USD: 0.9, JPY: 0.006 });
    expect(convert(1, 'USD')).toBeCloseTo(0.9, 12);
    expect(convert(100, 'JPY')).toBeCloseTo(60, 12);
    expect(convert(1, 'GBP')).toBeNull();
    const r = clientFigures([1, 2, 3].map(() => fact(1, 1, { currency: 'USD' })), [1], policy({ rates: { USD: 0.7 } }), AS_OF);
    expect(r[0]!.revenueMinor).toBe(2); // 3 × 0.7 = 2.1 → 2; rounding each invoice would give 3 × 1 = 3
  });

  it('counts distinct product lines, trimmed and case-insensitive; blank and missing lines do not count', () => {
    const r = clientFigures(
      [fact(1, 1, { productLine: 'Consulting' }), fact(1, 1, { productLine: ' consulting ' }), fact(1, 1, { productLine: 'Licences' }), fact(1, 1, { productLine: '  ' }), fact(1, 1, { productLine: null }), fact(2, 1, { productLine: 'CONSULTING' }), fact(2, 1, { productLine: 'Обучение' }), fact(2, 1, { productLine: 'обучение' })],
      [1, 2],
      policy(),
      AS_OF,
    );
    expect(r.map((x) => x.assortment)).toEqual([2, 2]);
  });

  it('averages days late weighted by amount; unpaid invoices count up to asOf; not yet due counts 0', () => {
    const due = AS_OF - 20 * DAY;
    const r = clientFigures(
      [
        fact(1, 100, { dueAt: due, paidAt: due + 10 * DAY }), // 10 days late
        fact(1, 300, { dueAt: due, paidAt: due - DAY }), // early
        fact(1, 200, { dueAt: AS_OF - 4 * DAY - 3_600_000, paidAt: null }), // unpaid, 4 whole days late by asOf
        fact(1, 400, { dueAt: AS_OF + 5 * DAY, paidAt: null }), // unpaid, not yet due
        fact(1, -50, { dueAt: due, paidAt: due + 30 * DAY }), // credit note: no weight
      ],
      [1],
      policy(),
      AS_OF,
    );
    // (10·100 + 0·300 + 4·200 + 0·400) / 1000 = 1.8
    expect(r[0]).toMatchObject({ revenueMinor: 950, daysLate: 1.8, invoices: 5 });
  });

  it('counts lateness in whole days: paid within a day of the due time is on time', () => {
    const r = clientFigures([fact(1, 100, { paidAt: T0 + 30 * DAY + 23 * 3_600_000 }), fact(2, 100, { paidAt: T0 + 32 * DAY + 23 * 3_600_000 })], [1, 2], policy(), AS_OF);
    expect(r.map((x) => x.daysLate)).toEqual([0, 2]);
  });

  it('weighs lateness by converted amounts, not raw minor units', () => {
    // ¥100000 (= €600) 10 days late, €600 on time → 5 days.
    const r = clientFigures([fact(1, 100000, { currency: 'JPY', paidAt: T0 + 40 * DAY }), fact(1, 60000)], [1], policy(), AS_OF);
    expect(r[0]!.daysLate).toBeCloseTo(5, 12);
  });

  it('feeds classify end to end', () => {
    const facts = [fact(1, 80000), fact(2, 10000, { currency: 'USD' }), fact(3, 11000), fact(4, 500, { currency: 'GBP' })];
    const rows = classify(clientFigures(facts, [1, 2, 3, 4], policy(), AS_OF), 'revenue', policy());
    expect(rows[3]!.unconvertible).toEqual(['GBP']);
    expect(rows.map((x) => [x.clientId, x.revenueMinor, x.segment])).toEqual([
      [1, 80000, 'A'],
      [3, 11000, 'B'], // starts at 0.8
      [2, 9000, 'B'], // $100 → €90; starts at 0.91
      [4, 0, 'C'], // only GBP, which has no rate: no sales
    ]);
  });
});

describe('segment changes', () => {
  it('reports clients whose segment changed, and new ones from null, in rank order', () => {
    const after = classify([fig(1, { revenueMinor: 90 }), fig(2, { revenueMinor: 5 }), fig(3, { revenueMinor: 5 }), fig(4, { revenueMinor: 0 })], 'revenue', policy());
    expect(after.map((x) => x.segment).join('')).toBe('ABBC');
    const before = new Map<number, Segment>([
      [1, 'A'],
      [2, 'A'],
      [4, 'C'],
      [5, 'B'], // no longer classified: not reported
    ]);
    expect(segmentChanges(before, after)).toEqual([
      { clientId: 2, from: 'A', to: 'B' },
      { clientId: 3, from: null, to: 'B' },
    ]);
    expect(segmentChanges(new Map(after.map((x) => [x.clientId, x.segment])), after)).toEqual([]);
  });
});

describe('criteria', () => {
  it('knows its criteria', () => {
    expect(ABC_CRITERIA).toEqual(['revenue', 'margin', 'assortment', 'discipline', 'combined']);
    expect(isAbcCriterion('margin')).toBe(true);
    expect(isAbcCriterion('profit')).toBe(false);
  });
});

describe('the euro changeover in ABC (SPEC §5)', () => {
  const co = { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' };
  it('converts BGN by the fixed rule, exactly, not by the float rate; other currencies keep their rates', () => {
    const convert = currencyConverter('EUR', { BGN: 0.51129, USD: 0.9 }, co);
    expect(convert(1000, 'BGN')).toBe(511);
    expect(convert(100_000, 'BGN')).toBe(51_129);
    // 1,000,000.00 BGN: 511,291.88 EUR by the rule; the float 0.51129 would give 511,290.00.
    expect(convert(100_000_000, 'BGN')).toBe(51_129_188);
    expect(convert(10_000, 'USD')).toBe(9000);
    // A base other than the changeover's `to` keeps the policy rates.
    expect(currencyConverter('USD', { BGN: 0.55 }, co)(100, 'BGN')).toBeCloseTo(55, 9);
  });

  it("converts a client's BGN total once by the rule, as the SQL aggregates do", () => {
    const facts = [fact(1, 50_000_000, { currency: 'BGN', marginMinor: 1_000_001 }), fact(1, 50_000_000, { currency: 'BGN', marginMinor: 1_000_001, paidAt: T0 + 40 * DAY }), fact(1, 1000)];
    const r = clientFigures(facts, [1], policy({ rates: { BGN: 0.51129 }, changeover: co }), AS_OF);
    expect(r[0]).toMatchObject({ revenueMinor: 51_129_188 + 1000, marginMinor: 1_022_585, invoices: 3, unconvertible: [] });
    // Days late: 10 days on half the BGN total, weighted in EUR.
    expect(r[0]!.daysLate).toBeCloseTo(255_645_941 / (51_129_188 + 1000), 9);
    // Without the changeover, the float rate.
    expect(clientFigures(facts, [1], policy({ rates: { BGN: 0.51129 } }), AS_OF)[0]!.revenueMinor).toBe(51_129_000 + 1000);
  });
});
