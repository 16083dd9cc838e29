/**
 * Retention and look-alikes (SPEC §7): the card's review and fit lines, `/client list sort:fit`,
 * the reviews digest (reviews due, clients gone quiet), the App Home's part, `/abc profile` and
 * `/funnel`'s repeat business. The rules are src/domain's (retention, fit, profile, repeat).
 */
import { currencyConverter } from '../domain/abc.ts';
import { localDate } from '../domain/dates.ts';
import { rankByFit, scoreFit, trainFit, type FitModel, type FitResult } from '../domain/fit.ts';
import { abcProfile, type AbcProfile } from '../domain/profile.ts';
import { previousPeriod, repeatShare, retentionOf, type DatePeriod, type RepeatShare, type SegmentRetention } from '../domain/repeat.ts';
import { nextReview, quietStatus, reviewsDue, type DueReview, type InvoiceMark, type NextReview, type QuietAlert, type QuietSubject, type ReviewSubject } from '../domain/retention.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { reviewEveryDays, type Policy } from '../policy.ts';
import { listClientsWithAttributes, type ClientListFilter, type ClientListRow, type ClientRow } from '../repos/clients.ts';
import {
  fitTraining,
  profileClients,
  profileInvoices,
  quietInvoices,
  reviewSubjects,
  type QuietInvoiceRow,
  type ReviewRow,
  type ReviewSubjectRow,
} from '../repos/retention.ts';
import { firstSalesPerDeal, salesPresence, wonDealsOfWinners } from '../repos/funnel.ts';
import { kept, type Store, type Tx } from '../repos/store.ts';
import { abcPeriod } from './analytics.ts';

/** The stages whose card shows `Fit:` (SPEC §7): a client still to be won. */
export const FIT_STAGES = ['lead', 'qualified', 'proposal'] as const satisfies readonly Stage[];
export const showsFit = (s: Stage | null): boolean => s !== null && (FIT_STAGES as readonly Stage[]).includes(s);

export async function fitModel(tx: Tx): Promise<FitModel> {
  return trainFit((await fitTraining(tx)).map((g, i) => ({ clientId: i, segment: g.segment, industry: g.industry, region: g.region, size: g.size, weight: Number(g.clients) })));
}

const subjectOf = (r: ReviewSubjectRow, tz: string): ReviewSubject => ({ clientId: r.clientId, ownerId: r.ownerId, segment: r.segment, lastReviewOn: r.lastReviewOn, createdOn: localDate(Number(r.createdAt), tz) });

/** What the card shows of retention: the last review, the next, and `Fit:` for a client still to be won. */
export interface CardRetention {
  lastReview: ReviewRow | undefined;
  nextReview: NextReview;
  fit: FitResult | undefined;
}

/**
 * How long a card may score with a fit model trained earlier. A recompute that changes a segment
 * retrains it at once (segmentMark); a change of an A client's industry, region or size, or of
 * sales that moves no segment, reaches the cards within this time.
 */
const FIT_FRESH_MS = 60_000;

/**
 * The card's retention lines. `read`: what the card's own statement read already (the last
 * review and the segment mark, repos/card.ts); the fit model is kept between cards (repos/store.ts
 * kept), since training it is a GROUP BY over every client with sales.
 */
export async function cardRetention(tx: Tx, client: ClientRow, stage: Stage | null, policy: Policy, tz: string, read: { lastReview: ReviewRow | undefined; segmentMark: number | null }): Promise<CardRetention> {
  const { lastReview } = read;
  const next = nextReview(
    { clientId: client.id, ownerId: client.ownerId, segment: client.segment, lastReviewOn: lastReview?.reviewedOn ?? null, createdOn: localDate(client.createdAt, tz) },
    reviewEveryDays(policy),
  );
  const fit = showsFit(stage) ? scoreFit(await kept(tx, 'fitModel', read.segmentMark, FIT_FRESH_MS, () => fitModel(tx)), client) : undefined;
  return { lastReview, nextReview: next, fit };
}

export type FitListRow = ClientListRow & { fit: FitResult };

/** `/client list … sort:fit`: every client the filter matches, ranked by fit (rankByFit), the first `limit`. */
export async function listByFit(store: Store, filter: ClientListFilter, limit: number): Promise<{ rows: FitListRow[]; total: number }> {
  return store.read(async (tx) => {
    const model = await fitModel(tx);
    const all = await listClientsWithAttributes(tx, filter);
    const ranked = rankByFit(
      model,
      all.map((c) => ({ ...c, clientId: c.id })),
    );
    return { rows: ranked.slice(0, limit).map(({ clientId: _c, industry: _i, region: _r, size: _s, ...row }) => row), total: all.length };
  });
}

// ── Reviews due and clients gone quiet ───────────────────────────────────────────────────────

export interface DueReviewItem extends DueReview {
  name: string;
  lastReviewOn: string | null;
}

export interface QuietItem extends QuietAlert {
  name: string;
  ownerId: string;
  segment: Segment;
}

/** Each client's invoices, from rows ordered by client. */
export function invoicesByClient(rows: readonly QuietInvoiceRow[]): Map<number, InvoiceMark[]> {
  const m = new Map<number, InvoiceMark[]>();
  for (const r of rows) {
    let l = m.get(r.clientId);
    if (!l) m.set(r.clientId, (l = []));
    l.push({ issueDate: r.issueDate, amountMinor: Number(r.amountMinor), currency: r.currency });
  }
  return m;
}

