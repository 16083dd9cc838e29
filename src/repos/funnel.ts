/**
 * The funnel's reads (SPEC §3 `/funnel`, §7 repeat business), shaped to what its figures need
 * (src/domain/funnel.ts, src/domain/repeat.ts) rather than every row:
 *  - deals closed before the period with nothing since count only at their stage now: they come
 *    as each owner's, stage's and currency's list of values (ClosedDealGroup), not as deals;
 *  - the other deals come with the part of their history the period reads;
 *  - the unpaid invoices come summed per currency and due date (one by one only in the currency
 *    whose amounts convert each on its own, the changeover's);
 *  - repeat business reads the won deals of the clients that won one in the period, and one mark
 *    per client and period with sales.
 * Each of them gives the same figures as the whole history (test/funnel-sql.test.ts holds it
 * against the old whole-history reads in test/helpers/funnel-reference.ts, on both backends).
 * Big lists cross as one JSON text each (SQLite's json_group_array, PostgreSQL's json_agg):
 * V8 parses that far faster than it builds as many rows handed over one by one.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ClosedDealGroup, DealFact, InvoicedAmount } from '../domain/funnel.ts';
import type { SalesPresence } from '../domain/repeat.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { idSet, isPg, rowsOf, type Tx } from './store.ts';

/** A JSON array of `expr` over the rows, in `order` on PostgreSQL (text on both dialects; '[]' when none). */
function jsonList(tx: Tx, expr: SQL, order?: SQL): SQL {
  return isPg(tx) ? sql`${jsonValue(tx, expr, order)}::text` : sql`json_group_array(${expr})`;
}
/** The same as a JSON value, to nest in another (SQLite keeps json_group_array's JSON as JSON). */
function jsonValue(tx: Tx, expr: SQL, order?: SQL): SQL {
  return isPg(tx) ? sql`coalesce(json_agg(${expr}${order ? sql` ORDER BY ${order}` : sql``}), '[]'::json)` : sql`json_group_array(${expr})`;
}
/** One JSON text of these JSON arrays: column-wise, cheaper to hand over and parse than rows. */
function jsonColumns(tx: Tx, cols: readonly SQL[], order: SQL): SQL {
  const inner = sql.join(
    cols.map((c) => jsonValue(tx, c, order)),
    sql`, `,
  );
  return isPg(tx) ? sql`json_build_array(${inner})::text` : sql`json_array(${inner})`;
}
/** SQLite keeps a subquery's ORDER BY for the aggregate above it; PostgreSQL orders inside json_agg. */
const orderFor = (tx: Tx, order: SQL): SQL => (isPg(tx) ? sql`` : sql`ORDER BY ${order}`);

export interface FunnelDeals {
  /** Deals that the period's history, a stay or the forecast concerns, with that part of their history. */
  deals: DealFact[];
  /** The rest: closed before the period (their last change into won or lost), not created in it, no change since. */
  closed: ClosedDealGroup[];
}

type ChangeCols = [number[], (Stage | null)[], Stage[], number[]];

/**
 * The funnel's deals over the half-open `window` (ms), optionally one owner's. A deal is closed
 * when it is at won or lost now, was not created in the window, and its latest stage change
 * (deal_last_changes; of two at one moment, the later row) is into won or lost and before the
 * window, or it has none: then the funnel counts it at its stage now only, and the forecast not at
 * all (domain/funnel.ts funnel's `closed`), and it comes in its group's count and values (one by
 * one in `oneByOne`, else summed). Each other deal comes with what the funnel reads of its history:
 * the last change before the window (its latest, unless it changed since), every change in it, and
 * the first after it (its time ends the stay before it), in time order (of one moment, in row
 * order, as the domain's stable sort by time leaves a history read in row order); and, when open,
 * what was invoiced against it. Big lists cross as column-wise JSON arrays: V8 parses those far
 * faster than it builds as many rows.
 */
