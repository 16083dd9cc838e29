import { majorToMinor } from './money.ts';
import type { TermsException } from './terms.ts';

/**
 * Where a contract goes beyond the client's loyalty policy (SPEC §3), or its payment terms
 * beyond the statutory limit between businesses (SPEC §5): each one finance must confirm.
 */
export type LoyaltyException =
  | TermsException
  | { kind: 'discount'; askedBp: number; maxBp: number }
  | { kind: 'net-days'; asked: number; max: number }
  | { kind: 'credit-limit'; exposureMinor: number; limitMinor: number; currency: string }
  | { kind: 'prepayment' };

export interface LoyaltyTerms {
  maxDiscountPct: number;
  netDays: number;
  /** In major units of `currency`. */
  creditLimit: number;
  prepayment: boolean;
}

/**
 * Compare a contract with the segment's terms. `exposureMinor` is what the client would owe
 * with this contract (open invoices plus its amount), in the base currency's minor units,
 * or null when it cannot be converted (then the credit check is left to finance's eyes).
 */
export function loyaltyExceptions(
  t: { discountBp: number; netDays: number },
  terms: LoyaltyTerms,
  exposure: { minor: number; currency: string } | null,
): LoyaltyException[] {
  const out: LoyaltyException[] = [];
  const maxBp = Math.round(terms.maxDiscountPct * 100);
  if (t.discountBp > maxBp) out.push({ kind: 'discount', askedBp: t.discountBp, maxBp });
  if (t.netDays > terms.netDays) out.push({ kind: 'net-days', asked: t.netDays, max: terms.netDays });
  if (exposure) {
    const limitMinor = majorToMinor(terms.creditLimit, exposure.currency);
    if (exposure.minor > limitMinor) out.push({ kind: 'credit-limit', exposureMinor: exposure.minor, limitMinor, currency: exposure.currency });
  }
  if (terms.prepayment) out.push({ kind: 'prepayment' });
  return out;
}

/** A stable key per exception, which finance's confirmation names. */
export function exceptionKey(e: LoyaltyException): string {
  return e.kind;
}

/**
 * The exceptions finance must tick to approve (SPEC §3: discount, terms, credit limit).
 * Prepayment is a condition to state, not a concession to confirm.
 */
export function toConfirm(exceptions: readonly LoyaltyException[]): LoyaltyException[] {
  return exceptions.filter((e) => e.kind !== 'prepayment');
}
