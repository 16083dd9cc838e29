import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceptionKey, loyaltyExceptions, toConfirm, type LoyaltyTerms } from '../../src/domain/loyalty.ts';
import { majorToMinor, minorToDecimal } from '../../src/domain/money.ts';

/** Segment B's default terms: 5 % discount, net 45, €50,000 credit, no prepayment. */
const B: LoyaltyTerms = { maxDiscountPct: 5, netDays: 45, creditLimit: 50_000, prepayment: false };
const within = { discountBp: 500, netDays: 45 };
const eur = (minor: number) => ({ minor, currency: 'EUR' });

describe('loyalty exceptions (SPEC §3)', () => {
  it('finds none for a contract inside every term, the limits themselves included', () => {
    expect(loyaltyExceptions(within, B, eur(5_000_000))).toEqual([]);
  });

  it('flags a discount above the segment’s maximum, in basis points', () => {
    expect(loyaltyExceptions({ ...within, discountBp: 501 }, B, eur(0))).toEqual([{ kind: 'discount', askedBp: 501, maxBp: 500 }]);
  });

  it('reads a fractional maximum discount exactly (12.5 % is 1250 bp)', () => {
    const terms = { ...B, maxDiscountPct: 12.5 };
    expect(loyaltyExceptions({ ...within, discountBp: 1250 }, terms, null)).toEqual([]);
    expect(loyaltyExceptions({ ...within, discountBp: 1251 }, terms, null)).toEqual([{ kind: 'discount', askedBp: 1251, maxBp: 1250 }]);
    // 0.29 * 100 is 28.999… in floating point: still 29 bp.
    expect(loyaltyExceptions({ ...within, discountBp: 29 }, { ...B, maxDiscountPct: 0.29 }, null)).toEqual([]);
  });

  it('flags payment terms longer than the segment’s net days', () => {
    expect(loyaltyExceptions({ ...within, netDays: 46 }, B, null)).toEqual([{ kind: 'net-days', asked: 46, max: 45 }]);
  });

  it('flags exposure above the credit limit, in the base currency’s minor units', () => {
    expect(loyaltyExceptions(within, B, eur(5_000_001))).toEqual([{ kind: 'credit-limit', exposureMinor: 5_000_001, limitMinor: 5_000_000, currency: 'EUR' }]);
    // Zero-decimal and three-decimal base currencies scale the limit by their own digits.
    expect(loyaltyExceptions(within, B, { minor: 50_001, currency: 'JPY' })).toEqual([{ kind: 'credit-limit', exposureMinor: 50_001, limitMinor: 50_000, currency: 'JPY' }]);
    expect(loyaltyExceptions(within, B, { minor: 50_000_000, currency: 'KWD' })).toEqual([]);
  });

  it('turns a limit in major units into minor units by the currency’s own digits, exactly', () => {
    expect([majorToMinor(20_000, 'JPY'), majorToMinor(20_000, 'EUR'), majorToMinor(1.5, 'KWD'), majorToMinor(0.29, 'EUR')]).toEqual([20_000, 2_000_000, 1_500, 29]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('EUR', 'BGN', 'JPY', 'KRW', 'KWD', 'BHD', 'CLF'), (minor, currency) => {
        expect(majorToMinor(Number(minorToDecimal(minor, currency)), currency)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves the credit check to finance when the exposure cannot be converted', () => {
    expect(loyaltyExceptions(within, { ...B, creditLimit: 0 }, null)).toEqual([]);
  });

  it('states prepayment as a condition, which finance need not tick', () => {
    const all = loyaltyExceptions({ discountBp: 1000, netDays: 90 }, { ...B, prepayment: true }, eur(99_999_999));
    expect(all.map(exceptionKey)).toEqual(['discount', 'net-days', 'credit-limit', 'prepayment']);
    expect(toConfirm(all).map(exceptionKey)).toEqual(['discount', 'net-days', 'credit-limit']);
  });

  it('flags exactly the terms that are exceeded (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        (discountBp, netDays, maxPct, maxNet, exposure, limit, prepayment) => {
          const keys = loyaltyExceptions({ discountBp, netDays }, { maxDiscountPct: maxPct, netDays: maxNet, creditLimit: limit, prepayment }, eur(exposure)).map(exceptionKey);
          expect(keys.includes('discount')).toBe(discountBp > maxPct * 100);
          expect(keys.includes('net-days')).toBe(netDays > maxNet);
          expect(keys.includes('credit-limit')).toBe(exposure > limit * 100);
          expect(keys.includes('prepayment')).toBe(prepayment);
        },
      ),
    );
  });
});
