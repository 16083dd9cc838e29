import { describe, expect, it } from 'vitest';
import { exceptionKey, loyaltyExceptions, type LoyaltyException } from '../../src/domain/loyalty.ts';
import { STATUTORY_MAX_NET_DAYS, termsException } from '../../src/domain/terms.ts';

describe('payment terms over 60 days (Commerce Act art. 303a)', () => {
  it('are an exception past 60 days, none up to 60', () => {
    expect(STATUTORY_MAX_NET_DAYS).toBe(60);
    expect(termsException(0)).toBe(null);
    expect(termsException(60)).toBe(null);
    expect(termsException(61)).toEqual({ kind: 'statutory-net-days', asked: 61, max: 60 });
    expect(termsException(120)).toEqual({ kind: 'statutory-net-days', asked: 120, max: 60 });
  });

  it('have a kind of their own beside the loyalty policy’s net-days', () => {
    const loyalty = loyaltyExceptions({ discountBp: 0, netDays: 90 }, { maxDiscountPct: 10, netDays: 60, creditLimit: 0, prepayment: false }, null);
    const statutory = termsException(90)!;
    const all: { kind: string }[] = [...loyalty, statutory];
    expect(new Set(all.map((e) => e.kind)).size).toBe(all.length);
    expect(loyalty.map((e: LoyaltyException) => exceptionKey(e))).not.toContain(statutory.kind);
  });
});
