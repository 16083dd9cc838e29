import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertAtChangeover, DEFAULT_CHANGEOVER } from '../../src/domain/euro.ts';
import { DEFAULT_INTEREST_RATES, statutoryInterest, type InterestInput } from '../../src/domain/interest.ts';

const base: InterestInput = { principalMinor: 1_000_000, currency: 'EUR', due: '2026-01-15', payments: [], asOf: '2026-03-01', rates: DEFAULT_INTEREST_RATES };

function statement(input: Partial<InterestInput>) {
  const r = statutoryInterest({ ...base, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.refusal));
  return r.statement;
}

/** Day by day, with Date and floats kept out: the exact sum in hundred-millionths of a cent. */
function oracle(input: InterestInput): bigint {
  const rate = (day: Date) => {
    const start = `${day.getUTCFullYear()}-${day.getUTCMonth() < 6 ? '01' : '07'}-01`;
    const r = input.rates.find((x) => x.from === start);
    if (!r) throw new Error(`no rate for ${start}`);
    const [i, f = ''] = r.ratePct.split('.');
    return BigInt(i! + f.padEnd(6, '0')); // rate % × 10^6
  };
  let sum = 0n; // in minor × 36,000 × 10^6
  for (let t = Date.parse(input.due) + 86_400_000; t <= Date.parse(input.asOf); t += 86_400_000) {
    const day = new Date(t);
    const iso = day.toISOString().slice(0, 10);
    const unpaid = input.payments.filter((p) => p.date <= iso).reduce((b, p) => b - p.minor, input.principalMinor);
    if (unpaid > 0) sum += BigInt(unpaid) * rate(day);
  }
  return sum;
}
const roundOracle = (sum: bigint) => (2n * sum + 36_000_000_000n) / 72_000_000_000n;

