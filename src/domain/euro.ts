/**
 * The euro changeover (SPEC §5): Bulgaria adopted the euro on 2026-01-01 at 1.95583 BGN per
 * EUR. An amount converts by dividing by the rate and rounding half-up to the cent, in integer
 * arithmetic. Negative amounts (credit notes) round symmetrically, a half away from zero, so
 * converting −x gives exactly −(converting x).
 */
import { currencyDigits, isCurrency } from './money.ts';
import { divRound, minorBig, parseDecimal, type Fraction } from './rational.ts';

/** Policy `currency.changeover`: from `date` on, `from` gives way to `to`; `rate` is `from` units per one `to`. */
export interface Changeover {
  from: string;
  to: string;
  /** A plain decimal, e.g. "1.95583". */
  rate: string;
  date: string;
}

export const DEFAULT_CHANGEOVER: Changeover = { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' };

export type RateRefusal = { kind: 'bad-rate'; text: string };

/** The rate as an exact fraction; a refusal unless it is a plain decimal above zero. */
export function parseRate(text: string): { ok: true; rate: Fraction } | { ok: false; refusal: RateRefusal } {
  const rate = parseDecimal(text);
  if (!rate || rate.num === 0n) return { ok: false, refusal: { kind: 'bad-rate', text } };
  return { ok: true, rate };
}

/** Rates parsed once per text: a recompute or a funnel converts thousands of amounts by one. */
const rates = new Map<string, Fraction>();
function rateOf(co: Changeover): Fraction {
  const known = rates.get(co.rate);
  if (known) return known;
  const r = parseRate(co.rate);
  // The policy is validated when it is loaded (parseRate); a bad rate here is a bug.
  if (!r.ok) throw new RangeError(`currency.changeover.rate is not a positive decimal: ${co.rate}`);
  if (rates.size < 100) rates.set(co.rate, r.rate);
  return r.rate;
}

/**
 * `minor` units of `co.from` in minor units of `co.to`: minor / rate, rescaled between the two
 * currencies' minor digits (2 and 2 for BGN → EUR), rounded half away from zero. 1000 stotinki
 * (10.00 BGN) → 511 cents (5.11 EUR).
 */
export function convertAtChangeover(minor: number, co: Changeover = DEFAULT_CHANGEOVER): number {
  const { num, den } = rateOf(co);
  const scaleTo = 10n ** BigInt(currencyDigits(co.to));
  const scaleFrom = 10n ** BigInt(currencyDigits(co.from));
  const out = divRound(minorBig(minor, 'amount') * den * scaleTo, num * scaleFrom);
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('converted amount is past the safe integer range');
  return Number(out);
}

/**
 * An amount for totals, ABC and the funnel: a `co.from` amount in `co.to` by the fixed rate,
 * any other currency as it is.
 */
export function afterChangeover(money: { minor: number; currency: string }, co: Changeover = DEFAULT_CHANGEOVER): { minor: number; currency: string } {
  return money.currency === co.from ? { minor: convertAtChangeover(money.minor, co), currency: co.to } : money;
}

export interface OpenBalance {
  /** The currency the open balance is owed in on `asOf`. */
  currency: string;
  minor: number;
  /**
   * Set when the balance was converted at the changeover: the `co.from` balance that was
   * converted (amount − paid before the changeover). The conversion happens once, on that
   * figure; later payments are in `co.to` and are subtracted from the converted balance.
   */
  convertedFrom?: { currency: string; minor: number };
}

/**
 * Which currency an invoice's open balance is owed in as of `asOf`, and how much.
 *
 * An invoice in `co.from` keeps its `co.from` balance before `co.date`; from `co.date` on its
 * open balance is owed in `co.to`: `amount − paidMinor` converted by the rule, less
 * `paidAfterMinor` when the caller keeps payments in `co.to` apart. dealdesk itself records a
 * payment in `co.to` on such an invoice as the `co.from` figure that keeps this exact
 * (paymentAfterChangeover), so its `paidMinor` says it all and `paidAfterMinor` is 0: the
 * balance converted once at the changeover, less the `co.to` paid since, is always
 * `convert(amount − paidMinor)`. Any other invoice's balance is amount − paid in its own
 * currency (`paidAfterMinor` must be 0 for it).
 */
export function openBalance(
  invoice: { currency: string; amountMinor: number; paidMinor: number; paidAfterMinor?: number },
  asOf: string,
  co: Changeover = DEFAULT_CHANGEOVER,
): OpenBalance {
  const before = invoice.amountMinor - invoice.paidMinor;
  const after = invoice.paidAfterMinor ?? 0;
  if (invoice.currency !== co.from || asOf < co.date) return { currency: invoice.currency, minor: before - after };
  return { currency: co.to, minor: convertAtChangeover(before, co) - after, convertedFrom: { currency: co.from, minor: before } };
}

export type DocumentCurrencyRefusal = { kind: 'currency-replaced'; currency: string; since: string; use: string };

/** A new invoice (or contract) in `co.from` dated on or after the changeover is refused. */
export function checkNewDocumentCurrency(currency: string, dated: string, co: Changeover = DEFAULT_CHANGEOVER): { ok: true } | { ok: false; refusal: DocumentCurrencyRefusal } {
  if (currency === co.from && dated >= co.date) return { ok: false, refusal: { kind: 'currency-replaced', currency, since: co.date, use: co.to } };
  return { ok: true };
}

/**
 * The least amount of `co.from` (≥ 0) whose conversion is at least `toMinor`. When a minor
 * unit of `co.from` is worth no more than one of `co.to` (BGN: a stotinka is 0.51 cent; the
 * policy refuses a rate for which it is not, see fromUnitFits), every amount of `co.to` is the
 * conversion of some amount of `co.from`, and this is the least of them: its conversion is
 * exactly `toMinor`, and 0 gives 0.
 */
export function leastConvertingTo(toMinor: number, co: Changeover = DEFAULT_CHANGEOVER): number {
  const y = minorBig(toMinor, 'amount');
  if (y <= 0n) return 0;
  const { num, den } = rateOf(co);
  const scaleTo = 10n ** BigInt(currencyDigits(co.to));
  const scaleFrom = 10n ** BigInt(currencyDigits(co.from));
  // convert(b) = round(b·den·sT / (num·sF)), halves up, is ≥ y exactly when 2·b·den·sT ≥ (2y − 1)·num·sF.
  const need = (2n * y - 1n) * num * scaleFrom;
  const per = 2n * den * scaleTo;
  const b = (need + per - 1n) / per;
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount is past the safe integer range');
  return Number(b);
}

/** Whether a minor unit of `co.from` is worth at most one of `co.to`, so that leastConvertingTo is exact. */
export function fromUnitFits(co: Changeover): boolean {
  const r = parseRate(co.rate);
  if (!r.ok || !isCurrency(co.from) || !isCurrency(co.to)) return false;
  // rate (from per to) × 10^fromDigits / 10^toDigits ≥ 1: a `to` minor unit is worth ≥ 1 `from` minor unit.
  return r.rate.num * 10n ** BigInt(currencyDigits(co.from)) >= r.rate.den * 10n ** BigInt(currencyDigits(co.to));
}

export type ChangeoverPayment = { ok: true; fromMinor: number; leftToMinor: number; leftFromMinor: number } | { ok: false; owedToMinor: number };

/**
 * A payment of `paidToMinor` in `co.to` on an invoice in `co.from` whose open balance is
 * `balanceFromMinor` of `co.from` (SPEC §5: from the changeover it is owed in `co.to`).
 *
 * What is owed is convert(balance); after the payment convert(balance) − paid is left. The
 * payment is recorded in the invoice's currency as `fromMinor` = balance − leastConvertingTo(left),
 * so the `co.from` balance left converts to exactly what is left in `co.to`: a partial payment
 * leaves the right remainder, a payment of everything owed leaves 0 of `co.from` (never a
 * stotinka that no euro amount could pay), and a payment of more than is owed is refused.
 */
export function paymentAfterChangeover(balanceFromMinor: number, paidToMinor: number, co: Changeover = DEFAULT_CHANGEOVER): ChangeoverPayment {
  const owedToMinor = Math.max(0, convertAtChangeover(balanceFromMinor, co));
  if (paidToMinor > owedToMinor) return { ok: false, owedToMinor };
  const leftToMinor = owedToMinor - paidToMinor;
  const leftFromMinor = Math.min(balanceFromMinor, leastConvertingTo(leftToMinor, co));
  return { ok: true, fromMinor: balanceFromMinor - leftFromMinor, leftToMinor, leftFromMinor };
}

/** The currency a payment on an invoice in `currency` dated `date` is made in: `co.to` for a `co.from` invoice from the changeover on. */
export function paymentCurrency(currency: string, date: string, co: Changeover = DEFAULT_CHANGEOVER): string {
  return currency === co.from && date >= co.date ? co.to : currency;
}
