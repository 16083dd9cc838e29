/**
 * Statutory interest on a late payment (SPEC §5, Directive 2011/7/EU).
 *
 * Interest accrues for each day from the day after the due date up to and including the
 * as-of date, on the amount unpaid at the end of that day, at 1/360 of the annual rate in
 * force in that day's half-year (one rate per half-year, from 1 January or 1 July). The exact
 * sum is rounded once, half-up, to the minor unit; each half-year's line shows its share,
 * rounded so the lines add up to that total (line k = round(Σ exact lines 1..k) − round(Σ
 * exact lines 1..k−1), so each line is within one minor unit of its exact value).
 */
import { dayNumber, isoFromDayNumber } from './civil.ts';
import { isoDate } from './dates.ts';
import { convertAtChangeover, parseRate, type Changeover } from './euro.ts';
import { currencyDigits } from './money.ts';
import { divRound, minorBig, parseDecimal } from './rational.ts';

/** Policy `claims.interestRates`: the annual rate in % for the half-year starting `from`. */
export interface InterestRate {
  from: string;
  ratePct: string;
}

export const DEFAULT_INTEREST_RATES: readonly InterestRate[] = [
  { from: '2025-07-01', ratePct: '11.91' },
  { from: '2026-01-01', ratePct: '10.15' },
];

/** Policy `claims.recoveryCompensation`: fixed per invoice, Directive 2011/7/EU art. 6. */
export const DEFAULT_RECOVERY_COMPENSATION = { minor: 4000, currency: 'EUR' } as const;

export interface InterestPayment {
  date: string;
  minor: number;
}

export interface InterestInput {
  principalMinor: number;
  currency: string;
  due: string;
  payments: readonly InterestPayment[];
  asOf: string;
  rates: readonly InterestRate[];
  compensation?: { minor: number; currency: string };
  /**
   * Policy `currency.changeover`: an invoice in its `from` (BGN) is owed in its `to` (EUR) from
   * its date (SPEC §5), so from that day interest accrues on the balance converted by the rule,
   * and a statement as of that day or later is in `to`, the days before converted exactly.
   */
  changeover?: Changeover;
}

/** Days within one half-year on one unpaid amount. */
export interface InterestSpan {
  from: string;
  to: string;
  days: number;
  balanceMinor: number;
  /** Set when the balance is not in the statement's currency: a BGN balance before the changeover in a statement in EUR. */
  currency?: string;
}

export interface InterestLine {
  /** First and last accruing day of this half-year (both included). */
  from: string;
  to: string;
  days: number;
  ratePct: string;
  /** This half-year's share of the rounded total. */
  minor: number;
  spans: InterestSpan[];
}

export interface InterestStatement {
  currency: string;
  lines: InterestLine[];
  /** Σ line minor: the exact interest rounded once, half-up. */
  interestMinor: number;
  compensation: { minor: number; currency: string };
  /** Interest plus compensation, when both are in the invoice's currency; otherwise null. */
  totalMinor: number | null;
}

export type InterestRefusal =
  | { kind: 'bad-date'; field: 'due' | 'as-of' | 'payment'; text: string }
  | { kind: 'bad-amount'; field: 'principal' | 'payment'; minor: number }
  /** A policy row that is not 1 January / 1 July with a plain decimal rate, or a half-year given twice. */
  | { kind: 'bad-rate-table'; from: string; ratePct: string }
  /** The first accruing day whose half-year has no rate in the table. */
  | { kind: 'no-rate'; day: string; halfYear: string };

