import { describe, expect, it } from 'vitest';
import { type DealFact, DEFAULT_STAGE_PROBABILITIES, forecast, funnel, type FunnelOptions, monthOf, type OpenInvoiceFact, uninvoicedValue } from '../../src/domain/funnel.ts';
import { STAGES, type Stage } from '../../src/domain/stages.ts';

const d = (month: number, day: number, hour = 0) => Date.UTC(2024, month - 1, day, hour);
const MARCH = { from: d(3, 1), to: d(4, 1) };
const opts: FunnelOptions = { baseCurrency: 'EUR', rates: { USD: 0.9 }, probabilities: { ...DEFAULT_STAGE_PROBABILITIES } };

type H = [Stage | null, Stage, number];
function deal(id: number, ownerId: string, stage: Stage, value: [number, string] | null, history: H[], over: Partial<DealFact> = {}): DealFact {
  return {
    id,
    ownerId,
    stage,
    valueMinor: value?.[0] ?? null,
    currency: value?.[1] ?? null,
    expectedClose: null,
    createdAt: history[0]?.[2] ?? 0,
    history: history.map(([from, to, at]) => ({ from, to, at })),
    ...over,
  };
}

// Deals seen over March 2024 (period [Mar 1, Apr 1)).
const deals: DealFact[] = [
  // d1: lead since Feb 20, through qualified and proposal in March, sitting at contract.
  deal(1, 'U1', 'contract', [100000, 'EUR'], [
    [null, 'lead', d(2, 20)],
    ['lead', 'qualified', d(3, 2)],
    ['qualified', 'proposal', d(3, 5)],
    ['proposal', 'contract', d(3, 10)],
  ]),
  // d2: created and lost in March, no value.
  deal(2, 'U1', 'lost', null, [
    [null, 'lead', d(3, 3)],
    ['lead', 'lost', d(3, 4)],
  ]),
  // d3: created on the first instant of March, skips qualified by hand, won on Mar 20; history given out of order.
  deal(3, 'U2', 'won', [50000, 'USD'], [
    ['payment', 'won', d(3, 20)],
    [null, 'lead', d(3, 1)],
    ['contract', 'delivery', d(3, 9)],
    ['lead', 'proposal', d(3, 6)],
    ['delivery', 'payment', d(3, 12)],
    ['proposal', 'contract', d(3, 8)],
  ]),
  // d4: a lead since January, in a currency without a rate.
  deal(4, 'U2', 'lead', [20000, 'GBP'], [[null, 'lead', d(1, 10)]]),
  // d5: created on Mar 31, qualified only on Apr 2 (after the period).
  deal(5, 'U1', 'qualified', [30000, 'EUR'], [
    [null, 'lead', d(3, 31)],
    ['lead', 'qualified', d(4, 2)],
  ]),
  // d6: lost in February, before the period.
  deal(6, 'U2', 'lost', [10000, 'EUR'], [
    [null, 'lead', d(2, 1)],
    ['lead', 'lost', d(2, 10)],
  ]),
  // d7: created straight at proposal on Mar 15, no value.
  deal(7, 'U1', 'proposal', null, [[null, 'proposal', d(3, 15)]]),
];

const reached = (f: { stages: Record<Stage, { reached: number }> }) => STAGES.map((s) => f.stages[s].reached);
const rates = (f: { conversions: { rate: number | null }[] }) => f.conversions.map((c) => c.rate);

