/**
 * The funnel as it was computed before src/repos/funnel.ts, with the queries it ran then (kept
 * here, the only place that still runs them): every deal with its windowed history
 * (dealsWithHistory), every unpaid invoice one by one (openInvoiceFacts), and repeat business
 * over every won deal and every sale (wonDeals, saleMarks, salesIn). test/funnel-sql.test.ts
 * holds computeFunnel to the same answers.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { addDays, localDate } from '../../src/domain/dates.ts';
import { forecast, funnel, type DealFact, type InvoicedAmount } from '../../src/domain/funnel.ts';
import { repeatShare, retentionBySegment, type DatePeriod } from '../../src/domain/repeat.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Policy } from '../../src/policy.ts';
import type { Segment } from '../../src/domain/stages.ts';
import { idSet, rowsOf, type Store, type Tx } from '../../src/repos/store.ts';
import { periodRange, type FunnelPeriod, type FunnelResult } from '../../src/services/funnel.ts';
import { repeatPrevious } from '../../src/services/retention.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

/** A deal as the domain's funnel reads it, with every invoice issued against it (an open deal's). */
export type DealWithHistory = DealFact & { invoiced: InvoicedAmount[] };

/**
 * Deals (optionally one owner's) with their stage history and, for open ones, what has been
 * invoiced against them. With `window` (ms, half-open), each deal's history is cut to what the
 * funnel of that window reads (domain/funnel.ts), so the figures are the same as over the whole
 * history: every change inside the window, the last one before it (where the deal stood when it
 * began: its stay may overlap the window) and the first one after it (it ends the stay of the
 * window's last change, and keeps a deal that has a history from looking like one without).
 * The history comes in id order, as the domain's stable sort by time expects.
 */
export async function dealsWithHistory(tx: Tx, ownerId?: string, window?: { from: number; to: number }): Promise<DealWithHistory[]> {
  const byOwner = ownerId === undefined ? sql`` : sql`WHERE owner_id = ${ownerId}`;
  const deals = await rowsOf<Omit<DealWithHistory, 'history' | 'invoiced'>>(
    tx,
    sql`SELECT id, owner_id AS "ownerId", stage, value_minor AS "valueMinor", currency, expected_close AS "expectedClose", created_at AS "createdAt" FROM deals ${byOwner} ORDER BY id`,
  );
  const byId = new Map<number, DealWithHistory>(deals.map((d) => [d.id, { ...d, history: [], invoiced: [] }]));
  const ofOwner = ownerId === undefined ? sql`` : sql`AND deal_id IN (SELECT id FROM deals WHERE owner_id = ${ownerId})`;
  const cols = sql`id, deal_id AS "dealId", from_stage AS "from", to_stage AS "to", at`;
  // The last change before the window and the first after it are found per deal on
  // deal_stage_changes_deal_at_idx; changes at the same moment as those come too, which changes
  // nothing (the earlier of two at one moment ends the other's stay at once).
  const edge = (pick: 'max' | 'min', where: SQL) =>
    sql`SELECT c.id, c.deal_id AS "dealId", c.from_stage AS "from", c.to_stage AS "to", c.at
          FROM (SELECT deal_id, ${pick === 'max' ? sql`max(at)` : sql`min(at)`} AS at FROM deal_stage_changes WHERE ${where} ${ofOwner} GROUP BY deal_id) e
          JOIN deal_stage_changes c ON c.deal_id = e.deal_id AND c.at = e.at`;
  const changesSql = window
    ? sql`SELECT "dealId", "from", "to", at FROM (
            SELECT ${cols} FROM deal_stage_changes WHERE at >= ${window.from} AND at < ${window.to} ${ofOwner}
            UNION ALL ${edge('max', sql`at < ${window.from}`)}
            UNION ALL ${edge('min', sql`at >= ${window.to}`)}
          ) kept ORDER BY id`
    : sql`SELECT deal_id AS "dealId", from_stage AS "from", to_stage AS "to", at FROM deal_stage_changes WHERE true ${ofOwner} ORDER BY id`;
  type Change = { dealId: number; from: DealWithHistory['stage'] | null; to: DealWithHistory['stage']; at: number };
  for (const c of await rowsOf<Change>(tx, changesSql)) byId.get(c.dealId)?.history.push({ from: c.from, to: c.to, at: Number(c.at) });
  const invoiced = await rowsOf<{ dealId: number; currency: string; amountMinor: number }>(
    tx,
    sql`SELECT deal_id AS "dealId", currency, sum(amount_minor) AS "amountMinor" FROM invoices
        WHERE deal_id IN (SELECT id FROM deals WHERE stage NOT IN ('won','lost') ${ownerId === undefined ? sql`` : sql`AND owner_id = ${ownerId}`}) GROUP BY deal_id, currency`,
  );
  for (const i of invoiced) byId.get(i.dealId)?.invoiced.push({ amountMinor: i.amountMinor, currency: i.currency });
  return [...byId.values()];
}

export async function openInvoiceFacts(tx: Tx): Promise<{ amountOwedMinor: number; currency: string; dueDate: string }[]> {
  return rowsOf(tx, sql`SELECT amount_minor - paid_minor AS "amountOwedMinor", currency, due_date AS "dueDate" FROM invoices WHERE paid_date IS NULL`);
}

