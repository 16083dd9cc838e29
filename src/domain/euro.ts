/**
 * The euro changeover (SPEC §5): Bulgaria adopted the euro on 2026-01-01 at 1.95583 BGN per
 * EUR. An amount converts by dividing by the rate and rounding half-up to the cent, in integer
 * arithmetic. Negative amounts (credit notes) round symmetrically, a half away from zero, so
 * converting −x gives exactly −(converting x).
 */
import { currencyDigits } from './money.ts';
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
 * open balance is owed in `co.to`, converted once: the balance is `amount − paidMinor`
 * (`paidMinor`: what was paid in `co.from`, before the changeover) converted by the rule, less
 * `paidAfterMinor` (payments recorded on or after the changeover, in `co.to`). Any other
 * invoice's balance is amount − paid in its own currency (`paidAfterMinor` must be 0 for it).
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