export async function funnelDeals(tx: Tx, ownerId: string | undefined, window: { from: number; to: number }, oneByOne: string | undefined): Promise<FunnelDeals> {
  const { from, to } = window;
  const pg = isPg(tx);
  const ofOwner = (d: string) => (ownerId === undefined ? sql`` : sql`AND ${sql.raw(d)}.owner_id = ${ownerId}`);
  const terminal = sql`('won', 'lost')`;
  // SQLite would walk deal_stage_changes_deal_at_idx once per deal for the changes of a window.
  const byTime = (alias: string) => sql.raw(`deal_stage_changes ${alias}${pg ? '' : ' INDEXED BY deal_stage_changes_at_idx'}`);
  const closed = sql`d.stage IN ${terminal} AND (d.created_at < ${from} OR d.created_at >= ${to}) AND (m.deal_id IS NULL OR (m.at < ${from} AND m.to_stage IN ${terminal}))`;
  const each = oneByOne ?? '';
  type Row = { owner: string | null; stage: Stage | null; currency: string | null; deals: number; valued: number; total: number | null; list: string | null };
  const rows = await rowsOf<Row>(
    tx,
    sql`SELECT NULL AS owner, NULL AS stage, NULL AS currency, 0 AS deals, 0 AS valued, NULL AS total,
               ${jsonColumns(tx, ['id', 'owner_id', 'stage', 'value_minor', 'currency', 'expected_close', 'created_at', 'last_from', 'last_to', 'last_at'].map(sql.raw), sql`id`)} AS list
          FROM (SELECT d.id, d.owner_id, d.stage, d.value_minor, d.currency, d.expected_close, d.created_at, m.from_stage AS last_from, m.to_stage AS last_to, m.at AS last_at
                  FROM deals d LEFT JOIN deal_last_changes m ON m.deal_id = d.id
                 WHERE NOT (${closed}) ${ofOwner('d')} ${orderFor(tx, sql`d.id`)}) o
        UNION ALL
        SELECT d.owner_id, d.stage, d.currency, count(*), count(CASE WHEN d.currency IS NOT NULL THEN d.value_minor END), sum(CASE WHEN d.currency IS NOT NULL THEN d.value_minor END),
               CASE WHEN d.currency = ${each} THEN ${jsonList(tx, sql`d.value_minor`)} END
          FROM deals d ${pg ? sql`` : sql`INDEXED BY deals_funnel_idx`} LEFT JOIN deal_last_changes m ON m.deal_id = d.id
         WHERE ${closed} ${ofOwner('d')}
         GROUP BY d.stage, d.owner_id, d.currency`,
  );
  type Deal = DealFact & { history: DealFact['history']; invoiced: InvoicedAmount[] };
  const deals: Deal[] = [];
  const byId = new Map<number, Deal>();
  const closedGroups: ClosedDealGroup[] = [];
  for (const r of rows) {
    if (r.owner === null) {
      const [id, owner, stage, value, currency, close, created, lastFrom, lastTo, lastAt] = JSON.parse(r.list!) as [
        number[],
        string[],
        Stage[],
        (number | null)[],
        (string | null)[],
        (string | null)[],
        number[],
        (Stage | null)[],
        (Stage | null)[],
        (number | null)[],
      ];
      for (let i = 0; i < id.length; i++) {
        // Its latest change, when before the window, is the last one before it.
        const at = lastAt[i] === null ? null : Number(lastAt[i]);
        const history: Deal['history'] = at !== null && at < from ? [{ from: lastFrom[i]!, to: lastTo[i]!, at }] : [];
        const d: Deal = { id: id[i]!, ownerId: owner[i]!, stage: stage[i]!, valueMinor: value[i]!, currency: currency[i]!, expectedClose: close[i]!, createdAt: Number(created[i]), history, invoiced: [] };
        deals.push(d);
        byId.set(d.id, d);
      }
    } else {
      const valued = Number(r.valued);
      const valuesMinor = valued === 0 ? [] : r.list !== null ? (JSON.parse(r.list) as (number | null)[]).filter((v): v is number => v !== null) : [Number(r.total)];
      closedGroups.push({ ownerId: r.owner, stage: r.stage!, currency: r.currency, deals: Number(r.deals), valued, valuesMinor });
    }
  }
  // The history the window reads, in time and row order: the last change before it of the deals
  // that changed since it began, every change in it, the first after it (with any of the same
  // moment). Only deals not closed have any (no closed deal changed since the window began).
  const list = (c: string) => jsonColumns(tx, ['deal_id', 'from_stage', 'to_stage', 'at'].map((x) => sql.raw(`${c}.${x}`)), sql.raw(`${c}.at, ${c}.id`));
  const [h] = await rowsOf<{ before: string; inside: string; after: string }>(
    tx,
    sql`SELECT
          (SELECT ${list('b')} FROM (SELECT b.* FROM deal_last_changes m JOIN deal_stage_changes b
                     ON b.id = (SELECT c.id FROM deal_stage_changes c WHERE c.deal_id = m.deal_id AND c.at < ${from} ORDER BY c.at DESC, c.id DESC LIMIT 1)
                  WHERE m.at >= ${from}) b) AS before,
          (SELECT ${list('w')} FROM (SELECT w.* FROM ${byTime('w')} WHERE w.at >= ${from} AND w.at < ${to} ${orderFor(tx, sql`w.at, w.id`)}) w) AS inside,
          (SELECT ${list('a')} FROM (SELECT c.* FROM deal_stage_changes c
                    JOIN (SELECT t.deal_id, min(t.at) AS at FROM ${byTime('t')} WHERE t.at >= ${to} GROUP BY t.deal_id) f ON f.deal_id = c.deal_id AND f.at = c.at
                  ${orderFor(tx, sql`c.at, c.id`)}) a) AS after`,
  );
  const push = (text: string, first: boolean) => {
    const [dealId, fromStage, toStage, at] = JSON.parse(text) as ChangeCols;
    for (let i = 0; i < dealId.length; i++) {
      const d = byId.get(dealId[i]!);
      if (!d) continue;
      const e = { from: fromStage[i]!, to: toStage[i]!, at: Number(at[i]) };
      if (first) d.history.unshift(e);
      else d.history.push(e);
    }
  };
  push(h!.before, true);
  push(h!.inside, false);
  push(h!.after, false);
  // What was invoiced against each open deal, per currency (few invoices name a deal: invoices_deal_idx).
  const invoiced = await rowsOf<{ dealId: number; currency: string; amountMinor: number }>(
    tx,
    sql`SELECT i.deal_id AS "dealId", i.currency, sum(i.amount_minor) AS "amountMinor"
          FROM invoices i JOIN deals d ON d.id = i.deal_id
         WHERE i.deal_id IS NOT NULL AND d.stage NOT IN ${terminal} ${ofOwner('d')}
         GROUP BY i.deal_id, i.currency ORDER BY i.deal_id, i.currency`,
  );
  for (const i of invoiced) byId.get(i.dealId)?.invoiced.push({ amountMinor: Number(i.amountMinor), currency: i.currency });
  return { deals, closed: closedGroups };
}

