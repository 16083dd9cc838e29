import { and, eq, isNull, sql } from 'drizzle-orm';
import { invoices } from '../../db/schema/index.ts';
import type { Tx } from './audit.ts';
import type { Segment } from '../domain/stages.ts';
import type { Db } from './db.ts';

/**
 * Invoice figures per client and currency over a period of issue dates, aggregated in SQL: one
 * raw row (an array, cheaper than an object at 100,000 rows) per client and currency, ordered by
 * client then currency.
 */
export type CurrencyAggregate = [
  clientId: number,
  currency: string,
  revenueMinor: number,
  marginMinor: number,
  /** Σ amount × days late (late days counted to the payment date, or to `today` while owed). */
  lateWeighted: number,
  /** Σ amount of the invoices (not credit notes) that weigh in the average days late. */
  lateWeight: number,
  invoices: number,
  /** Distinct product lines of these invoices that are not null or blank, as a JSON array (lines are stored case-folded). */
  lines: string,
  /** How many there are: a client in one currency needs no JSON.parse. */
  lineCount: number,
];

/**
 * The ABC aggregate per client and currency. It reads only invoices_abc_idx, a covering index
 * led by the GROUP BY columns (client_id, currency), so SQLite walks that index in group order:
 * no table row is looked up and no sorter is built, and ORDER BY costs nothing. With planner
 * statistics SQLite may skip-scan it instead, seeking each client's and currency's first issue
 * date of the period; either way it stays in index order (test/abc-recompute.test.ts holds
 * the plan). What it costs beyond a plain GROUP BY is mostly the DISTINCT product lines, a small
 * temporary b-tree per group (the line count reuses the same aggregate). Late days are only
 * computed where the invoice was paid, or is still owed, after its due date (ISO dates compare
 * as strings), so on-time invoices parse no date.
 */
export const INVOICE_AGGREGATES_SQL = `SELECT client_id, currency,
       sum(amount_minor),
       sum(coalesce(margin_minor, 0)),
       sum(CASE WHEN amount_minor > 0 AND coalesce(paid_date, @today) > due_date
                THEN amount_minor * (julianday(coalesce(paid_date, @today)) - julianday(due_date)) ELSE 0 END),
       sum(max(amount_minor, 0)),
       count(*),
       json_group_array(DISTINCT product_line) FILTER (WHERE product_line <> ''),
       json_array_length(json_group_array(DISTINCT product_line) FILTER (WHERE product_line <> ''))
  FROM invoices
 WHERE issue_date >= @from AND issue_date <= @to
 GROUP BY client_id, currency
 ORDER BY client_id, currency`;

export function invoiceAggregates(db: Db, from: string, to: string, today: string): CurrencyAggregate[] {
  return db.$client.prepare(INVOICE_AGGREGATES_SQL).raw(true).all({ from, to, today }) as CurrencyAggregate[];
}

/**
 * Every client's id and stored segment, in id order, as two arrays. Two JSON arrays built by
 * SQLite and parsed by V8 cost a fifth of 100,000 rows handed over one by one.
 */
export function clientSegments(db: Db): { ids: number[]; segments: (Segment | null)[] } {
  const [ids, segments] = db.$client.prepare('SELECT json_group_array(id), json_group_array(segment) FROM (SELECT id, segment FROM clients ORDER BY id)').raw(true).get() as [string, string];
  return { ids: JSON.parse(ids) as number[], segments: JSON.parse(segments) as (Segment | null)[] };
}

