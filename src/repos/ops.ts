/**
 * The queries behind the operators' gauges and /readyz. They run when Prometheus scrapes (or a
 * load balancer probes), on the bot's connection, so each is an index search; the one that can
 * touch many rows (overdue receivables) is read in pages the caller yields between.
 */
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './db.ts';
import { MIGRATIONS } from './db.ts';

/** Undelivered outbox rows per channel (a user id for a DM or an App Home) and the oldest one's creation. */
export function outboxBacklog(db: Db): { channel: string; n: number; oldest: number }[] {
  return db.$client
    .prepare("SELECT channel, count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'sending') GROUP BY channel")
    .all() as { channel: string; n: number; oldest: number }[];
}

/** Rows the sender gave up on; they stay in the table. */
export function outboxFailedCount(db: Db): number {
  return (db.$client.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'failed'").get() as { n: number }).n;
}

/**
 * Undecided approvals of current, pending versions past their deadline, per function (the
 * same set as contracts.overdueApprovals). Led by the few pending contracts: the planner's
 * own choice, approvals_pending_idx, walks every undecided approval of every old version.
 */
export function approvalsPastDeadline(db: Db, now: number): { fn: string; n: number; oldestDue: number }[] {
  return db.$client
    .prepare(
      `SELECT a.function AS fn, count(*) AS n, min(a.due_at) AS oldestDue
       FROM contracts c CROSS JOIN approvals a INDEXED BY approvals_uq ON a.contract_id = c.id AND a.version = c.version
       WHERE c.status = 'pending' AND a.decision IS NULL AND a.due_at < ?
       GROUP BY a.function`,
    )
    .all(now) as { fn: string; n: number; oldestDue: number }[];
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
export function overdueReceivablesPage(db: Db, today: string, after: { dueDate: string; id: number } | undefined, limit: number): ReceivablesPage {
  const rows = db.$client
    .prepare(
      `SELECT due_date AS dueDate, id, currency, amount_minor - paid_minor AS owed FROM invoices
       WHERE paid_date IS NULL AND due_date < ? AND (due_date, id) > (?, ?)
       ORDER BY due_date, id LIMIT ?`,
    )
    .all(today, after?.dueDate ?? '', after?.id ?? 0, limit) as { dueDate: string; id: number; currency: string; owed: number }[];
  const last = rows[rows.length - 1];
  return { rows, next: rows.length === limit && last ? { dueDate: last.dueDate, id: last.id } : undefined };
}

/** The latest migration this build ships (drizzle records its folder time as created_at). */
export function expectedMigration(): { at: number; count: number } {
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS });
  return { at: Math.max(0, ...files.map((m) => m.folderMillis)), count: files.length };
}

/** A read of the database file itself (its header), which a `SELECT 1` would not touch. */
export function schemaVersion(db: Db): number {
  return db.$client.pragma('schema_version', { simple: true }) as number;
}

/** The latest migration applied to the database; throws when the database cannot be read. */
export function appliedMigration(db: Db): { at: number; count: number } {
  const r = db.$client.prepare('SELECT max(created_at) AS at, count(*) AS n FROM __drizzle_migrations').get() as { at: number | null; n: number };
  return { at: Number(r.at ?? 0), count: r.n };
}
