import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { isPg, rowsOf, type Tx } from './store.ts';

/** Slack retries within minutes and trigger ids expire; a day of keys is plenty. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Was this request key recorded before (by this process before a restart, or by another)? */
export function wasTaken(db: Db, key: string): boolean {
  return db.$client.prepare('SELECT 1 FROM processed_requests WHERE key = ?').pluck().get(key) !== undefined;
}

/**
 * Record request keys in one transaction (how many were new), and now and then forget those
 * older than a day. Throws SQLITE_BUSY when another process holds the write lock and `conn`
 * does not wait.
 */
export function recordTaken(conn: Database.Database, keys: { key: string; at: number }[]): number {
  const insert = conn.prepare('INSERT INTO processed_requests (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
  return conn
    .transaction(() => {
      let added = 0;
      for (const k of keys) added += insert.run(k.key, k.at).changes;
      const last = keys[keys.length - 1];
      if (last && Math.random() < 0.001 * keys.length) conn.prepare('DELETE FROM processed_requests WHERE at < ?').run(last.at - KEEP_MS);
      return added;
    })
    .immediate();
}

/**
 * Take a request key in one statement (PostgreSQL: every instance shares the table): true the
 * first time. A key is not money: as on SQLite (the ledger's connection at synchronous = NORMAL),
 * its commit does not wait for the WAL to reach the disk (synchronous_commit off for this one
 * statement's own transaction; an fsync per request cost the card 2 ms at the median and 30-100
 * ms at p99). Visibility to other instances is the same; only a server crash within the next
 * moment (up to 3 × wal_writer_delay) could forget a key, and a replay after it would be taken again.
 */
export async function takeKey(tx: Tx, key: string, at: number): Promise<boolean> {
  const rows = isPg(tx)
    ? await rowsOf(
        tx,
        sql`WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO processed_requests (key, at) SELECT ${key}, ${at} FROM lazy ON CONFLICT (key) DO NOTHING RETURNING key`,
      )
    : await rowsOf(tx, sql`INSERT INTO processed_requests (key, at) VALUES (${key}, ${at}) ON CONFLICT (key) DO NOTHING RETURNING key`);
  if (rows.length === 1 && Math.random() < 0.001) await rowsOf(tx, sql`DELETE FROM processed_requests WHERE at < ${at - KEEP_MS}`);
  return rows.length === 1;
}
