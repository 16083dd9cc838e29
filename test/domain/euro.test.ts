import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterChangeover, checkNewDocumentCurrency, convertAtChangeover, DEFAULT_CHANGEOVER, fromUnitFits, leastConvertingTo, openBalance, parseRate, paymentAfterChangeover, paymentCurrency, type Changeover } from '../../src/domain/euro.ts';

/**
 * The oracle states what "rounded half away from zero" means rather than computing it: r is
 * right for x / (num/den) when |x·den − r·num| ≤ num/2, and at an exact half |r| is the larger.
 */
function isRoundedQuotient(x: bigint, num: bigint, den: bigint, r: bigint): boolean {
  const twiceError = 2n * (x * den - r * num);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  if (abs(twiceError) > num) return false;
  return abs(twiceError) < num || abs(r * num) > abs(x * den);
}

const rateOf = (text: string) => {
  const r = parseRate(text);
  if (!r.ok) throw new Error(text);
  return r.rate;
};

describe('the euro changeover', () => {
  it('converts the SPEC examples', () => {
    expect(convertAtChangeover(1000)).toBe(511); // 10.00 BGN → 5.11 EUR
    expect(convertAtChangeover(100_000)).toBe(51_129); // 1,000.00 BGN → 511.29 EUR
    expect(convertAtChangeover(195_583)).toBe(100_000); // 1,955.83 BGN → exactly 1,000.00 EUR
    expect(convertAtChangeover(1)).toBe(1); // 0.01 BGN → 0.0051… → 0.01 EUR
    expect(convertAtChangeover(0)).toBe(0);
  });

  it('rounds credit notes symmetrically, a half away from zero', () => {
    expect(convertAtChangeover(-1000)).toBe(-511);
    expect(convertAtChangeover(-100_000)).toBe(-51_129);
    const two: Changeover = { ...DEFAULT_CHANGEOVER, rate: '2' };
    expect([1, 3, 5, -1, -3, -5].map((x) => convertAtChangeover(x, two))).toEqual([1, 2, 3, -1, -2, -3]);
    fc.assert(
      fc.property(fc.maxSafeInteger(), (x) => {
        expect(convertAtChangeover(-x) + convertAtChangeover(x)).toBe(0); // (not toBe(-…): -0 is not 0 to Object.is)
      }),
    );
  });

  it('agrees with the exact rational oracle over every safe amount', () => {
    const { num, den } = rateOf(DEFAULT_CHANGEOVER.rate);
    expect([num, den]).toEqual([195_583n, 100_000n]);
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER)), (x) => {
        expect(isRoundedQuotient(BigInt(x), num, den, BigInt(convertAtChangeover(x)))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes any rate from policy, and rescales between minor digits', () => {
    const rates = fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 6 })).map(([n, d]) => (d === 0 ? String(n) : `${String(n).padStart(d + 1, '0').slice(0, -d)}.${String(n).padStart(d + 1, '0').slice(-d)}`));
    fc.assert(
      fc.property(rates, fc.integer({ min: -1e12, max: 1e12 }), (rate, x) => {
        const { num, den } = rateOf(rate);
        const co: Changeover = { from: 'BGN', to: 'EUR', rate, date: '2026-01-01' };
        // A rate below 1 can take an amount past the safe integers: that is a bug, and throws.
        if (BigInt(Math.abs(x)) * den > BigInt(Number.MAX_SAFE_INTEGER) * num) expect(() => convertAtChangeover(x, co)).toThrow(RangeError);
        else expect(isRoundedQuotient(BigInt(x), num, den, BigInt(convertAtChangeover(x, co)))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // 0 decimals (JPY) to 2 (EUR): 16,000 JPY at 160 per EUR → 100.00 EUR.
    expect(convertAtChangeover(16_000, { from: 'JPY', to: 'EUR', rate: '160', date: '2026-01-01' })).toBe(10_000);
  });

  it('refuses a rate that is not a plain positive decimal', () => {
    expect(parseRate(' 1.95583 ')).toEqual({ ok: true, rate: { num: 195_583n, den: 100_000n } });
    for (const bad of ['0', '0.000', '-1.95583', '1,95583', '1e5', '', '.5', '1.', 'abc']) expect(parseRate(bad), bad).toEqual({ ok: false, refusal: { kind: 'bad-rate', text: bad } });
  });

  it('converts BGN for totals and leaves other currencies alone', () => {
    expect(afterChangeover({ minor: 100_000, currency: 'BGN' })).toEqual({ minor: 51_129, currency: 'EUR' });
    expect(afterChangeover({ minor: 100_000, currency: 'USD' })).toEqual({ minor: 100_000, currency: 'USD' });
  });
});

describe('an invoice across the changeover', () => {
  const bgn = { currency: 'BGN', amountMinor: 100_000, paidMinor: 0 };

  it('keeps its BGN balance before the changeover', () => {
    expect(openBalance({ ...bgn, paidMinor: 20_000 }, '2025-12-31')).toEqual({ currency: 'BGN', minor: 80_000 });
  });

  it('owes its open balance in EUR from the changeover, converted once', () => {
    expect(openBalance(bgn, '2026-01-01')).toEqual({ currency: 'EUR', minor: 51_129, convertedFrom: { currency: 'BGN', minor: 100_000 } });
    // 800.00 BGN open → 409.03 EUR; then 100.00 EUR paid in euro leaves 309.03 EUR, not a re-conversion.
    expect(openBalance({ ...bgn, paidMinor: 20_000, paidAfterMinor: 10_000 }, '2026-03-01')).toEqual({ currency: 'EUR', minor: 30_903, convertedFrom: { currency: 'BGN', minor: 80_000 } });
    expect(openBalance({ ...bgn, paidMinor: 100_000 }, '2026-03-01')).toMatchObject({ currency: 'EUR', minor: 0 });
  });

  it('leaves invoices in other currencies in their own', () => {
    expect(openBalance({ currency: 'EUR', amountMinor: 5000, paidMinor: 1000 }, '2026-03-01')).toEqual({ currency: 'EUR', minor: 4000 });
  });

  it('follows a changeover date and rate from policy', () => {
    const later: Changeover = { from: 'BGN', to: 'EUR', rate: '2', date: '2027-01-01' };
    expect(openBalance(bgn, '2026-06-01', later)).toEqual({ currency: 'BGN', minor: 100_000 });
    expect(openBalance(bgn, '2027-01-01', later)).toMatchObject({ currency: 'EUR', minor: 50_000 });
  });

  it('refuses a new BGN document dated on or after the changeover', () => {
    expect(checkNewDocumentCurrency('BGN', '2025-12-31')).toEqual({ ok: true });
    expect(checkNewDocumentCurrency('BGN', '2026-01-01')).toEqual({ ok: false, refusal: { kind: 'currency-replaced', currency: 'BGN', since: '2026-01-01', use: 'EUR' } });
    expect(checkNewDocumentCurrency('EUR', '2026-01-01')).toEqual({ ok: true });
    expect(checkNewDocumentCurrency('BGN', '2026-06-01', { ...DEFAULT_CHANGEOVER, date: '2027-01-01' })).toEqual({ ok: true });
  });
});

describe('paying a BGN invoice in EUR after the changeover', () => {
  it('records 100.00 EUR on 800.00 BGN open (409.03 EUR) so that exactly 309.03 EUR is left', () => {
    const p = paymentAfterChangeover(80_000, 10_000);
    expect(p).toEqual({ ok: true, fromMinor: 80_000 - leastConvertingTo(30_903), leftToMinor: 30_903, leftFromMinor: leastConvertingTo(30_903) });
    expect(p.ok && convertAtChangeover(p.leftFromMinor)).toBe(30_903);
    expect(paymentAfterChangeover(80_000, 40_903)).toEqual({ ok: true, fromMinor: 80_000, leftToMinor: 0, leftFromMinor: 0 });
    expect(paymentAfterChangeover(80_000, 40_904)).toEqual({ ok: false, owedToMinor: 40_903 });
    // 0.01 BGN open is owed as 0.01 EUR, and paying it leaves nothing.
    expect(paymentAfterChangeover(1, 1)).toEqual({ ok: true, fromMinor: 1, leftToMinor: 0, leftFromMinor: 0 });
  });

  it('leastConvertingTo is the least BGN amount that converts to exactly that EUR amount', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 2 ** 50 })), (y) => {
        const b = leastConvertingTo(y);
        expect(convertAtChangeover(b)).toBe(y);
        if (b > 0) expect(convertAtChangeover(b - 1)).toBeLessThan(y);
      }),
      { numRuns: 20_000 },
    );
  });

  it('any sequence of EUR payments leaves the right remainder, and paying all that is owed leaves 0.00 BGN (never a stotinka unpaid forever)', () => {
    const balanceAndPayments = fc.integer({ min: 1, max: 1_000_000_000 }).chain((balance) =>
      fc.tuple(fc.constant(balance), fc.array(fc.integer({ min: 1, max: Math.max(1, convertAtChangeover(balance)) }), { maxLength: 12 })),
    );
    fc.assert(
      fc.property(balanceAndPayments, ([balance, payments]) => {
        let leftFrom = balance;
        let leftTo = convertAtChangeover(balance);
        let recordedFrom = 0;
        for (const paid of payments) {
          const p = paymentAfterChangeover(leftFrom, paid);
          if (!p.ok) {
            expect(paid).toBeGreaterThan(leftTo);
            expect(p.owedToMinor).toBe(leftTo);
            continue;
          }
          expect(p.fromMinor).toBeGreaterThanOrEqual(0);
          expect(p.fromMinor).toBeLessThanOrEqual(leftFrom);
          expect(p.leftToMinor).toBe(leftTo - paid);
          // The invoice's BGN balance alone says what is owed in EUR: openBalance needs nothing else.
          expect(openBalance({ currency: 'BGN', amountMinor: balance, paidMinor: recordedFrom + p.fromMinor }, '2026-02-01')).toMatchObject({ currency: 'EUR', minor: leftTo - paid });
          leftFrom -= p.fromMinor;
          leftTo -= paid;
          recordedFrom += p.fromMinor;
          expect(leftFrom === 0).toBe(leftTo === 0);
        }
        // Whatever is left is payable to the cent, and that clears the BGN balance exactly.
        const last = paymentAfterChangeover(leftFrom, leftTo);
        expect(last).toEqual({ ok: true, fromMinor: leftFrom, leftToMinor: 0, leftFromMinor: 0 });
        expect(recordedFrom + leftFrom).toBe(balance);
      }),
      { numRuns: 5000 },
    );
  });

  it('pays in BGN before the changeover and in EUR from it; other currencies in their own', () => {
    expect(paymentCurrency('BGN', '2025-12-31')).toBe('BGN');
    expect(paymentCurrency('BGN', '2026-01-01')).toBe('EUR');
    expect(paymentCurrency('USD', '2026-01-01')).toBe('USD');
  });

  it('needs a BGN minor unit worth no more than a EUR one (true of 1.95583; a rate below 1 is refused by the policy)', () => {
    expect(fromUnitFits(DEFAULT_CHANGEOVER)).toBe(true);
    expect(fromUnitFits({ ...DEFAULT_CHANGEOVER, rate: '1' })).toBe(true);
    expect(fromUnitFits({ ...DEFAULT_CHANGEOVER, rate: '0.7' })).toBe(false);
    // 1 EUR = 160 JPY: a yen (no minor digits) is worth less than a cent.
    expect(fromUnitFits({ from: 'JPY', to: 'EUR', rate: '160', date: '2026-01-01' })).toBe(true);
    expect(fromUnitFits({ from: 'JPY', to: 'EUR', rate: '50', date: '2026-01-01' })).toBe(false);
  });
});