/** Won deals (optionally one owner's) with when each was opened and when it entered `won`. */
export async function wonDeals(tx: Tx, ownerId?: string): Promise<{ dealId: number; clientId: number; createdAt: number; wonAt: number }[]> {
  return rowsOf(
    tx,
    sql`SELECT d.id AS "dealId", d.client_id AS "clientId", d.created_at AS "createdAt", min(sc.at) AS "wonAt"
          FROM deals d JOIN deal_stage_changes sc ON sc.deal_id = d.id AND sc.to_stage = 'won'
         WHERE d.stage = 'won' ${ownerId === undefined ? sql`` : sql`AND d.owner_id = ${ownerId}`}
         GROUP BY d.id, d.client_id, d.created_at
         ORDER BY d.id`,
  );
}

/**
 * Every sale (an invoice above 0) of these clients (of those that are the owner's, with
 * `ownerId`), with the deal it was issued against.
 */
export async function saleMarks(tx: Tx, clientIds: readonly number[], ownerId?: string): Promise<{ clientId: number; dealId: number | null; issueDate: string; amountMinor: number }[]> {
  if (clientIds.length === 0) return [];
  return rowsOf(
    tx,
    sql`SELECT i.client_id AS "clientId", i.deal_id AS "dealId", i.issue_date AS "issueDate", i.amount_minor AS "amountMinor"
          FROM invoices i ${ownerId === undefined ? sql`` : sql`JOIN clients c ON c.id = i.client_id AND c.owner_id = ${ownerId}`}
         WHERE i.amount_minor > 0 AND i.client_id IN ${idSet(tx, clientIds)}`,
  );
}

/**
 * One mark per client with sales (an invoice above 0) issued in the half-open period (of the
 * owner's clients, with `ownerId`): its first such day, its largest such amount, and the
 * client's segment now. What retention per segment needs, without every invoice.
 */
export async function salesIn(tx: Tx, period: { from: string; to: string }, ownerId?: string): Promise<{ clientId: number; issueDate: string; amountMinor: number; segment: Segment | null }[]> {
  return rowsOf(
    tx,
    sql`SELECT i.client_id AS "clientId", min(i.issue_date) AS "issueDate", max(i.amount_minor) AS "amountMinor", c.segment
          FROM invoices i JOIN clients c ON c.id = i.client_id ${ownerId === undefined ? sql`` : sql`AND c.owner_id = ${ownerId}`}
         WHERE i.amount_minor > 0 AND i.issue_date >= ${period.from} AND i.issue_date < ${period.to}
         GROUP BY i.client_id, c.segment`,
  );
}

async function repeatBusinessReference(tx: Tx, period: DatePeriod, unit: 'days' | 'quarter' | 'year', tz: string, ownerId?: string) {
  const deals = (await wonDeals(tx, ownerId)).map((d) => ({ dealId: d.dealId, clientId: d.clientId, openedOn: localDate(Number(d.createdAt), tz), wonOn: localDate(Number(d.wonAt), tz) }));
  const previous = repeatPrevious(period, unit);
  const winners = [...new Set(deals.filter((d) => d.wonOn >= period.from && d.wonOn < period.to).map((d) => d.clientId))];
  const sales = (await saleMarks(tx, winners, ownerId)).map((s) => ({ ...s, amountMinor: Number(s.amountMinor) }));
  const marks = [...(await salesIn(tx, period, ownerId)), ...(await salesIn(tx, previous, ownerId))];
  const segments = new Map(marks.map((m) => [m.clientId, m.segment]));
  const presence = marks.map((m) => ({ clientId: m.clientId, dealId: null, issueDate: m.issueDate, amountMinor: Number(m.amountMinor) }));
  return { share: repeatShare(deals, sales, period), retention: retentionBySegment(presence, segments, period, previous), period, previous };
}

export async function funnelReference(store: Store, policy: Policy, period: FunnelPeriod, owner: string | undefined, now: number, tz: string): Promise<FunnelResult> {
  const range = periodRange(period, now, tz);
  const days = { from: localDate(range.from, tz), to: addDays(localDate(now, tz), 1) };
  const unit = period === 'quarter' || period === 'year' ? period : 'days';
  const { deals, facts, repeat } = await store.read(async (tx) => ({
    deals: await dealsWithHistory(tx, owner, { from: range.from, to: range.to }),
    facts: owner ? [] : await openInvoiceFacts(tx),
    repeat: await repeatBusinessReference(tx, days, unit, tz, owner),
  }));
  const opts = { baseCurrency: policy.abc.baseCurrency, rates: policy.abc.rates, changeover: policy.currency.changeover, probabilities: policy.funnel.stageProbabilities };
  const report = funnel(deals, { from: range.from, to: range.to }, opts);
  const invoices = facts.map((i) => ({ amountOwedMinor: Number(i.amountOwedMinor), currency: i.currency, dueAt: dayjs.tz(i.dueDate, tz).valueOf() }));
  return { report, forecast: forecast(deals, invoices, now, { ...opts, tz }), period: range.period, ...(owner ? { owner } : {}), repeat };
}
