/**
 * Retention (SPEC §7): reviews by cadence and clients going quiet.
 *
 * Pure: dates are calendar dates (`YYYY-MM-DD`, the workspace's zone) and `asOf` comes in as an
 * argument. Decisions (each one is tested in test/domain/retention.test.ts):
 *
 * Reviews
 *  - The next review is the last logged review plus the cadence of the client's segment *now*
 *    (a client without a segment has C's cadence, as for its loyalty terms). Never reviewed: the
 *    day the client was added plus that cadence.
 *  - Not from the day the client entered its segment: a client near an ABC threshold can flip
 *    between A and B night after night, and a clock that restarted at each flip would put its
 *    review off for ever. So a client promoted to A whose last review was ten months ago is due
 *    now, which is what its owner should hear; one demoted to C gets C's longer cadence from its
 *    last review.
 *  - A review is due on its date and stays due until one is logged (`overdueDays` 0 on the day).
 *
 * Going quiet
 *  - Only A and B clients are watched. What counts is the days on which the client was invoiced
 *    (amount above 0, issued on or before `asOf`): several invoices on one day are one purchase,
 *    and a credit note is not a purchase. Later-dated invoices do not exist yet as of `asOf`.
 *  - At least three such days (two gaps) are needed for a rhythm; with fewer the client is never quiet.
 *  - Usual rhythm = the median gap in days between consecutive invoice days (the mean of the two
 *    middle gaps when their number is even, so it may be a half day).
 *  - Quiet when days silent (from the last invoice day to `asOf`) > quietFactor × usual rhythm;
 *    exactly at the threshold is not quiet yet. An invoice today means 0 days silent: never quiet.
 *  - A quiet spell is named by the client's last invoice day before the silence. The owner is
 *    told once per spell: `shouldAlertQuiet` says yes only when that day differs from the spell
 *    last alerted. A new invoice ends the spell (the client is active again, or, if it goes
 *    quiet later, that is a new spell with a new last invoice day).
 *  - Last 12 months' revenue: invoices issued after `asOf` minus 12 calendar months, up to `asOf`,
 *    summed per currency; the changeover's `from` currency (BGN) is summed on its own and
 *    converted once per client total by the fixed rule into `to` (as ABC does), then merged.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { convertAtChangeover, type Changeover } from './euro.ts';
import type { Segment } from './stages.ts';

dayjs.extend(utc);

export const DEFAULT_QUIET_FACTOR = 2;
/** Invoice days needed before a client has a rhythm (SPEC §7: at least three invoices). */
export const MIN_INVOICE_DAYS = 3;
/** The segments watched for going quiet (SPEC §7). */
export const QUIET_SEGMENTS = ['A', 'B'] as const satisfies readonly Segment[];

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The median of numbers already sorted ascending; undefined for none. */
export function medianSorted(xs: readonly number[]): number | undefined {
  const n = xs.length;
  if (n === 0) return undefined;
  const m = n >> 1;
  return n % 2 === 1 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

// ── Reviews ─────────────────────────────────────────────────────────────────────────────────

export interface ReviewSubject {
  clientId: number;
  ownerId: string;
  segment: Segment | null;
  /** Day of the latest logged review, or null when the client was never reviewed. */
  lastReviewOn: string | null;
  /** Day the client was added. */
  createdOn: string;
}

export interface NextReview {
  clientId: number;
  ownerId: string;
  /** The segment whose cadence applies (C for a client without one). */
  segment: Segment;
  everyDays: number;
  /** What the cadence counts from: the last review, or the day the client was added. */
  from: 'review' | 'created';
  fromOn: string;
  nextOn: string;
}

export interface DueReview extends NextReview {
  /** Days past the review date; 0 when it falls on `asOf`. */
  overdueDays: number;
}

/** When the client's next review falls (see the decisions at the top of this file). */
export function nextReview(s: ReviewSubject, everyDays: Readonly<Record<Segment, number>>): NextReview {
  const segment = s.segment ?? 'C';
  const days = everyDays[segment];
  if (!(Number.isInteger(days) && days >= 1)) throw new RangeError(`reviewEveryDays of ${segment} must be a whole number of days ≥ 1 (got ${days})`);
  const from = s.lastReviewOn !== null ? 'review' : 'created';
  const fromOn = s.lastReviewOn ?? s.createdOn;
  return { clientId: s.clientId, ownerId: s.ownerId, segment, everyDays: days, from, fromOn, nextOn: dateOf(dayNumber(fromOn) + days) };
}

/** Days from `asOf` to the next review: negative when overdue, 0 on the day. */
export function daysUntilReview(next: NextReview, asOf: string): number {
  return dayNumber(next.nextOn) - dayNumber(asOf);
}

/** The reviews due on `asOf` (on it or before), oldest first, ties by client id. */
export function reviewsDue(subjects: readonly ReviewSubject[], asOf: string, everyDays: Readonly<Record<Segment, number>>): DueReview[] {
  const out: DueReview[] = [];
  for (const s of subjects) {
    const next = nextReview(s, everyDays);
    const until = daysUntilReview(next, asOf);
    if (until <= 0) out.push({ ...next, overdueDays: Math.abs(until) });
  }
  return out.sort((a, b) => (a.nextOn < b.nextOn ? -1 : a.nextOn > b.nextOn ? 1 : a.clientId - b.clientId));
}

/** Group rows by `ownerId`, owners in id order, each owner's rows in the order given. */
export function byOwner<T extends { ownerId: string }>(rows: readonly T[]): [ownerId: string, rows: T[]][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    let l = m.get(r.ownerId);
    if (!l) m.set(r.ownerId, (l = []));
    l.push(r);
  }
  return [...m].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

// ── Going quiet ─────────────────────────────────────────────────────────────────────────────

export interface InvoiceMark {
  issueDate: string;
  amountMinor: number;
  currency: string;
}

export interface QuietSubject {
  clientId: number;
  segment: Segment | null;
  invoices: readonly InvoiceMark[];
}

export interface Rhythm {
  /** Distinct days with an invoice, up to `asOf`. */
  invoiceDays: number;
  /** The median gap between invoice days. */
  usualGapDays: number;
  lastInvoiceOn: string;
  daysSilent: number;
  /** quietFactor × usualGapDays: the client is quiet once `daysSilent` is above it. */
  thresholdDays: number;
}

export interface MoneyTotal {
  currency: string;
  minor: number;
}

export type QuietStatus =
  | { kind: 'not-watched'; segment: Segment | null }
  | { kind: 'too-few-invoices'; invoiceDays: number; needed: number }
  | { kind: 'active'; rhythm: Rhythm }
  | {
      kind: 'quiet';
      rhythm: Rhythm;
      /** Names the quiet spell: the last invoice day before the silence. */
      spell: string;
      /** Last 12 months' revenue per currency (sorted by currency), the changeover's `from` converted. */
      revenue12m: MoneyTotal[];
    };

function checkFactor(factor: number): void {
  if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`retention.quietFactor must be a number ≥ 1 (got ${factor})`);
}