/** The 1 January or 1 July that starts `day`'s half-year. */
export function halfYearStart(day: string): string {
  return `${day.slice(0, 4)}-${Number(day.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
}

function halfYearEnd(day: string): string {
  return `${day.slice(0, 4)}-${Number(day.slice(5, 7)) <= 6 ? '06-30' : '12-31'}`;
}

/** Each half-year's rate as an exact fraction of a percent, or the first bad row. */
function rateTable(rates: readonly InterestRate[]): { ok: true; table: Map<string, { pct: string; num: bigint; den: bigint }> } | { ok: false; refusal: InterestRefusal } {
  const table = new Map<string, { pct: string; num: bigint; den: bigint }>();
  for (const r of rates) {
    const f = parseDecimal(r.ratePct);
    const bad = !f || !isoDate(r.from) || halfYearStart(r.from) !== r.from || table.has(r.from);
    if (bad) return { ok: false, refusal: { kind: 'bad-rate-table', from: r.from, ratePct: r.ratePct } };
    table.set(r.from, { pct: r.ratePct, ...f });
  }
  return { ok: true, table };
}

function checkInput(input: InterestInput): InterestRefusal | null {
  if (!isoDate(input.due)) return { kind: 'bad-date', field: 'due', text: input.due };
  if (!isoDate(input.asOf)) return { kind: 'bad-date', field: 'as-of', text: input.asOf };
  minorBig(input.principalMinor, 'principal');
  if (input.principalMinor < 0) return { kind: 'bad-amount', field: 'principal', minor: input.principalMinor };
  for (const p of input.payments) {
    if (!isoDate(p.date)) return { kind: 'bad-date', field: 'payment', text: p.date };
    minorBig(p.minor, 'payment');
    if (p.minor <= 0) return { kind: 'bad-amount', field: 'payment', minor: p.minor };
  }
  return null;
}

/**
 * What an overdue invoice owes beyond its principal as of `asOf`: the interest a line per
 * half-year, plus the fixed recovery compensation. Payments dated after `asOf` are ignored; a
 * payment on day d counts for d itself (the amount unpaid at the end of the day). Accrual
 * stops once nothing is unpaid, so a later half-year needs no rate then.
 */
export function statutoryInterest(input: InterestInput): { ok: true; statement: InterestStatement } | { ok: false; refusal: InterestRefusal } {
  const bad = checkInput(input);
  if (bad) return { ok: false, refusal: bad };
  const rates = rateTable(input.rates);
  if (!rates.ok) return rates;
  const payments = input.payments.map((p) => ({ day: dayNumber(p.date), minor: BigInt(p.minor) })).sort((a, b) => a.day - b.day);

  // A statement in the changeover's `to` for an invoice in its `from`: before the changeover the
  // balance is `from`, converted exactly (× den·sT / (num·sF)); from it on, the balance converted by the rule.
  const co = input.changeover;
  const converts = co !== undefined && input.currency === co.from && input.asOf >= co.date;
  const currency = converts ? co.to : input.currency;
  const conv = converts ? (() => {
    const r = parseRate(co.rate);
    if (!r.ok) throw new RangeError(`currency.changeover.rate is not a positive decimal: ${co.rate}`);
    return { num: r.rate.num * 10n ** BigInt(currencyDigits(co.from)), den: r.rate.den * 10n ** BigInt(currencyDigits(co.to)) };
  })() : { num: 1n, den: 1n };
  const changeoverDay = converts ? dayNumber(co.date) : Infinity;

  // Exact interest of each line, over a common denominator: balance × rate% / (100 × 360) per day.
  // Every rate's denominator is a power of ten, so the largest is a multiple of each.
  const scale = [...rates.table.values()].reduce((m, r) => (r.den > m ? r.den : m), 1n);
  const denominator = 36_000n * scale * conv.num;
  const exact: bigint[] = [];
  const lines: Omit<InterestLine, 'minor'>[] = [];

  const last = dayNumber(input.asOf);
  let balance = BigInt(input.principalMinor);
  let next = 0; // payments[next] is the first not yet subtracted
  for (let day = dayNumber(input.due) + 1; day <= last; ) {
    while (next < payments.length && payments[next]!.day <= day) balance -= payments[next++]!.minor;
    if (balance <= 0n) break;
    const from = isoFromDayNumber(day);
    const half = halfYearStart(from);
    const rate = rates.table.get(half);
    if (!rate) return { ok: false, refusal: { kind: 'no-rate', day: from, halfYear: half } };
    const before = day < changeoverDay;
    const to = Math.min(dayNumber(halfYearEnd(from)), last, (payments[next]?.day ?? Infinity) - 1, before ? changeoverDay - 1 : Infinity);
    const days = to - day + 1;
    // After the changeover the balance owed is the `from` balance converted by the rule (exact for dealdesk's payments, see euro.ts).
    const owed = converts && !before ? BigInt(convertAtChangeover(Number(balance), co)) : balance;
    const span: InterestSpan = { from, to: isoFromDayNumber(to), days, balanceMinor: Number(owed), ...(converts && before ? { currency: co.from } : {}) };
    const line = lines.at(-1);
    if (line && halfYearStart(line.from) === half) {
      line.to = span.to;
      line.days += days;
      line.spans.push(span);
    } else {
      lines.push({ from, to: span.to, days, ratePct: rate.pct, spans: [span] });
      exact.push(0n);
    }
    exact[exact.length - 1]! += owed * BigInt(days) * rate.num * (scale / rate.den) * (converts && before ? conv.den : conv.num);
    day = to + 1;
  }

  let cumulative = 0n;
  let shown = 0n;
  const rounded = lines.map((line, i) => {
    cumulative += exact[i]!;
    const upTo = divRound(cumulative, denominator);
    const minor = Number(upTo - shown);
    shown = upTo;
    return { ...line, minor };
  });
  const interestMinor = Number(shown);
  const compensation = input.compensation ?? DEFAULT_RECOVERY_COMPENSATION;
  const totalMinor = compensation.currency === currency ? interestMinor + compensation.minor : null;
  return { ok: true, statement: { currency, lines: rounded, interestMinor, compensation: { ...compensation }, totalMinor } };
}
