/**
 * The sales funnel and the cash-flow forecast (SPEC §1 "Attract", §3 `/funnel`).
 *
 * Pure: deals, invoices and the clock come in as arguments; amounts are converted into the
 * base currency with the caller's rates (currencies without a rate are reported, never mixed in).
 *
 * Decisions (each one is tested in test/domain/funnel.test.ts):
 *  - The period is half-open, `from ≤ at < to`, so consecutive periods never count an event twice.
 *  - "Reached a stage in the period" = a history entry into it inside the period. A move forward
 *    that skips pipeline stages (lead → proposal by hand, or a deal created straight at proposal)
 *    also counts as reaching every skipped stage at that moment: a deal at proposal has been
 *    through qualified, and the funnel stays a funnel. A deal counts once per stage, however often
 *    it re-entered it. Entering `lost` implies nothing else.
 *  - Conversion between consecutive pipeline stages (lead→qualified … payment→won) is
 *    reached(next) / reached(this), null when nothing reached this stage.
 *  - Win rate = won / (won + lost) over deals closed in the period; a deal's outcome is its last
 *    entry into won or lost inside the period; null when none closed.
 *  - Current count and value are of the deals' stage now (not limited to the period); deals without
 *    a value or currency are counted but add no value (`unvalued`); unconvertible currencies are listed.
 *  - Days in a stage: every stay overlapping the period (entered before `period.to`, left at or
 *    after `period.from` or not left yet), measured from entry to leaving, or to `period.to` when
 *    still there; summed per deal and averaged over the deals that had such a stay (fractional
 *    days); won and lost are terminal and have no duration (null); null when no deal stayed.
 *  - A deal with no history is taken to have entered its current stage at `createdAt`.
 *  - `byOwner` holds the same figures per current deal owner.
 *  - Forecast: months are `YYYY-MM` in `opts.tz` (default UTC, via Intl); `expectedClose` is a calendar
 *    date, so its month is its first seven characters. Overdue invoices (dueAt < asOf) and slipped
 *    deals (expected close before the current month) go into the current month; the month keys run
 *    without gaps from the current month to the last one with anything in it.
 *  - Forecast, invoiced deals: cash is counted once. An open invoice counts what it still owes in
 *    the month it falls due; a deal counts, weighted by its stage, only the part of its value not
 *    yet invoiced (its value less every invoice issued against it, paid or not, never below zero;
 *    see uninvoicedValue). A deal at `payment` invoiced in full therefore adds nothing as a deal,
 *    and a deal with nothing left to invoice, or without a value but with invoices, is placed by
 *    its invoices and never counted as unplaced. An invoice of the deal in a currency without a
 *    rate leaves the deal out (its remainder is unknown) and names the currency.
 */
import { currencyConverter } from './abc.ts';
import type { Changeover } from './euro.ts';
import { STAGES, type Stage } from './stages.ts';

/** The pipeline in order, without `lost`. */
export const PIPELINE_STAGES = ['lead', 'qualified', 'proposal', 'contract', 'delivery', 'payment', 'won'] as const satisfies readonly Stage[];

export const DEFAULT_STAGE_PROBABILITIES: Readonly<Record<Stage, number>> = Object.freeze({
  lead: 0.1,
  qualified: 0.25,
  proposal: 0.5,
  contract: 0.75,
  delivery: 0.9,
  payment: 0.95,
  won: 1,
  lost: 0,
});

export interface DealFact {
  id: number;
  ownerId: string;
  stage: Stage;
  valueMinor: number | null;
  currency: string | null;
  /** YYYY-MM-DD */
  expectedClose: string | null;
  createdAt: number;
  history: { from: Stage | null; to: Stage; at: number }[];
  /** Every invoice issued against the deal (paid or not), for the forecast; none when absent. */
  invoiced?: readonly InvoicedAmount[];
}

/**
 * Deals that count at their stage now and nowhere else in a period's funnel: closed (at won or
 * lost now, their last stage change before the period into won or lost), not created in the
 * period, no stage change since it began (closedBefore). One owner's at one stage in one
 * currency (null: none): how many, how many of them with a value, and those values, each deal's
 * or, in a currency converted in proportion (not convertedOneByOne's), any sums of them.
 */
export interface ClosedDealGroup {
  ownerId: string;
  stage: Stage;
  currency: string | null;
  deals: number;
  valued: number;
  valuesMinor: readonly number[];
}

export interface InvoicedAmount {
  amountMinor: number;
  currency: string;
}

export interface OpenInvoiceFact {
  amountOwedMinor: number;
  currency: string;
  dueAt: number;
}

