/**
 * Triggers are not drizzle's model: each set (the running ABC totals, the funnel's latest stage
 * changes) is brought up to date after the migrations, by openDb and openPgDb, with these two.
 * Each is a no-op when what is installed is already as written; otherwise it replaces the set in
 * one transaction, together with the statements that rebuild what the triggers keep (so nothing
 * written meanwhile is missed).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** SQLite: the triggers named `prefix…`, compared by their SQL with `want` (name → CREATE TRIGGER). */
export function installSqliteTriggerSet(conn: import('better-sqlite3').Database, prefix: string, want: Record<string, string>, rebuild: readonly string[] = []): void {
  const rows = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? || '%'").all(prefix) as { name: string; sql: string }[];
  const have = new Map(rows.map((r) => [r.name, r.sql]));
  if (have.size === Object.keys(want).length && Object.entries(want).every(([n, s]) => have.get(n) === s)) return;
  conn.exec('BEGIN IMMEDIATE');
  try {
    for (const name of have.keys()) conn.exec(`DROP TRIGGER IF EXISTS ${name}`);
    for (const s of Object.values(want)) conn.exec(s);
    for (const s of rebuild) conn.exec(s);
    conn.exec('COMMIT');
  } catch (err) {
    if (conn.inTransaction) conn.exec('ROLLBACK');
    throw err;
  }
}

/**
 * PostgreSQL: the trigger function `fn` (e.g. `abc_track()`) and its trigger from `text`, replaced
 * only when the text changed (its digest is the function's comment). `before` runs first in the
 * transaction (a lock), `rebuild` after the text.
 */
export async function installPgTriggerFunction(client: pg.PoolClient, fn: string, text: string, opts: { before?: readonly string[]; rebuild?: readonly string[] } = {}): Promise<void> {
  const mark = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const { rows } = await client.query('SELECT obj_description(to_regprocedure($1), \'pg_proc\') AS mark', [fn]);
  if (rows[0]?.mark === mark) return;
  await client.query('BEGIN');
  try {
    for (const s of opts.before ?? []) await client.query(s);
    await client.query(text);
    for (const s of opts.rebuild ?? []) await client.query(s);
    await client.query(`COMMENT ON FUNCTION ${fn} IS '${mark}'`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
