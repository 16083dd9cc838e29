import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { DEFAULT_CHANGEOVER } from '../../src/domain/euro.ts';
import {
  byOwner,
  daysUntilReview,
  medianSorted,
  nextReview,
  quietAlerts,
  quietStatus,
  type QuietSubject,
  revenueSince,
  type ReviewSubject,
  reviewsDue,
  shouldAlertQuiet,
  twelveMonthsBefore,
} from '../../src/domain/retention.ts';
import { DEFAULT_POLICY, reviewEveryDays } from '../../src/policy.ts';

const EVERY = { A: 90, B: 180, C: 365 };
const subject = (over: Partial<ReviewSubject> = {}): ReviewSubject => ({ clientId: 1, ownerId: 'U0SELLER', segment: 'A', lastReviewOn: null, createdOn: '2026-01-10', ...over });

describe('review cadence (SPEC §7)', () => {
  it('takes the defaults A 90, B 180, C 365 days from the policy', () => {
    expect(reviewEveryDays(DEFAULT_POLICY)).toEqual(EVERY);
  });

  it('counts from the last review with the cadence of the segment now', () => {
    expect(nextReview(subject({ lastReviewOn: '2026-03-01' }), EVERY)).toMatchObject({ segment: 'A', everyDays: 90, from: 'review', fromOn: '2026-03-01', nextOn: '2026-05-30' });
    expect(nextReview(subject({ segment: 'B', lastReviewOn: '2026-03-01' }), EVERY).nextOn).toBe('2026-08-28');
  });

  it('counts from the day the client was added when it was never reviewed', () => {
    expect(nextReview(subject(), EVERY)).toMatchObject({ from: 'created', fromOn: '2026-01-10', nextOn: '2026-04-10' });
  });

  it('gives a client without a segment C’s cadence', () => {
    expect(nextReview(subject({ segment: null }), EVERY)).toMatchObject({ segment: 'C', everyDays: 365, nextOn: '2027-01-10' });
  });

  it('a client promoted to A whose last review is older than A’s cadence is due at once', () => {
    const s = subject({ segment: 'A', lastReviewOn: '2025-05-01', createdOn: '2024-01-01' });
    const [due] = reviewsDue([s], '2026-03-01', EVERY);
    expect(due).toMatchObject({ nextOn: '2025-07-30', overdueDays: 214 });
  });

  it('is due on its date and after, not the day before; oldest first, ties by client id', () => {
    const rows = [subject({ clientId: 3, lastReviewOn: '2026-01-01' }), subject({ clientId: 2, lastReviewOn: '2026-01-01' }), subject({ clientId: 1, lastReviewOn: '2025-12-01' })];
    expect(reviewsDue(rows, '2026-03-31', EVERY).map((r) => r.clientId)).toEqual([1]);
    const onTheDay = reviewsDue(rows, '2026-04-01', EVERY);
    expect(onTheDay.map((r) => [r.clientId, r.overdueDays])).toEqual([
      [1, 31],
      [2, 0],
      [3, 0],
    ]);
    expect(daysUntilReview(nextReview(rows[0]!, EVERY), '2026-03-31')).toBe(1);
  });

  it('a review logged today moves the next one a whole cadence ahead', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.constantFrom('A', 'B', 'C') as fc.Arbitrary<'A' | 'B' | 'C'>, (offset, segment) => {
        const today = addDays('2024-01-01', offset);
        const s = subject({ segment, lastReviewOn: today, createdOn: '2023-06-01' });
        expect(reviewsDue([s], today, EVERY)).toEqual([]);
        expect(daysUntilReview(nextReview(s, EVERY), today)).toBe(EVERY[segment]);
      }),
    );
  });

  it('groups by owner, owners in id order, rows in the order given', () => {
    const rows = reviewsDue([subject({ clientId: 1, ownerId: 'U2' }), subject({ clientId: 2, ownerId: 'U1' }), subject({ clientId: 3, ownerId: 'U2' })], '2027-01-01', EVERY);
    expect(byOwner(rows).map(([o, l]) => [o, l.map((r) => r.clientId)])).toEqual([
      ['U1', [2]],
      ['U2', [1, 3]],
    ]);
  });

  it('refuses a cadence that is not a whole number of days', () => {
    expect(() => nextReview(subject(), { ...EVERY, A: 0 })).toThrow(/reviewEveryDays of A/);
  });
});

const inv = (issueDate: string, amountMinor = 100_000, currency = 'EUR') => ({ issueDate, amountMinor, currency });
const client = (invoices: ReturnType<typeof inv>[], segment: QuietSubject['segment'] = 'A', clientId = 7): QuietSubject => ({ clientId, segment, invoices });
/** Invoices every 30 days from 2026-01-01: 01-01, 01-31, 03-02. */
const monthly = [inv('2026-01-01'), inv('2026-01-31'), inv('2026-03-02')];