describe('funnel over a period', () => {
  const r = funnel(deals, MARCH, opts);

  it('counts deals that reached each stage in the period, skipped stages included, each deal once', () => {
    // lead: 2, 3, 5, 7 (7 created at proposal passed lead and qualified); qualified: 1, 3 (skipped), 7
    expect(reached(r)).toEqual([4, 3, 3, 2, 1, 1, 1, 1]);
  });

  it('gives conversion between consecutive pipeline stages', () => {
    expect(r.conversions.map((c) => `${c.from}>${c.to}`)).toEqual(['lead>qualified', 'qualified>proposal', 'proposal>contract', 'contract>delivery', 'delivery>payment', 'payment>won']);
    expect(rates(r)).toEqual([0.75, 1, 2 / 3, 0.5, 1, 1]);
  });

  it('gives the win rate over deals closed in the period', () => {
    expect([r.won, r.lost, r.winRate]).toEqual([1, 1, 0.5]); // d6 was lost in February
  });

  it('counts and values the deals at each stage now, in the base currency', () => {
    const cur = Object.fromEntries(STAGES.map((s) => [s, [r.stages[s].currentCount, r.stages[s].currentValueMinor]]));
    expect(cur).toEqual({
      lead: [1, 0], // GBP has no rate
      qualified: [1, 30000],
      proposal: [1, 0], // no value
      contract: [1, 100000],
      delivery: [0, 0],
      payment: [0, 0],
      won: [1, 45000], // $500 → €450
      lost: [2, 10000],
    });
    expect(r.unvalued).toBe(2);
    expect(r.unconvertible).toEqual(['GBP']);
    expect(r.openValueMinor).toBe(130000);
    expect(r.weightedOpenValueMinor).toBe(30000 * 0.25 + 100000 * 0.75);
  });

  it('averages days per stage over stays overlapping the period; open stays up to period.to', () => {
    const avg = Object.fromEntries(STAGES.map((s) => [s, r.stages[s].avgDaysInStage]));
    expect(avg).toEqual({
      // d1 Feb 20→Mar 2 (11, whole stay), d2 1, d3 5, d4 Jan 10→Apr 1 (82, open), d5 Mar 31→Apr 1 (1, cut at period end); d6 ended in Feb
      lead: (11 + 1 + 5 + 82 + 1) / 5,
      qualified: 3, // d1; d5 entered after the period; d3 skipped it
      proposal: (5 + 2 + 17) / 3, // d1, d3, d7 (open since Mar 15)
      contract: (22 + 1) / 2, // d1 open since Mar 10, d3
      delivery: 3,
      payment: 8,
      won: null,
      lost: null,
    });
  });

  it('gives the same figures per owner', () => {
    expect(Object.keys(r.byOwner)).toEqual(['U1', 'U2']);
    const u1 = r.byOwner['U1']!;
    const u2 = r.byOwner['U2']!;
    expect(reached(u1)).toEqual([3, 2, 2, 1, 0, 0, 0, 1]);
    expect(reached(u2)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(rates(u1)).toEqual([2 / 3, 1, 0.5, 0, null, null]);
    expect([u1.won, u1.lost, u1.winRate]).toEqual([0, 1, 0]);
    expect([u2.won, u2.lost, u2.winRate]).toEqual([1, 0, 1]);
    expect(u1.stages.lead.avgDaysInStage).toBe((11 + 1 + 1) / 3);
    expect(u2.stages.lead.avgDaysInStage).toBe((5 + 82) / 2);
    expect(u1.stages.contract.currentValueMinor).toBe(100000);
    expect([u1.unconvertible, u2.unconvertible]).toEqual([[], ['GBP']]);
    expect([u1.unvalued, u2.unvalued]).toEqual([2, 0]);
    // Per-owner figures add up to the totals.
    for (const s of STAGES) expect(u1.stages[s].reached + u2.stages[s].reached).toBe(r.stages[s].reached);
  });

  it('treats the period as half-open: an event at period.to belongs to the next period', () => {
    const x = funnel([deal(1, 'U1', 'qualified', null, [[null, 'lead', d(3, 10)], ['lead', 'qualified', d(4, 1)]])], MARCH, opts);
    expect(reached(x)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    const april = funnel([deal(1, 'U1', 'qualified', null, [[null, 'lead', d(3, 10)], ['lead', 'qualified', d(4, 1)]])], { from: d(4, 1), to: d(5, 1) }, opts);
    expect(reached(april)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(april.stages.lead.avgDaysInStage).toBe(22); // left at the very start of April: still overlaps it
  });

  it('counts a deal that bounced between stages once, and adds up its stays', () => {
    const x = funnel(
      [
        deal(1, 'U1', 'qualified', null, [
          [null, 'lead', d(3, 1)],
          ['lead', 'qualified', d(3, 3)],
          ['qualified', 'lead', d(3, 5)],
          ['lead', 'qualified', d(3, 6)],
        ]),
      ],
      MARCH,
      opts,
    );
    expect(reached(x)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(x.stages.lead.avgDaysInStage).toBe(2 + 1);
    expect(x.stages.qualified.avgDaysInStage).toBe(2 + 26);
  });

  it('takes a deal without history to have entered its stage when it was created', () => {
    const x = funnel([deal(1, 'U1', 'proposal', [100, 'EUR'], [], { createdAt: d(3, 10) })], MARCH, opts);
    expect(reached(x)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(x.stages.proposal.avgDaysInStage).toBe(22);
    expect(x.stages.proposal.currentValueMinor).toBe(100);
  });

  it('measures fractional days', () => {
    const x = funnel([deal(1, 'U1', 'qualified', null, [[null, 'lead', d(3, 1)], ['lead', 'qualified', d(3, 1, 12)]])], MARCH, opts);
    expect(x.stages.lead.avgDaysInStage).toBe(0.5);
  });

  it('gives nulls, not zeros or NaN, when there is nothing to divide', () => {
    const x = funnel([], MARCH, opts);
    expect(reached(x)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(rates(x)).toEqual([null, null, null, null, null, null]);
    expect(x.winRate).toBeNull();
    expect(STAGES.map((s) => x.stages[s].avgDaysInStage)).toEqual(STAGES.map(() => null));
    expect(x.byOwner).toEqual({});
    expect(x.period).toEqual(MARCH);
  });

  it('counts a deal by its last outcome in the period', () => {
    const x = funnel([deal(1, 'U1', 'won', null, [[null, 'lead', d(3, 1)], ['lead', 'lost', d(3, 2)], ['lost', 'won', d(3, 3)]])], MARCH, opts);
    expect([x.won, x.lost, x.winRate]).toEqual([1, 0, 1]);
  });

  it('refuses probabilities outside 0..1', () => {
    expect(() => funnel([], MARCH, { ...opts, probabilities: { ...DEFAULT_STAGE_PROBABILITIES, lead: 1.5 } })).toThrow(RangeError);
  });
});

describe('forecast', () => {
  const asOf = d(3, 15, 12);
  const fdeals: DealFact[] = [
    deal(1, 'U1', 'proposal', [100000, 'EUR'], [], { expectedClose: '2024-05-10' }),
    deal(2, 'U1', 'contract', [20000, 'USD'], [], { expectedClose: '2024-03-31' }),
    deal(3, 'U2', 'lead', [50000, 'EUR'], [], { expectedClose: '2024-01-15' }), // slipped
    deal(4, 'U2', 'won', [99999, 'EUR'], [], { expectedClose: '2024-04-01' }),
    deal(5, 'U2', 'lost', [99999, 'EUR'], [], { expectedClose: '2024-04-01' }),
    deal(6, 'U1', 'qualified', null, [], { expectedClose: '2024-04-01' }),
    deal(7, 'U1', 'payment', [10000, 'EUR'], [], { expectedClose: null }),
    deal(8, 'U2', 'delivery', [10000, 'GBP'], [], { expectedClose: '2024-04-01' }),
    deal(9, 'U2', 'proposal', [1000, 'EUR'], [], { expectedClose: '2024-02-30' }),
  ];
  const invoices: OpenInvoiceFact[] = [
    { amountOwedMinor: 20000, currency: 'EUR', dueAt: d(2, 10) }, // overdue since February
    { amountOwedMinor: 10000, currency: 'EUR', dueAt: d(3, 15) }, // due this morning: overdue
    { amountOwedMinor: 10000, currency: 'USD', dueAt: d(4, 10) },
    { amountOwedMinor: 5000, currency: 'EUR', dueAt: d(7, 1) },
    { amountOwedMinor: 0, currency: 'EUR', dueAt: d(9, 1) },
    { amountOwedMinor: 100, currency: 'CHF', dueAt: d(4, 1) },
  ];

  it('buckets weighted open deals and open invoices by month, from the current month without gaps', () => {
    const f = forecast(fdeals, invoices, asOf, opts);
    expect(f.months).toEqual({
      '2024-03': { weightedDealsMinor: 13500 + 5000, invoicesMinor: 30000 }, // $200 → €180 at 0.75; slipped lead at 0.1; overdue invoices,
      '2024-04': { weightedDealsMinor: 0, invoicesMinor: 9000 },
      '2024-05': { weightedDealsMinor: 50000, invoicesMinor: 0 },
      '2024-06': { weightedDealsMinor: 0, invoicesMinor: 0 },
      '2024-07': { weightedDealsMinor: 0, invoicesMinor: 5000 },
    });
    expect(Object.keys(f.months)).toEqual(['2024-03', '2024-04', '2024-05', '2024-06', '2024-07']);
    expect(f.baseCurrency).toBe('EUR');
  });

  it('counts deals without a value or a (valid) expected close as unplaced', () => {
    const f = forecast(fdeals, invoices, asOf, opts);
    expect(f.unplaced).toEqual({ count: 3, weightedDealsMinor: 9500 + 500 });
  });

  it('names currencies without a rate and leaves their amounts out', () => {
    expect(forecast(fdeals, invoices, asOf, opts).unconvertible).toEqual(['CHF', 'GBP']);
  });

  it('uses the policy probabilities', () => {
    const f = forecast([fdeals[0]!], [], asOf, { ...opts, probabilities: { ...DEFAULT_STAGE_PROBABILITIES, proposal: 0.2 } });
    expect(f.months['2024-05']!.weightedDealsMinor).toBe(20000);
  });

  it('still shows the current month when there is nothing', () => {
    expect(forecast([], [], asOf, opts)).toEqual({ baseCurrency: 'EUR', months: { '2024-03': { weightedDealsMinor: 0, invoicesMinor: 0 } }, unplaced: { count: 0, weightedDealsMinor: 0 }, unconvertible: [] });
  });

  it('runs across a year end', () => {
    const f = forecast([deal(1, 'U1', 'delivery', [1000, 'EUR'], [], { expectedClose: '2025-02-01' })], [], d(11, 20), opts);
    expect(Object.keys(f.months)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(f.months['2025-02']).toEqual({ weightedDealsMinor: 900, invoicesMinor: 0 });
  });

  it('takes months in the given time zone, UTC by default', () => {
    const late = Date.UTC(2024, 2, 31, 23, 30); // Apr 1, 02:30 in Sofia
    const inv = [{ amountOwedMinor: 100, currency: 'EUR', dueAt: late }];
    expect(Object.keys(forecast([], inv, asOf, opts).months)).toEqual(['2024-03']);
    expect(forecast([], inv, asOf, { ...opts, tz: 'Europe/Sofia' }).months).toEqual({
      '2024-03': { weightedDealsMinor: 0, invoicesMinor: 0 },
      '2024-04': { weightedDealsMinor: 0, invoicesMinor: 100 },
    });
    // The current month itself follows the zone too.
    const asOfSofia = Date.UTC(2024, 1, 29, 23); // Mar 1, 01:00 in Sofia
    expect(Object.keys(forecast([], [], asOfSofia, opts).months)).toEqual(['2024-02']);
    expect(Object.keys(forecast([], [], asOfSofia, { ...opts, tz: 'Europe/Sofia' }).months)).toEqual(['2024-03']);
    expect([monthOf(late), monthOf(late, 'Europe/Sofia'), monthOf(late, 'America/New_York')]).toEqual(['2024-03', '2024-04', '2024-03']);
  });

  describe('a deal already invoiced is forecast by its invoices, never twice', () => {
    const convert = (minor: number, currency: string) => (currency === 'EUR' ? minor : currency === 'USD' ? minor * 0.9 : null);
    it('leaves the value less everything invoiced against the deal, paid or not, never below zero', () => {
      expect(uninvoicedValue(10000, [], convert)).toEqual({ ok: true, minor: 10000 });
      expect(uninvoicedValue(10000, [{ amountMinor: 7500, currency: 'EUR' }], convert)).toEqual({ ok: true, minor: 2500 });
      expect(uninvoicedValue(10000, [{ amountMinor: 5000, currency: 'EUR' }, { amountMinor: 5000, currency: 'USD' }], convert)).toEqual({ ok: true, minor: 500 });
      expect(uninvoicedValue(10000, [{ amountMinor: 12000, currency: 'EUR' }], convert)).toEqual({ ok: true, minor: 0 });
      expect(uninvoicedValue(10000, [{ amountMinor: 100, currency: 'GBP' }], convert)).toEqual({ ok: false, currency: 'GBP' });
    });

    it('a deal at payment with its whole value invoiced adds only its open invoice, in the due month', () => {
      const atPayment = deal(1, 'U1', 'payment', [750000, 'EUR'], [], { expectedClose: '2024-05-10', invoiced: [{ amountMinor: 750000, currency: 'EUR' }] });
      const f = forecast([atPayment], [{ amountOwedMinor: 750000, currency: 'EUR', dueAt: d(4, 10) }], asOf, opts);
      expect(f.months).toEqual({
        '2024-03': { weightedDealsMinor: 0, invoicesMinor: 0 },
        '2024-04': { weightedDealsMinor: 0, invoicesMinor: 750000 },
      });
      expect(f.unplaced).toEqual({ count: 0, weightedDealsMinor: 0 });
    });

    it('a part-invoiced deal adds its weighted remainder in its close month; a part-paid invoice adds what is owed', () => {
      const part = deal(1, 'U1', 'payment', [1000000, 'EUR'], [], { expectedClose: '2024-05-10', invoiced: [{ amountMinor: 750000, currency: 'EUR' }] });
      const f = forecast([part], [{ amountOwedMinor: 500000, currency: 'EUR', dueAt: d(4, 10) }], asOf, opts);
      expect(f.months['2024-04']).toEqual({ weightedDealsMinor: 0, invoicesMinor: 500000 });
      expect(f.months['2024-05']).toEqual({ weightedDealsMinor: 250000 * 0.95, invoicesMinor: 0 });
    });

    it('an invoiced deal without a value or close date is not "unplaced": its invoices place it', () => {
      const noValue = deal(1, 'U1', 'payment', null, [], { invoiced: [{ amountMinor: 100, currency: 'EUR' }] });
      const noClose = deal(2, 'U1', 'payment', [100, 'EUR'], [], { invoiced: [{ amountMinor: 100, currency: 'EUR' }] });
      const partNoClose = deal(3, 'U1', 'payment', [300, 'EUR'], [], { invoiced: [{ amountMinor: 100, currency: 'EUR' }] });
      expect(forecast([noValue, noClose, partNoClose], [], asOf, opts).unplaced).toEqual({ count: 1, weightedDealsMinor: 190 });
    });

    it('an invoice in a currency without a rate leaves its deal out and names the currency', () => {
      const f = forecast([deal(1, 'U1', 'payment', [1000, 'EUR'], [], { expectedClose: '2024-05-10', invoiced: [{ amountMinor: 100, currency: 'GBP' }] })], [], asOf, opts);
      expect(f.months['2024-03']).toEqual({ weightedDealsMinor: 0, invoicesMinor: 0 });
      expect(f.unconvertible).toEqual(['GBP']);
    });
  });

  it('exports the default stage probabilities', () => {
    expect(DEFAULT_STAGE_PROBABILITIES).toEqual({ lead: 0.1, qualified: 0.25, proposal: 0.5, contract: 0.75, delivery: 0.9, payment: 0.95, won: 1, lost: 0 });
  });
});

describe('the euro changeover in the funnel (SPEC §5)', () => {
  it('converts BGN deal values and open invoices by the fixed rule, exactly, when the changeover is given', () => {
    const co = { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' };
    const o: FunnelOptions = { ...opts, rates: { BGN: 0.51129, USD: 0.9 }, changeover: co };
    const inv: OpenInvoiceFact[] = [{ amountOwedMinor: 100_000_000, currency: 'BGN', dueAt: d(4, 10) }, { amountOwedMinor: 10_000, currency: 'USD', dueAt: d(4, 10) }];
    const f = forecast([], inv, d(3, 15), o);
    expect(f.months['2024-04']!.invoicesMinor).toBe(51_129_188 + 9000);
    expect(forecast([], inv, d(3, 15), { ...o, changeover: undefined }).months['2024-04']!.invoicesMinor).toBe(51_129_000 + 9000);
  });
});