export interface FunnelOptions {
  baseCurrency: string;
  rates: Record<string, number>;
  /** When set and its `to` is the base currency, its `from` converts by the fixed rule per amount (SPEC §5). */
  changeover?: Changeover;
  probabilities: Record<Stage, number>;
}

export interface StageFigures {
  /** Deals that reached the stage in the period. */
  reached: number;
  /** Deals at the stage now. */
  currentCount: number;
  /** Their value in base-currency minor units (deals without a value or with an unconvertible currency add nothing). */
  currentValueMinor: number;
  /** Average days a deal spent in the stage during the period; null for won/lost or when no deal stayed. */
  avgDaysInStage: number | null;
}

export interface StageConversion {
  from: Stage;
  to: Stage;
  /** reached(to) / reached(from); null when reached(from) is 0. */
  rate: number | null;
}

export interface FunnelFigures {
  stages: Record<Stage, StageFigures>;
  conversions: StageConversion[];
  /** Deals closed in the period, by outcome. */
  won: number;
  lost: number;
  winRate: number | null;
  /** Open deals' value now, and that value weighted by the stage probabilities. */
  openValueMinor: number;
  weightedOpenValueMinor: number;
  /** Deals counted in `currentCount` without a value or currency. */
  unvalued: number;
  /** Currencies without a rate whose deals' values were left out, sorted. */
  unconvertible: string[];
}

export interface FunnelReport extends FunnelFigures {
  period: { from: number; to: number };
  baseCurrency: string;
  byOwner: Record<string, FunnelFigures>;
}

const DAY_MS = 86_400_000;
const N = STAGES.length;
const WON = STAGES.indexOf('won');
const LOST = STAGES.indexOf('lost');
const STAGE_INDEX = new Map<Stage, number>(STAGES.map((s, i) => [s, i]));
const idx = (s: Stage): number => STAGE_INDEX.get(s)!;

function checkProbabilities(p: Record<Stage, number>): void {
  for (const s of STAGES) {
    const v = p[s];
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) throw new RangeError(`probability of ${s} must be between 0 and 1 (got ${v})`);
  }
}

class Acc {
  reached = new Uint32Array(N);
  count = new Uint32Array(N);
  value = new Float64Array(N);
  daysSum = new Float64Array(N);
  daysDeals = new Uint32Array(N);
  won = 0;
  lost = 0;
  open = 0;
  weighted = 0;
  unvalued = 0;
  unconvertible = new Set<string>();

  figures(): FunnelFigures {
    const stages = {} as Record<Stage, StageFigures>;
    STAGES.forEach((s, i) => {
      stages[s] = {
        reached: this.reached[i]!,
        currentCount: this.count[i]!,
        currentValueMinor: Math.round(this.value[i]!),
        avgDaysInStage: this.daysDeals[i]! > 0 ? this.daysSum[i]! / this.daysDeals[i]! : null,
      };
    });
    const conversions: StageConversion[] = [];
    for (let i = 0; i + 1 < PIPELINE_STAGES.length; i++) {
      const from = PIPELINE_STAGES[i]!;
      const to = PIPELINE_STAGES[i + 1]!;
      const base = stages[from].reached;
      conversions.push({ from, to, rate: base > 0 ? stages[to].reached / base : null });
    }
    const closed = this.won + this.lost;
    return {
      stages,
      conversions,
      won: this.won,
      lost: this.lost,
      winRate: closed > 0 ? this.won / closed : null,
      openValueMinor: Math.round(this.open),
      weightedOpenValueMinor: Math.round(this.weighted),
      unvalued: this.unvalued,
      unconvertible: [...this.unconvertible].sort(),
    };
  }
}

type Entry = { from: Stage | null; to: Stage; at: number };

function entriesOf(d: DealFact): Entry[] {
  if (d.history.length === 0) return [{ from: null, to: d.stage, at: d.createdAt }];
  // Most histories come in time order already: those need no copy (entries are only read).
  let sorted = true;
  for (let k = 1; k < d.history.length && sorted; k++) sorted = d.history[k - 1]!.at <= d.history[k]!.at;
  return sorted ? d.history : d.history.slice().sort((x, y) => x.at - y.at); // stable: same-time entries keep their order
}

/**
 * Is this deal one that counts at its stage now only (ClosedDealGroup): at won or lost, its last
 * entry (in time order) into won or lost and before the period, or without history created
 * outside the period. `funnel(deals, p)` equals `funnel(others, p, opts, groups of these)`.
 */
export function closedBefore(d: DealFact, period: { from: number; to: number }): boolean {
  if (d.stage !== 'won' && d.stage !== 'lost') return false;
  if (d.history.length === 0) return d.createdAt < period.from || d.createdAt >= period.to;
  const entries = entriesOf(d);
  const last = entries[entries.length - 1]!;
  return (last.to === 'won' || last.to === 'lost') && entries.every((e) => e.at < period.from) && (d.createdAt < period.from || d.createdAt >= period.to);
}