describe('statutory interest', () => {
  it('SPEC: 10,000.00 EUR due 2026-01-15, unpaid, as of 2026-03-01 → 126.88 EUR plus 40.00', () => {
    const s = statement({});
    expect(s.interestMinor).toBe(12_688);
    expect(s.compensation).toEqual({ minor: 4000, currency: 'EUR' });
    expect(s.totalMinor).toBe(16_688);
    expect(s.lines).toEqual([{ from: '2026-01-16', to: '2026-03-01', days: 45, ratePct: '10.15', minor: 12_688, spans: [{ from: '2026-01-16', to: '2026-03-01', days: 45, balanceMinor: 1_000_000 }] }]);
  });

  it('SPEC: with 4,000.00 paid on 2026-02-01: 16 days on 10,000.00 and 29 on 6,000.00 → 94.17 EUR', () => {
    const s = statement({ payments: [{ date: '2026-02-01', minor: 400_000 }] });
    expect(s.interestMinor).toBe(9417);
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]!.spans).toEqual([
      { from: '2026-01-16', to: '2026-01-31', days: 16, balanceMinor: 1_000_000 },
      { from: '2026-02-01', to: '2026-03-01', days: 29, balanceMinor: 600_000 },
    ]);
  });

  it('SPEC: 1,000.00 EUR due 2025-12-01, as of 2026-01-31: 30 days at 11.91 % and 31 at 10.15 % → 18.67 EUR', () => {
    const s = statement({ principalMinor: 100_000, due: '2025-12-01', asOf: '2026-01-31' });
    expect(s.interestMinor).toBe(1867);
    // Exact lines 9.925 and 8.7403: rounded once (18.67), shown as 9.93 + 8.74.
    expect(s.lines.map(({ from, to, days, ratePct, minor }) => ({ from, to, days, ratePct, minor }))).toEqual([
      { from: '2025-12-02', to: '2025-12-31', days: 30, ratePct: '11.91', minor: 993 },
      { from: '2026-01-01', to: '2026-01-31', days: 31, ratePct: '10.15', minor: 874 },
    ]);
  });

  it('owes nothing as of the due date or before', () => {
    for (const asOf of ['2026-01-15', '2026-01-01', '2025-06-01']) expect(statement({ asOf })).toMatchObject({ lines: [], interestMinor: 0, totalMinor: 4000 });
  });

  it('counts the first day after the due date', () => {
    // 10,000.00 × 10.15 % / 360 = 2.8194… → 2.82
    expect(statement({ asOf: '2026-01-16' })).toMatchObject({ interestMinor: 282, lines: [{ from: '2026-01-16', to: '2026-01-16', days: 1 }] });
  });

  it('stops accruing once fully paid, and a payment on the due date counts from the first day', () => {
    const paidOff = statement({ payments: [{ date: '2026-01-20', minor: 600_000 }, { date: '2026-01-25', minor: 400_000 }], asOf: '2027-12-31' });
    expect(paidOff.lines).toEqual([
      {
        from: '2026-01-16',
        to: '2026-01-24',
        days: 9,
        ratePct: '10.15',
        minor: paidOff.interestMinor,
        spans: [
          { from: '2026-01-16', to: '2026-01-19', days: 4, balanceMinor: 1_000_000 },
          { from: '2026-01-20', to: '2026-01-24', days: 5, balanceMinor: 400_000 },
        ],
      },
    ]);
    // No rate is needed for 2027, since nothing is unpaid then.
    expect(paidOff.interestMinor).toBe(Number(roundOracle(oracle({ ...base, payments: [{ date: '2026-01-20', minor: 600_000 }, { date: '2026-01-25', minor: 400_000 }], asOf: '2026-03-01' }))));
    expect(statement({ payments: [{ date: '2026-01-15', minor: 1_000_000 }] })).toMatchObject({ lines: [], interestMinor: 0 });
    expect(statement({ payments: [{ date: '2026-01-10', minor: 1_500_000 }] })).toMatchObject({ lines: [], interestMinor: 0 });
    expect(statement({ payments: [{ date: '2026-01-15', minor: 400_000 }] }).lines[0]!.spans).toEqual([{ from: '2026-01-16', to: '2026-03-01', days: 45, balanceMinor: 600_000 }]);
  });

  it('ignores payments after the as-of date, in any order given', () => {
    const s = statement({ payments: [{ date: '2026-03-02', minor: 1_000_000 }, { date: '2026-02-01', minor: 400_000 }] });
    expect(s.interestMinor).toBe(9417);
  });

  it('names the first unpaid day whose half-year has no rate, never guessing', () => {
    expect(statutoryInterest({ ...base, asOf: '2026-07-02' })).toEqual({ ok: false, refusal: { kind: 'no-rate', day: '2026-07-01', halfYear: '2026-07-01' } });
    expect(statutoryInterest({ ...base, due: '2025-03-01', asOf: '2025-08-01' })).toEqual({ ok: false, refusal: { kind: 'no-rate', day: '2025-03-02', halfYear: '2025-01-01' } });
    // A gap in the table: 2026-H2 missing, 2027-H1 present.
    const gap = [...DEFAULT_INTEREST_RATES, { from: '2027-01-01', ratePct: '9' }];
    expect(statutoryInterest({ ...base, rates: gap, asOf: '2027-02-01' })).toMatchObject({ ok: false, refusal: { kind: 'no-rate', day: '2026-07-01' } });
  });

  it('refuses a rate table row that does not start a half-year, or repeats one', () => {
    for (const row of [{ from: '2026-02-01', ratePct: '10' }, { from: '2026-01-01', ratePct: '10,15' }, { from: '2026-13-01', ratePct: '1' }, { from: '2026-01-01', ratePct: '9' }]) {
      expect(statutoryInterest({ ...base, rates: [...DEFAULT_INTEREST_RATES, row] }), JSON.stringify(row)).toEqual({ ok: false, refusal: { kind: 'bad-rate-table', ...row } });
    }
  });

  it('refuses bad dates and amounts as values', () => {
    expect(statutoryInterest({ ...base, due: '2026-02-30' })).toEqual({ ok: false, refusal: { kind: 'bad-date', field: 'due', text: '2026-02-30' } });
    expect(statutoryInterest({ ...base, asOf: 'today' })).toEqual({ ok: false, refusal: { kind: 'bad-date', field: 'as-of', text: 'today' } });
    expect(statutoryInterest({ ...base, payments: [{ date: '1.2.2026', minor: 1 }] })).toMatchObject({ ok: false, refusal: { kind: 'bad-date', field: 'payment' } });
    expect(statutoryInterest({ ...base, payments: [{ date: '2026-02-01', minor: 0 }] })).toEqual({ ok: false, refusal: { kind: 'bad-amount', field: 'payment', minor: 0 } });
    expect(statutoryInterest({ ...base, principalMinor: -1 })).toEqual({ ok: false, refusal: { kind: 'bad-amount', field: 'principal', minor: -1 } });
  });

  it('gives no total when the compensation is in another currency', () => {
    const s = statement({ currency: 'USD', compensation: { minor: 4000, currency: 'EUR' } });
    expect(s.totalMinor).toBe(null);
    expect(statement({ compensation: { minor: 5000, currency: 'EUR' } }).totalMinor).toBe(12_688 + 5000);
  });

  it('agrees with a day-by-day oracle, and its lines add up to the total rounded once', () => {
    const rates = [
      { from: '2024-01-01', ratePct: '12.5' },
      { from: '2024-07-01', ratePct: '12.25' },
      { from: '2025-01-01', ratePct: '11.6' },
      { from: '2025-07-01', ratePct: '11.91' },
      { from: '2026-01-01', ratePct: '10.15' },
      { from: '2026-07-01', ratePct: '10.0375' },
    ];
    const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: -30, max: 1095 }),
        fc.array(fc.record({ at: fc.integer({ min: -30, max: 1095 }), minor: fc.integer({ min: 1, max: 5e9 }) }), { maxLength: 5 }),
        (principalMinor, dueOffset, span, pays) => {
          const input: InterestInput = {
            principalMinor,
            currency: 'EUR',
            due: day(dueOffset),
            asOf: day(Math.min(dueOffset + span, 1095)),
            payments: pays.map((p) => ({ date: day(Math.max(0, Math.min(1095, dueOffset + p.at))), minor: p.minor })),
            rates,
          };
          const r = statutoryInterest(input);
          if (!r.ok) throw new Error(JSON.stringify(r.refusal));
          const exact = oracle(input);
          expect(r.statement.interestMinor).toBe(Number(roundOracle(exact)));
          expect(r.statement.lines.reduce((s, l) => s + l.minor, 0)).toBe(r.statement.interestMinor);
          const accruing = r.statement.lines.flatMap((l) => l.spans);
          expect(r.statement.lines.every((l) => l.days === l.spans.reduce((s, x) => s + x.days, 0))).toBe(true);
          expect(accruing.every((x) => x.balanceMinor > 0 && x.from <= x.to)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('statutory interest on a BGN invoice across the euro changeover (SPEC §5)', () => {
  const co = DEFAULT_CHANGEOVER;
  const bgn = { principalMinor: 195_583, currency: 'BGN', due: '2025-12-01', asOf: '2026-01-31', changeover: co } as const;

  it('1,955.83 BGN (= 1,000.00 EUR) due 2025-12-01, as of 2026-01-31: 30 days on the BGN balance, 31 on the EUR balance, in EUR → 18.67 EUR as the EUR invoice', () => {
    const s = statement(bgn);
    expect(s.currency).toBe('EUR');
    expect(s.interestMinor).toBe(1867);
    expect(s.totalMinor).toBe(1867 + 4000);
    expect(s.lines.map(({ from, to, days, minor, spans }) => ({ from, to, days, minor, spans }))).toEqual([
      { from: '2025-12-02', to: '2025-12-31', days: 30, minor: 993, spans: [{ from: '2025-12-02', to: '2025-12-31', days: 30, balanceMinor: 195_583, currency: 'BGN' }] },
      { from: '2026-01-01', to: '2026-01-31', days: 31, minor: 874, spans: [{ from: '2026-01-01', to: '2026-01-31', days: 31, balanceMinor: 100_000 }] },
    ]);
  });

  it('as of a day before the changeover the statement stays in BGN', () => {
    const s = statement({ ...bgn, asOf: '2025-12-31' });
    expect(s.currency).toBe('BGN');
    // 1,955.83 × 11.91 % × 30 / 360 = 19.4116… BGN
    expect(s.interestMinor).toBe(1941);
    expect(s.totalMinor).toBeNull();
  });

  it('after the changeover accrues on the EUR balance the payments left (any BGN balance, any date): the exact sum, rounded once', () => {
    const { num, den } = { num: 195_583n, den: 100_000n };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_00 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 150 }), (principal, dueOffset, span) => {
        const due = new Date(Date.UTC(2025, 11, 31) - dueOffset * 86_400_000).toISOString().slice(0, 10);
        const asOf = new Date(Date.UTC(2026, 0, 1) + (span - 1) * 86_400_000).toISOString().slice(0, 10);
        const s = statement({ principalMinor: principal, currency: 'BGN', due, asOf, changeover: co });
        // Exact: BGN days at 11.91 % converted (× den / num), EUR days at 10.15 % on the converted balance.
        const eur = BigInt(convertAtChangeover(principal));
        const exact = (BigInt(principal) * BigInt(dueOffset) * 1191n * den + eur * BigInt(span) * 1015n * num) ; // over 36,000 × 100 × num
        const d = 36_000n * 100n * num;
        expect(BigInt(s.interestMinor)).toBe((2n * exact + d) / (2n * d));
      }),
      { numRuns: 2000 },
    );
  });
});
