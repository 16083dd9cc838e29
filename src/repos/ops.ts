/**
 * The queries behind the operators' gauges and /readyz. They run when Prometheus scrapes (or a
 * load balancer probes), on the bot's connection, so each is an index search; the one that can
 * touch many rows (overdue receivables) is read in pages the caller yields between.
 */
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS, PG_MIGRATIONS } from './migrations.ts';
import { first, isPg, rowsOf, type Dialect, type Tx } from './store.ts';

/** Undelivered outbox rows per channel (a user id for a DM or an App Home) and the oldest one's creation. */
export async function outboxBacklog(tx: Tx): Promise<{ channel: string; n: number; oldest: number }[]> {
  return rowsOf(tx, sql`SELECT channel, count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'sending') GROUP BY channel`);
}

/** Rows the sender gave up on; they stay in the table. */
export async function outboxFailedCount(tx: Tx): Promise<number> {
  return (await first(rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM outbox WHERE state = 'failed'`)))?.n ?? 0;
}

/**
 * Undecided approvals of current, pending versions past their deadline, per function (the
 * same set as contracts.overdueApprovals). Led by the few pending contracts: SQLite's planner,
 * left to itself, picks approvals_pending_idx and walks every undecided approval of every old
 * version, so on SQLite the index is named.
 */
export async function approvalsPastDeadline(tx: Tx, now: number): Promise<{ fn: string; n: number; oldestDue: number }[]> {
  const indexed = isPg(tx) ? sql`` : sql`INDEXED BY approvals_uq`;
  return rowsOf(
    tx,
    sql`SELECT a.function AS fn, count(*) AS n, min(a.due_at) AS "oldestDue"
       FROM contracts c CROSS JOIN approvals a ${indexed} ON a.contract_id = c.id AND a.version = c.version
       WHERE c.status = 'pending' AND a.decision IS NULL AND a.due_at < ${now}
       GROUP BY a.function`,
  );
}

export interface ReceivablesPage {
  rows: { currency: string; owed: number }[];
  /** Where the next page starts; undefined after the last page. */
  next: { dueDate: string; id: number } | undefined;
}

/**
 * One page of the invoices overdue on `today` (something owed, due before today), in
 * (due_date, id) order on invoices_open_due_idx. A million invoices hold tens of thousands of
 * overdue ones: read at once that is 0.1–0.4 s of the event loop.
 */
export async function overdueReceivablesPage(tx: Tx, today: string, after: { dueDate: string; id: number } | undefined, limit: number): Promise<ReceivablesPage> {
  const rows = await rowsOf<{ dueDate: string; id: number; currency: string; owed: number }>(
    tx,
    sql`SELECT due_date AS "dueDate", id, currency, amount_minor - paid_minor AS owed FROM invoices
       WHERE paid_date IS NULL AND due_date < ${today} AND (due_date, id) > (${after?.dueDate ?? ''}, ${after?.id ?? 0})
       ORDER BY due_date, id LIMIT ${limit}`,
  );
  const last = rows[rows.length - 1];
  return { rows, next: rows.length === limit && last ? { dueDate: last.dueDate, id: last.id } : undefined };
}

/** The latest migration this build ships for a dialect (drizzle records its folder time as created_at). */
export function expectedMigration(dialect: Dialect = 'sqlite'): { at: number; count: number } {
  const files = readMigrationFiles({ migrationsFolder: dialect === 'postgres' ? PG_MIGRATIONS : MIGRATIONS });
  return { at: Math.max(0, ...files.map((m) => m.folderMillis)), count: files.length };
}

/**
 * A read that reaches the database itself: on SQLite the file's header (which `SELECT 1` would
 * not touch), on PostgreSQL a round trip to the server.
 */
export async function schemaVersion(tx: Tx): Promise<number> {
  if (isPg(tx)) return Number((await first(rowsOf<{ v: number }>(tx, sql`SELECT 1 AS v`)))?.v ?? 0);
  return (await first(rowsOf<{ schema_version: number }>(tx, sql`PRAGMA schema_version`)))?.schema_version ?? 0;
}

/** The latest migration applied to the database; throws when the database cannot be read. */
export async function appliedMigration(tx: Tx): Promise<{ at: number; count: number }> {
  const table = isPg(tx) ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
  const r = await first(rowsOf<{ at: number | null; n: number }>(tx, sql`SELECT max(created_at) AS at, count(*) AS n FROM ${table}`));
  return { at: Number(r?.at ?? 0), count: Number(r?.n ?? 0) };
}