/**
 * The currency whose amounts convert each on its own (the changeover's `from`, by its fixed rule
 * into whole minor units of the base currency): a sum of them converts to another figure than
 * the sum of each converted. Any other currency converts in proportion, so a sum may be converted.
 */
export function convertedOneByOne(opts: Pick<FunnelOptions, 'baseCurrency' | 'changeover'>): string | undefined {
  return opts.changeover !== undefined && opts.changeover.to === opts.baseCurrency ? opts.changeover.from : undefined;
}

export function funnel(deals: DealFact[], period: { from: number; to: number }, opts: FunnelOptions, closed: readonly ClosedDealGroup[] = []): FunnelReport {
  checkProbabilities(opts.probabilities);
  const convert = currencyConverter(opts.baseCurrency, opts.rates, opts.changeover);
  const total = new Acc();
  const owners = new Map<string, Acc>();
  const inPeriod = (at: number) => at >= period.from && at < period.to;
  const stay = new Float64Array(N);
  const accOf = (owner: string): Acc => {
    let own = owners.get(owner);
    if (!own) owners.set(owner, (own = new Acc()));
    return own;
  };

  for (const g of closed) {
    const cur = idx(g.stage);
    const currency = g.valued > 0 ? g.currency : null;
    const values = currency === null ? [] : g.valuesMinor.map((v) => convert(v, currency));
    for (const a of [total, accOf(g.ownerId)]) {
      a.count[cur]! += g.deals;
      a.unvalued += g.deals - g.valued;
      for (const value of values) {
        if (value === null) a.unconvertible.add(currency!);
        else {
          a.value[cur]! += value;
          if (cur !== WON && cur !== LOST) {
            a.open += value;
            a.weighted += value * opts.probabilities[g.stage];
          }
        }
      }
    }
  }

  for (const d of deals) {
    const accs = [total, accOf(d.ownerId)];
    const entries = entriesOf(d);

    // Reached, with pass-through of skipped pipeline stages; and the outcome if closed in the period.
    let reached = 0;
    let outcome = -1;
    for (const e of entries) {
      if (!inPeriod(e.at)) continue;
      const to = idx(e.to);
      reached |= 1 << to;
      if (to === WON || to === LOST) outcome = to;
      if (to !== LOST) {
        const from = e.from === null || e.from === 'lost' ? -1 : idx(e.from);
        for (let s = from + 1; s < to; s++) reached |= 1 << s;
      }
    }

    // Time in each stage during the period.
    stay.fill(-1);
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k]!;
      const s = idx(e.to);
      if (s === WON || s === LOST) continue;
      const end = entries[k + 1]?.at ?? Infinity;
      if (e.at >= period.to || end < period.from) continue;
      stay[s] = Math.max(0, stay[s]!) + (Math.min(end, period.to) - e.at) / DAY_MS;
    }

    const cur = idx(d.stage);
    const hasValue = d.valueMinor !== null && d.currency !== null;
    const value = hasValue ? convert(d.valueMinor!, d.currency!) : null;
    for (const a of accs) {
      for (let s = 0; s < N; s++) {
        if (reached & (1 << s)) a.reached[s]!++;
        if (stay[s]! >= 0) {
          a.daysSum[s]! += stay[s]!;
          a.daysDeals[s]!++;
        }
      }
      if (outcome === WON) a.won++;
      else if (outcome === LOST) a.lost++;
      a.count[cur]!++;
      if (!hasValue) a.unvalued++;
      else if (value === null) a.unconvertible.add(d.currency!);
      else {
        a.value[cur]! += value;
        if (cur !== WON && cur !== LOST) {
          a.open += value;
          a.weighted += value * opts.probabilities[d.stage];
        }
      }
    }
  }

  const byOwner: Record<string, FunnelFigures> = Object.fromEntries([...owners].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([o, a]) => [o, a.figures()]));
  return { ...total.figures(), period: { from: period.from, to: period.to }, baseCurrency: opts.baseCurrency, byOwner };
}

export interface ForecastMonth {
  weightedDealsMinor: number;
  invoicesMinor: number;
}

