/**
 * Payment terms between businesses longer than 60 days (Commerce Act art. 303a, SPEC §5) are
 * an exception in finance's approval message, which finance confirms like a loyalty
 * exception. Shaped like LoyaltyException (src/domain/loyalty.ts) so it can join that union;
 * its kind differs from the loyalty policy's own `net-days`, which compares with the segment.
 */

export const STATUTORY_MAX_NET_DAYS = 60;

export type TermsException = { kind: 'statutory-net-days'; asked: number; max: number };

/** The exception for `netDays` beyond the statutory limit, or null within it. */
export function termsException(netDays: number, max: number = STATUTORY_MAX_NET_DAYS): TermsException | null {
  return netDays > max ? { kind: 'statutory-net-days', asked: netDays, max } : null;
}