export interface UnpaidTotal {
  currency: string;
  dueDate: string;
  /** What the currency's unpaid invoices due that day still owe, when above 0: one sum, or (in `oneByOne`'s currency) each invoice's. */
  owedMinor: number[];
}

/**
 * What the unpaid invoices still owe, where that is above 0 (the forecast counts nothing else),
 * per currency and due date, in one pass over the invoices. In `oneByOne` (the currency each
 * amount of which converts on its own, rounded: the changeover's) each invoice's amount comes
 * (they convert to whole minor units, so their order changes no sum).
 */
export async function unpaidTotals(tx: Tx, oneByOne: string | undefined): Promise<UnpaidTotal[]> {
  const owed = sql`amount_minor - paid_minor`;
  const each = oneByOne ?? '';
  const rows = await rowsOf<{ currency: string; dueDate: string; total: number; list: string | null }>(
    tx,
    sql`SELECT currency, due_date AS "dueDate", sum(${owed}) AS total,
               CASE WHEN currency = ${each} THEN ${jsonList(tx, owed)} END AS list
          FROM invoices WHERE paid_date IS NULL AND ${owed} > 0
         GROUP BY currency, due_date ORDER BY due_date, currency`,
  );
  return rows.map((r) => ({ currency: r.currency, dueDate: r.dueDate, owedMinor: r.list === null ? [Number(r.total)] : (JSON.parse(r.list) as number[]) }));
}

export interface WonDealRow {
  dealId: number;
  clientId: number;
  createdAt: number;
  wonAt: number;
}

/**
 * The won deals (optionally one owner's) of the clients with a deal first won within `near`
 * (ms, half-open; a little wider than the period, whose edges are days in the workspace's zone),
 * each with when it was opened and when it first entered `won`: every earlier win of a client
 * that won in the period, which is all that the share of repeat business reads of the wins.
 */
export async function wonDealsOfWinners(tx: Tx, near: { from: number; to: number }, ownerId?: string): Promise<WonDealRow[]> {
  const ofOwner = (d: string) => (ownerId === undefined ? sql`` : sql`AND ${sql.raw(d)}.owner_id = ${ownerId}`);
  const rows = await rowsOf<WonDealRow>(
    tx,
    sql`SELECT w."dealId", w."clientId", w."createdAt", w."wonAt" FROM (
          SELECT d.id AS "dealId", d.client_id AS "clientId", d.created_at AS "createdAt",
                 (SELECT min(c.at) FROM deal_stage_changes c WHERE c.deal_id = d.id AND c.to_stage = 'won') AS "wonAt"
            FROM deals d
           WHERE d.stage = 'won' ${ofOwner('d')}
             AND d.client_id IN (SELECT n.client_id FROM deal_stage_changes c JOIN deals n ON n.id = c.deal_id
                                  WHERE c.at >= ${near.from} AND c.at < ${near.to} AND c.to_stage = 'won' AND n.stage = 'won' ${ofOwner('n')})
        ) w WHERE w."wonAt" IS NOT NULL ORDER BY w."dealId"`,
  );
  return rows.map((r) => ({ dealId: r.dealId, clientId: r.clientId, createdAt: Number(r.createdAt), wonAt: Number(r.wonAt) }));
}