/** Whether an A or B client has gone quiet as of `asOf` (see the decisions at the top of this file). */
export function quietStatus(s: QuietSubject, asOf: string, quietFactor: number = DEFAULT_QUIET_FACTOR, co?: Changeover): QuietStatus {
  checkFactor(quietFactor);
  if (s.segment !== 'A' && s.segment !== 'B') return { kind: 'not-watched', segment: s.segment };
  const today = dayNumber(asOf);
  const days = [...new Set(s.invoices.filter((i) => i.amountMinor > 0 && i.issueDate <= asOf).map((i) => dayNumber(i.issueDate)))].sort((a, b) => a - b);
  if (days.length < MIN_INVOICE_DAYS) return { kind: 'too-few-invoices', invoiceDays: days.length, needed: MIN_INVOICE_DAYS };
  const gaps = days.slice(1).map((d, i) => d - days[i]!).sort((a, b) => a - b);
  const usualGapDays = medianSorted(gaps)!;
  const last = days[days.length - 1]!;
  const rhythm: Rhythm = { invoiceDays: days.length, usualGapDays, lastInvoiceOn: dateOf(last), daysSilent: today - last, thresholdDays: quietFactor * usualGapDays };
  if (!(rhythm.daysSilent > rhythm.thresholdDays)) return { kind: 'active', rhythm };
  return { kind: 'quiet', rhythm, spell: rhythm.lastInvoiceOn, revenue12m: revenueSince(s.invoices, twelveMonthsBefore(asOf), asOf, co) };
}

/** `asOf` minus 12 calendar months (29 February → 28 February). */
export function twelveMonthsBefore(asOf: string): string {
  return dayjs.utc(asOf).subtract(12, 'month').format('YYYY-MM-DD');
}

/** Invoices issued after `after` up to `until`, summed per currency (see the decisions at the top). */
export function revenueSince(invoices: readonly InvoiceMark[], after: string, until: string, co?: Changeover): MoneyTotal[] {
  const sums = new Map<string, number>();
  for (const i of invoices) if (i.issueDate > after && i.issueDate <= until) sums.set(i.currency, (sums.get(i.currency) ?? 0) + i.amountMinor);
  if (co !== undefined && sums.has(co.from)) {
    const converted = convertAtChangeover(sums.get(co.from)!, co);
    sums.delete(co.from);
    sums.set(co.to, (sums.get(co.to) ?? 0) + converted);
  }
  return [...sums]
    .filter(([, minor]) => minor !== 0)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([currency, minor]) => ({ currency, minor }));
}

/**
 * Whether to tell the owner: the client is quiet and this spell (its last invoice day) is not
 * the one last alerted for it. The wiring records the spell it alerted; a guarded insert
 * (unique client and spell) makes two digests racing alert once.
 */
export function shouldAlertQuiet(status: QuietStatus, lastAlertedSpell: string | null): status is Extract<QuietStatus, { kind: 'quiet' }> {
  return status.kind === 'quiet' && status.spell !== lastAlertedSpell;
}

export interface QuietAlert {
  clientId: number;
  spell: string;
  rhythm: Rhythm;
  revenue12m: MoneyTotal[];
}

/** Every watched client to alert as of `asOf`, by client id; `alerted` maps a client to its spell last alerted. */
export function quietAlerts(
  subjects: readonly QuietSubject[],
  asOf: string,
  alerted: ReadonlyMap<number, string>,
  quietFactor: number = DEFAULT_QUIET_FACTOR,
  co?: Changeover,
): QuietAlert[] {
  const out: QuietAlert[] = [];
  for (const s of subjects) {
    const st = quietStatus(s, asOf, quietFactor, co);
    if (shouldAlertQuiet(st, alerted.get(s.clientId) ?? null)) out.push({ clientId: s.clientId, spell: st.spell, rhythm: st.rhythm, revenue12m: st.revenue12m });
  }
  return out.sort((a, b) => a.clientId - b.clientId);
}