export function dueItems(rows: readonly ReviewSubjectRow[], today: string, policy: Policy, tz: string): DueReviewItem[] {
  const byId = new Map(rows.map((r) => [r.clientId, r]));
  return reviewsDue(rows.map((r) => subjectOf(r, tz)), today, reviewEveryDays(policy)).map((d) => ({ ...d, name: byId.get(d.clientId)!.name, lastReviewOn: byId.get(d.clientId)!.lastReviewOn }));
}

export function quietSubjects(rows: readonly ReviewSubjectRow[], invoices: Map<number, InvoiceMark[]>): QuietSubject[] {
  return rows.filter((r) => r.segment === 'A' || r.segment === 'B').map((r) => ({ clientId: r.clientId, segment: r.segment, invoices: invoices.get(r.clientId) ?? [] }));
}

export function quietItem(a: QuietAlert, r: ReviewSubjectRow): QuietItem {
  return { ...a, name: r.name, ownerId: r.ownerId, segment: r.segment as Segment };
}

export interface OwnerDigest {
  ownerId: string;
  due: DueReviewItem[];
  /** Quiet spells alerted by this run only (once per spell). */
  quiet: QuietItem[];
}

/** The App Home's part: the owner's reviews due and clients quiet now (alerted or not). */
export async function ownerRetention(tx: Tx, ownerId: string, today: string, policy: Policy, tz: string): Promise<{ reviewsDue: DueReviewItem[]; quiet: QuietItem[] }> {
  const subjects = await reviewSubjects(tx, ownerId);
  const invoices = invoicesByClient(await quietInvoices(tx, ownerId));
  const quiet: QuietItem[] = [];
  for (const s of quietSubjects(subjects, invoices)) {
    const st = quietStatus(s, today, policy.retention.quietFactor, policy.currency.changeover);
    if (st.kind === 'quiet') quiet.push(quietItem({ clientId: s.clientId, spell: st.spell, rhythm: st.rhythm, revenue12m: st.revenue12m }, subjects.find((r) => r.clientId === s.clientId)!));
  }
  return { reviewsDue: dueItems(subjects, today, policy, tz), quiet };
}

// ── /abc profile ────────────────────────────────────────────────────────────────────────────

/** `/abc profile` (SPEC §7): segment A against the rest over the ABC period. */
export async function computeProfile(store: Store, policy: Policy, now: number, tz: string): Promise<AbcProfile> {
  const period = abcPeriod(policy, now, tz);
  const { clients, invoices } = await store.read(async (tx) => ({ clients: await profileClients(tx), invoices: await profileInvoices(tx, period.from, period.to) }));
  const convert = currencyConverter(policy.abc.baseCurrency, policy.abc.rates, policy.currency.changeover);
  return abcProfile(
    clients,
    invoices.map((i) => ({ ...i, amountMinor: Number(i.amountMinor) })),
    policy.abc.baseCurrency,
    convert,
  );
}

// ── /funnel: repeat business ────────────────────────────────────────────────────────────────

export interface RepeatBusiness {
  share: RepeatShare;
  retention: SegmentRetention[];
  period: DatePeriod;
  previous: DatePeriod;
}

/**
 * Repeat business over the funnel's period (half-open dates in the workspace's zone): the share
 * of won deals from existing clients, and per segment the clients kept from the previous period
 * (a quarter's or a year's previous one, else the same number of days before).
 */
export async function repeatBusiness(tx: Tx, period: DatePeriod, unit: 'days' | 'quarter' | 'year', tz: string, ownerId?: string): Promise<RepeatBusiness> {
  // The wins of the clients with a deal first won about the period (two days wider each side
  // than its days in any zone), which are all the share reads: a client's wins and sales count
  // only against its own deals won in the period.
  const near = { from: Date.parse(`${period.from}T00:00:00Z`) - 2 * DAY_MS, to: Date.parse(`${period.to}T00:00:00Z`) + 2 * DAY_MS };
  const deals = (await wonDealsOfWinners(tx, near, ownerId)).map((d) => ({ dealId: d.dealId, clientId: d.clientId, openedOn: localDate(d.createdAt, tz), wonOn: localDate(d.wonAt, tz) }));
  const previous = repeatPrevious(period, unit);
  // The share looks at the earlier sales of the clients that won a deal in the period only (the
  // first per deal they were issued against), and retention at whether a client had sales in
  // each period: the same figures as over every sale.
  const winners = [...new Set(deals.filter((d) => d.wonOn >= period.from && d.wonOn < period.to).map((d) => d.clientId))];
  const sales = await firstSalesPerDeal(tx, winners, ownerId);
  return { share: repeatShare(deals, sales, period), retention: retentionOf(await salesPresence(tx, period, previous, ownerId)), period, previous };
}

const DAY_MS = 86_400_000;

/** The period repeat business compares with: a quarter's or a year's previous one, else the same number of days before. */
export function repeatPrevious(period: DatePeriod, unit: 'days' | 'quarter' | 'year'): DatePeriod {
  return unit === 'days' ? previousPeriod(period) : { from: shiftMonths(period.from, unit === 'quarter' ? -3 : -12), to: period.from };
}

function shiftMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}
