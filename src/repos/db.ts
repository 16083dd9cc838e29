import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

/** Open (creating folder and file as needed) and migrate the database. */
export function openDb(path: string, opts: { migrate?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // Money and approvals live here: a confirmed change must survive a power cut, so every
  // commit is fsynced rather than WAL's default NORMAL, which may lose the last commits.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A second process (a digest run, a backup) may hold the write lock for a moment.
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS });
  // Fresh statistics for the query planner where they are missing or stale; the limit keeps
  // it to a sample, so it stays cheap on a large database.
  sqlite.pragma('analysis_limit = 1000');
  sqlite.pragma('optimize = 0x10002');
  return db;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