describe('going quiet (SPEC §7)', () => {
  it('the median of an even count is the mean of the middle two', () => {
    expect(medianSorted([])).toBeUndefined();
    expect(medianSorted([3])).toBe(3);
    expect(medianSorted([10, 20, 31, 40])).toBe(25.5);
  });

  it('with only two invoices a client is never quiet, however long it is silent', () => {
    const two = client([inv('2024-01-01'), inv('2024-01-31')]);
    expect(quietStatus(two, '2026-12-31')).toEqual({ kind: 'too-few-invoices', invoiceDays: 2, needed: 3 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), (d) => quietStatus(two, addDays('2024-01-31', d)).kind === 'too-few-invoices'));
  });

  it('several invoices on one day are one purchase; credit notes and later-dated invoices do not count', () => {
    const s = client([inv('2026-01-01'), inv('2026-01-01'), inv('2026-01-31'), inv('2026-02-15', -5000), inv('2026-06-01')]);
    expect(quietStatus(s, '2026-03-01')).toEqual({ kind: 'too-few-invoices', invoiceDays: 2, needed: 3 });
  });

  it('is quiet only past quietFactor × the median gap; exactly at it is not quiet yet', () => {
    // Gaps 30 and 30: the usual rhythm is 30 days, quiet after 60 days of silence.
    expect(quietStatus(client(monthly), addDays('2026-03-02', 60))).toMatchObject({ kind: 'active', rhythm: { usualGapDays: 30, daysSilent: 60, thresholdDays: 60 } });
    expect(quietStatus(client(monthly), addDays('2026-03-02', 61))).toMatchObject({
      kind: 'quiet',
      spell: '2026-03-02',
      rhythm: { invoiceDays: 3, usualGapDays: 30, lastInvoiceOn: '2026-03-02', daysSilent: 61, thresholdDays: 60 },
    });
    expect(quietStatus(client(monthly), addDays('2026-03-02', 31), 1).kind).toBe('quiet');
    expect(quietStatus(client(monthly), addDays('2026-03-02', 90), 3).kind).toBe('active');
  });

  it('uses the median gap, so one long pause does not stretch the rhythm', () => {
    const s = client([inv('2025-01-01'), inv('2025-01-11'), inv('2025-01-21'), inv('2025-12-01'), inv('2025-12-11')]);
    expect(quietStatus(s, '2026-01-01')).toMatchObject({ kind: 'quiet', rhythm: { usualGapDays: 10, daysSilent: 21 } });
  });

  it('an invoice today is never quiet', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 2, maxLength: 30 }), fc.double({ min: 1, max: 20, noNaN: true }), (offsets, factor) => {
        const today = addDays('2020-01-01', 2001);
        const s = client([...offsets.map((o) => inv(addDays('2020-01-01', o))), inv(today)]);
        return quietStatus(s, today, factor).kind === 'active';
      }),
    );
  });

  it('watches A and B only', () => {
    const at = addDays('2026-03-02', 400);
    expect(quietStatus(client(monthly, 'B'), at).kind).toBe('quiet');
    expect(quietStatus(client(monthly, 'C'), at)).toEqual({ kind: 'not-watched', segment: 'C' });
    expect(quietStatus(client(monthly, null), at)).toEqual({ kind: 'not-watched', segment: null });
  });

  it('sums the last 12 months per currency, converting BGN once per client total', () => {
    const s = client([inv('2025-03-01', 999_999), inv('2025-03-02', 100_000), inv('2025-06-01', 50_000, 'USD'), inv('2025-09-01', 1, 'BGN'), inv('2025-10-01', 1, 'BGN'), inv('2025-11-01', 1, 'BGN')]);
    const st = quietStatus(s, '2026-03-01', 2, DEFAULT_CHANGEOVER);
    expect(st.kind).toBe('quiet');
    // 3 stotinki → 2 cents (1.53); converted per invoice it would be 1 + 1 + 1 = 3.
    if (st.kind === 'quiet')
      expect(st.revenue12m).toEqual([
        { currency: 'EUR', minor: 100_000 + 2 },
        { currency: 'USD', minor: 50_000 },
      ]);
    expect(twelveMonthsBefore('2024-02-29')).toBe('2023-02-28');
    expect(revenueSince([inv('2025-03-01', 5, 'BGN')], '2025-01-01', '2025-12-31')).toEqual([{ currency: 'BGN', minor: 5 }]);
  });

  it('alerts once per quiet spell; a new invoice ends the spell and the next silence is a new one', () => {
    const asOf = '2026-06-01';
    const quiet = quietStatus(client(monthly), asOf);
    expect(shouldAlertQuiet(quiet, null)).toBe(true);
    expect(shouldAlertQuiet(quiet, '2026-03-02')).toBe(false); // this spell was alerted
    expect(quietAlerts([client(monthly)], asOf, new Map([[7, '2026-03-02']]))).toEqual([]);

    const back = client([...monthly, inv('2026-06-01')]);
    expect(quietStatus(back, '2026-06-01').kind).toBe('active');
    expect(shouldAlertQuiet(quietStatus(back, '2026-06-01'), '2026-03-02')).toBe(false);

    const later = quietStatus(back, '2026-12-01');
    expect(later).toMatchObject({ kind: 'quiet', spell: '2026-06-01' });
    expect(shouldAlertQuiet(later, '2026-03-02')).toBe(true);
  });

  it('lists the clients to alert by client id, with the figures', () => {
    const out = quietAlerts([client(monthly, 'A', 9), client(monthly, 'C', 8), client(monthly, 'B', 3)], '2026-06-01', new Map());
    expect(out.map((a) => [a.clientId, a.spell, a.rhythm.daysSilent])).toEqual([
      [3, '2026-03-02', 91],
      [9, '2026-03-02', 91],
    ]);
  });

  it('refuses a quiet factor below 1', () => {
    expect(() => quietStatus(client(monthly), '2026-06-01', 0.5)).toThrow(/quietFactor/);
  });
});