export interface Forecast {
  baseCurrency: string;
  /** `YYYY-MM` → amounts in base-currency minor units, ascending and without gaps from the current month. */
  months: Record<string, ForecastMonth>;
  /** Open deals without an expected close date (or with an invalid one) or without a value; `weightedDealsMinor` sums those that do have a value. */
  unplaced: { count: number; weightedDealsMinor: number };
  /** Currencies without a rate; their deals and invoices are left out, sorted. */
  unconvertible: string[];
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM` of a moment in a time zone (UTC by default). */
export function monthOf(ms: number, tz = 'UTC'): string {
  if (tz === 'UTC') {
    const d = new Date(ms);
    return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  let f = monthFormatters.get(tz);
  if (!f) monthFormatters.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit' })));
  let y = '';
  let m = '';
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
  }
  return `${y.padStart(4, '0')}-${m}`;
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function nextMonth(key: string): string {
  let y = Number(key.slice(0, 4));
  let m = Number(key.slice(5, 7)) + 1;
  if (m > 12) {
    m = 1;
    y++;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/**
 * The part of a deal's value (already in base-currency minor units) not yet invoiced: the value
 * less every invoice issued against the deal, never below zero. `ok: false` names the currency of
 * an invoice that cannot be converted, when the remainder cannot be known.
 */
export function uninvoicedValue(
  valueMinor: number,
  invoiced: readonly InvoicedAmount[],
  convert: (minor: number, currency: string) => number | null,
): { ok: true; minor: number } | { ok: false; currency: string } {
  let left = valueMinor;
  for (const i of invoiced) {
    const v = convert(i.amountMinor, i.currency);
    if (v === null) return { ok: false, currency: i.currency };
    left -= v;
  }
  return { ok: true, minor: Math.max(0, left) };
}

/**
 * Expected cash per month: open deals (not won or lost) at their not yet invoiced value × stage
 * probability in the month of their expected close; open invoices' owed amounts in the month
 * they fall due.
 * Invoices owing nothing (≤ 0) are skipped. See the decisions at the top of this file.
 */
export function forecast(deals: DealFact[], invoices: OpenInvoiceFact[], asOf: number, opts: FunnelOptions & { tz?: string }): Forecast {
  checkProbabilities(opts.probabilities);
  const tz = opts.tz ?? 'UTC';
  const convert = currencyConverter(opts.baseCurrency, opts.rates, opts.changeover);
  const current = monthOf(asOf, tz);
  const dealSums = new Map<string, number>();
  const invoiceSums = new Map<string, number>();
  const unconvertible = new Set<string>();
  let unplacedCount = 0;
  let unplacedWeighted = 0;

  for (const d of deals) {
    if (d.stage === 'won' || d.stage === 'lost') continue;
    const invoiced = d.invoiced ?? [];
    let value = d.valueMinor !== null && d.currency !== null ? convert(d.valueMinor, d.currency) : undefined;
    if (value === null) {
      unconvertible.add(d.currency!);
      continue;
    }
    if (invoiced.length > 0) {
      if (value === undefined) continue;
      const left = uninvoicedValue(value, invoiced, convert);
      if (!left.ok) {
        unconvertible.add(left.currency);
        continue;
      }
      if (left.minor === 0) continue;
      value = left.minor;
    }
    const weighted = value === undefined ? 0 : value * opts.probabilities[d.stage];
    if (value === undefined || d.expectedClose === null || !validDate(d.expectedClose)) {
      unplacedCount++;
      unplacedWeighted += weighted;
      continue;
    }
    let month = d.expectedClose.slice(0, 7);
    if (month < current) month = current;
    dealSums.set(month, (dealSums.get(month) ?? 0) + weighted);
  }

  // Invoices share due moments: each one's month is found once.
  const monthAt = new Map<number, string>();
  for (const inv of invoices) {
    if (!(inv.amountOwedMinor > 0)) continue;
    const value = convert(inv.amountOwedMinor, inv.currency);
    if (value === null) {
      unconvertible.add(inv.currency);
      continue;
    }
    let month = current;
    if (inv.dueAt >= asOf) {
      const known = monthAt.get(inv.dueAt);
      if (known === undefined) monthAt.set(inv.dueAt, (month = monthOf(inv.dueAt, tz)));
      else month = known;
    }
    invoiceSums.set(month, (invoiceSums.get(month) ?? 0) + value);
  }

  let last = current;
  for (const k of [...dealSums.keys(), ...invoiceSums.keys()]) if (k > last) last = k;
  const months: Record<string, ForecastMonth> = {};
  for (let k = current; ; k = nextMonth(k)) {
    months[k] = { weightedDealsMinor: Math.round(dealSums.get(k) ?? 0), invoicesMinor: Math.round(invoiceSums.get(k) ?? 0) };
    if (k >= last) break;
  }
  return {
    baseCurrency: opts.baseCurrency,
    months,
    unplaced: { count: unplacedCount, weightedDealsMinor: Math.round(unplacedWeighted) },
    unconvertible: [...unconvertible].sort(),
  };
}
