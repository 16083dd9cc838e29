/**
 * Repeat business for `/funnel` (SPEC §7).
 *
 * Pure; dates are calendar dates (`YYYY-MM-DD`, the workspace's zone), periods half-open
 * `from ≤ day < to` like the funnel's. Decisions (tested in test/domain/repeat.test.ts):
 *  - A won deal is from an existing client when, on the day the deal was opened, the client
 *    already had a deal won or an invoice issued on an earlier day. The deal's own invoices never
 *    count (they come after it opens, or were imported for it), nor does a credit note.
 *    "When the deal was opened", not when it was won: its own paperwork precedes the win.
 *  - Share = from existing / won in the period; null when none was won.
 *  - Retention per segment (the client's segment now; a client without one is counted as C, as
 *    ABC classes a client without sales): of the clients with sales (an invoice above 0) in the
 *    previous period, how many also had sales in the last one. Rate null when the previous
 *    period had none. `newClients` counts those with sales in the last period only.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { SEGMENTS, type Segment } from './stages.ts';

dayjs.extend(utc);

export interface WonDeal {
  dealId: number;
  clientId: number;
  openedOn: string;
  wonOn: string;
}

export interface SaleMark {
  clientId: number;
  /** The deal the invoice was issued against, if any. */
  dealId: number | null;
  issueDate: string;
  amountMinor: number;
}

export interface DatePeriod {
  from: string;
  to: string;
}

export interface RepeatShare {
  won: number;
  fromExisting: number;
  share: number | null;
}

const inPeriod = (day: string, p: DatePeriod) => day >= p.from && day < p.to;

/**
 * Of the deals won in `period`, those from existing clients. `history` holds every won deal
 * (any period) and `sales` every invoice, so earlier business counts however old.
 */
export function repeatShare(history: readonly WonDeal[], sales: readonly SaleMark[], period: DatePeriod): RepeatShare {
  const winsOf = new Map<number, { day: string; dealId: number }[]>();
  for (const d of history) {
    let l = winsOf.get(d.clientId);
    if (!l) winsOf.set(d.clientId, (l = []));
    l.push({ day: d.wonOn, dealId: d.dealId });
  }
  const invoicesOf = new Map<number, SaleMark[]>();
  for (const s of sales) {
    if (!(s.amountMinor > 0)) continue;
    let l = invoicesOf.get(s.clientId);
    if (!l) invoicesOf.set(s.clientId, (l = []));
    l.push(s);
  }
  let won = 0;
  let fromExisting = 0;
  for (const d of history) {
    if (!inPeriod(d.wonOn, period)) continue;
    won++;
    const earlierWin = (winsOf.get(d.clientId) ?? []).some((w) => w.dealId !== d.dealId && w.day < d.openedOn);
    const earlierInvoice = (invoicesOf.get(d.clientId) ?? []).some((i) => i.dealId !== d.dealId && i.issueDate < d.openedOn);
    if (earlierWin || earlierInvoice) fromExisting++;
  }
  return { won, fromExisting, share: won > 0 ? fromExisting / won : null };
}

export interface SegmentRetention {
  segment: Segment;
  /** Clients with sales in the previous period. */
  previous: number;
  /** Of those, the clients with sales in the last period too. */
  retained: number;
  rate: number | null;
  /** Clients with sales in the last period and none in the previous. */
  newClients: number;
}

/**
 * The period just before `p`: of the same number of days (`30d`, `90d`), or with `months`, of
 * the same number of calendar months (a quarter's previous quarter, a year's previous year).
 */
export function previousPeriod(p: DatePeriod, unit: 'days' | 'months' = 'days'): DatePeriod {
  if (unit === 'months') {
    const months = dayjs.utc(p.to).diff(dayjs.utc(p.from), 'month');
    return { from: dayjs.utc(p.from).subtract(months, 'month').format('YYYY-MM-DD'), to: p.from };
  }
  const from = Date.parse(`${p.from}T00:00:00Z`);
  const len = Date.parse(`${p.to}T00:00:00Z`) - from;
  return { from: new Date(from - len).toISOString().slice(0, 10), to: p.from };
}

/** Per segment A, B, C, the clients kept from the previous period into the last (see the top). */
export function retentionBySegment(sales: readonly SaleMark[], segmentOf: ReadonlyMap<number, Segment | null>, last: DatePeriod, previous: DatePeriod = previousPeriod(last)): SegmentRetention[] {
  const inLast = new Set<number>();
  const inPrev = new Set<number>();
  for (const s of sales) {
    if (!(s.amountMinor > 0)) continue;
    if (inPeriod(s.issueDate, last)) inLast.add(s.clientId);
    if (inPeriod(s.issueDate, previous)) inPrev.add(s.clientId);
  }
  const ids = new Set([...inPrev, ...inLast]);
  return retentionOf([...ids].map((id) => ({ segment: segmentOf.get(id) ?? null, inLast: inLast.has(id), inPrevious: inPrev.has(id) })));
}

/** Whether a client had sales in the last period and in the previous one, and its segment now. */
export interface SalesPresence {
  segment: Segment | null;
  inLast: boolean;
  inPrevious: boolean;
}

/** retentionBySegment from each client's presence in the two periods (one entry per client). */
export function retentionOf(clients: readonly SalesPresence[]): SegmentRetention[] {
  const rows = new Map<Segment, SegmentRetention>(SEGMENTS.map((segment) => [segment, { segment, previous: 0, retained: 0, rate: null, newClients: 0 }]));
  for (const c of clients) {
    const r = rows.get(c.segment ?? 'C')!;
    if (c.inPrevious) {
      r.previous++;
      if (c.inLast) r.retained++;
    } else if (c.inLast) r.newClients++;
  }
  return SEGMENTS.map((s) => {
    const r = rows.get(s)!;
    return { ...r, rate: r.previous > 0 ? r.retained / r.previous : null };
  });
}