/**
 * The sales (invoices above 0) of these clients (those of them that are the owner's, with
 * `ownerId`), one mark per client and deal issued against (or none): its first day and largest
 * amount. Whether a client had a sale on an earlier day than a deal was opened, other than that
 * deal's own, reads no more.
 */
export async function firstSalesPerDeal(tx: Tx, clientIds: readonly number[], ownerId?: string): Promise<{ clientId: number; dealId: number | null; issueDate: string; amountMinor: number }[]> {
  if (clientIds.length === 0) return [];
  const rows = await rowsOf<{ clientId: number; dealId: number | null; issueDate: string; amountMinor: number }>(
    tx,
    sql`SELECT i.client_id AS "clientId", i.deal_id AS "dealId", min(i.issue_date) AS "issueDate", max(i.amount_minor) AS "amountMinor"
          FROM invoices i ${ownerId === undefined ? sql`` : sql`JOIN clients c ON c.id = i.client_id AND c.owner_id = ${ownerId}`}
         WHERE i.amount_minor > 0 AND i.client_id IN ${idSet(tx, clientIds)}
         GROUP BY i.client_id, i.deal_id`,
  );
  return rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor) }));
}

/**
 * Per client with sales (an invoice above 0) in the last or the previous period (half-open
 * dates; the owner's clients, with `ownerId`): whether it had some in each, and its segment now.
 * When the previous period ends where the last begins (as repeat business has it), each client's
 * first sale from the previous period's start on, and (if that is before the last period) its
 * first from the last period's start on, tell, each one seek on invoices_sales_idx; otherwise one
 * pass over invoices_abc_idx.
 */
export async function salesPresence(tx: Tx, last: { from: string; to: string }, previous: { from: string; to: string }, ownerId?: string): Promise<SalesPresence[]> {
  const pg = isPg(tx);
  const ofOwner = ownerId === undefined ? sql`` : sql`WHERE c.owner_id = ${ownerId}`;
  if (previous.to === last.from && previous.from <= last.from) {
    const sales = pg ? sql`invoices i` : sql`invoices i INDEXED BY invoices_sales_idx`;
    const firstFrom = (day: SQL, client: SQL) => sql`(SELECT min(i.issue_date) FROM ${sales} WHERE i.client_id = ${client} AND i.amount_minor > 0 AND i.issue_date >= ${day})`;
    const rows = await rowsOf<{ segment: Segment | null; first: string; inLast: string | null }>(
      tx,
      sql`WITH p AS MATERIALIZED (SELECT c.id, c.segment, ${firstFrom(sql`${previous.from}`, sql`c.id`)} AS first_day FROM clients c ${ofOwner})
          SELECT p.segment, p.first_day AS "first",
                 CASE WHEN p.first_day < ${last.from} THEN ${firstFrom(sql`${last.from}`, sql`p.id`)} ELSE p.first_day END AS "inLast"
            FROM p WHERE p.first_day < ${last.to}`,
    );
    return rows.map((r) => ({ segment: r.segment, inPrevious: r.first < last.from, inLast: r.inLast !== null && r.inLast >= last.from && r.inLast < last.to }));
  }
  const day = pg ? sql`issue_date` : sql`+issue_date`;
  const within = (p: { from: string; to: string }) => sql`(${day} >= ${p.from} AND ${day} < ${p.to})`;
  const any = (e: SQL) => (pg ? sql`bool_or(${e})` : sql`max(${e})`);
  const span = { from: last.from < previous.from ? last.from : previous.from, to: last.to > previous.to ? last.to : previous.to };
  const rows = await rowsOf<{ segment: Segment | null; inLast: number | boolean; inPrevious: number | boolean }>(
    tx,
    sql`SELECT c.segment, s.in_last AS "inLast", s.in_previous AS "inPrevious"
          FROM (SELECT client_id, ${any(within(last))} AS in_last, ${any(within(previous))} AS in_previous
                  FROM invoices
                 WHERE amount_minor > 0 AND ${within(span)}
                 GROUP BY client_id) s
          JOIN clients c ON c.id = s.client_id ${ownerId === undefined ? sql`` : sql`AND c.owner_id = ${ownerId}`}`,
  );
  return rows.map((r) => ({ segment: r.segment, inLast: Boolean(r.inLast), inPrevious: Boolean(r.inPrevious) }));
}