/** Names and owners of just these clients (the few a summary or an alert shows). */
export function clientNames(db: Db, ids: readonly number[]): Map<number, { name: string; ownerId: string }> {
  const out = new Map<number, { name: string; ownerId: string }>();
  if (ids.length === 0) return out;
  const rows = db.$client
    .prepare('SELECT id, name, owner_id AS ownerId FROM clients WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { id: number; name: string; ownerId: string }[];
  for (const r of rows) out.set(r.id, { name: r.name, ownerId: r.ownerId });
  return out;
}

export interface SnapshotRow {
  clientId: number;
  criterion: string;
  segment: Segment;
  periodFrom: string;
  periodTo: string;
  revenueMinor: number;
  marginMinor: number;
  baseCurrency: string;
  assortment: number;
  daysLate: number;
  share: number;
  cumulativeShare: number;
  rank: number;
}

/**
 * Write every client's latest segment and figures, update the segment the card shows, and
 * record each change, in one transaction (a crash leaves the previous night's segments whole).
 */
const SEGMENT_BATCH = 2000;

export function writeSegments(db: Db, rows: SnapshotRow[], changes: { clientId: number; from: Segment | null; to: Segment; figures: object }[], at: number): void {
  const upsert = db.$client.prepare(
    `INSERT INTO segment_snapshots (client_id, criterion, segment, period_from, period_to, revenue_minor, margin_minor, base_currency, assortment, days_late, share, cumulative_share, rank, computed_at)
     VALUES (@clientId, @criterion, @segment, @periodFrom, @periodTo, @revenueMinor, @marginMinor, @baseCurrency, @assortment, @daysLate, @share, @cumulativeShare, @rank, @at)
     ON CONFLICT(client_id) DO UPDATE SET criterion = excluded.criterion, segment = excluded.segment, period_from = excluded.period_from, period_to = excluded.period_to,
       revenue_minor = excluded.revenue_minor, margin_minor = excluded.margin_minor, base_currency = excluded.base_currency, assortment = excluded.assortment,
       days_late = excluded.days_late, share = excluded.share, cumulative_share = excluded.cumulative_share, rank = excluded.rank, computed_at = excluded.computed_at`,
  );
  const setSegment = db.$client.prepare('UPDATE clients SET segment = ? WHERE id = ?');
  const change = db.$client.prepare('INSERT INTO segment_changes (client_id, from_segment, to_segment, figures, at) VALUES (?, ?, ?, ?, ?)');
  // In batches: the bot's own writes (an ack's request key, a click) wait for this lock, so
  // no single transaction may hold it for long. Each batch is whole; a crash between batches
  // leaves a mix of last night's and tonight's segments, which the next run completes.
  const write = db.$client.transaction((batch: SnapshotRow[], batchChanges: typeof changes) => {
    for (const r of batch) upsert.run({ ...r, at });
    for (const c of batchChanges) {
      setSegment.run(c.to, c.clientId);
      change.run(c.clientId, c.from, c.to, JSON.stringify(c.figures), at);
    }
  });
  const byClient = new Map<number, (typeof changes)[number]>(changes.map((c) => [c.clientId, c]));
  for (let i = 0; i < rows.length; i += SEGMENT_BATCH) {
    const batch = rows.slice(i, i + SEGMENT_BATCH);
    write.immediate(
      batch,
      batch.map((r) => byClient.get(r.clientId)).filter((c): c is (typeof changes)[number] => c !== undefined),
    );
  }
}

export function snapshotOf(db: Db, clientId: number): SnapshotRow | undefined {
  return db.$client
    .prepare(
      `SELECT client_id AS clientId, criterion, segment, period_from AS periodFrom, period_to AS periodTo, revenue_minor AS revenueMinor, margin_minor AS marginMinor,
              base_currency AS baseCurrency, assortment, days_late AS daysLate, share, cumulative_share AS cumulativeShare, rank
         FROM segment_snapshots WHERE client_id = ?`,
    )
    .get(clientId) as SnapshotRow | undefined;
}

/** What a client currently owes on open invoices, per currency (for the credit limit). */
export function owedByCurrency(tx: Tx, clientId: number): { currency: string; owedMinor: number }[] {
  return tx
    .select({ currency: invoices.currency, owedMinor: sql<number>`sum(${invoices.amountMinor} - ${invoices.paidMinor})` })
    .from(invoices)
    .where(and(eq(invoices.clientId, clientId), isNull(invoices.paidDate)))
    .groupBy(invoices.currency)
    .all();
}

export interface DealWithHistory {
  id: number;
  ownerId: string;
  stage: import('../domain/stages.ts').Stage;
  valueMinor: number | null;
  currency: string | null;
  expectedClose: string | null;
  createdAt: number;
  history: { from: import('../domain/stages.ts').Stage | null; to: import('../domain/stages.ts').Stage; at: number }[];
}

/** Deals (optionally one owner's) with their stage history, in two sequential scans. */
export function dealsWithHistory(db: Db, ownerId?: string): DealWithHistory[] {
  const where = ownerId ? 'WHERE owner_id = ?' : '';
  const args = ownerId ? [ownerId] : [];
  const deals = db.$client
    .prepare(`SELECT id, owner_id AS ownerId, stage, value_minor AS valueMinor, currency, expected_close AS expectedClose, created_at AS createdAt FROM deals ${where} ORDER BY id`)
    .all(...args) as Omit<DealWithHistory, 'history'>[];
  const byId = new Map<number, DealWithHistory>(deals.map((d) => [d.id, { ...d, history: [] }]));
  const changes = db.$client
    .prepare(
      `SELECT deal_id AS dealId, from_stage AS "from", to_stage AS "to", at FROM deal_stage_changes ${ownerId ? 'WHERE deal_id IN (SELECT id FROM deals WHERE owner_id = ?)' : ''} ORDER BY id`,
    )
    .iterate(...args) as IterableIterator<{ dealId: number; from: DealWithHistory['stage'] | null; to: DealWithHistory['stage']; at: number }>;
  for (const c of changes) byId.get(c.dealId)?.history.push({ from: c.from, to: c.to, at: c.at });
  return [...byId.values()];
}

export function openInvoiceFacts(db: Db): { amountOwedMinor: number; currency: string; dueDate: string }[] {
  return db.$client
    .prepare('SELECT amount_minor - paid_minor AS amountOwedMinor, currency, due_date AS dueDate FROM invoices WHERE paid_date IS NULL')
    .all() as { amountOwedMinor: number; currency: string; dueDate: string }[];
}
