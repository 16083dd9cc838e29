import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema/index.ts';

/** How long a write waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export { MIGRATIONS } from './migrations.ts';
import { MIGRATIONS } from './migrations.ts';
import { installSqliteTriggers } from './abc-triggers.ts';
import { installSqliteFunnelTriggers } from './funnel-triggers.ts';

/** Open (creating folder and file as needed) and migrate the database. */
export function openDb(path: string, opts: { migrate?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = cacheStatements(new Database(path));
  sqlite.pragma('journal_mode = WAL');
  // Money and approvals live here: a confirmed change must survive a power cut, so every
  // commit is fsynced rather than WAL's default NORMAL, which may lose the last commits.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A second process (a digest run, a backup) may hold the write lock for a moment.
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate !== false) {
    migrate(db, { migrationsFolder: MIGRATIONS });
    // Triggers are not drizzle's model: they are brought up to date after the migrations.
    installSqliteTriggers(sqlite);
    installSqliteFunnelTriggers(sqlite);
  }
  // Fresh statistics for the query planner where they are missing or stale; the limit keeps
  // it to a sample, so it stays cheap on a large database.
  sqlite.pragma('analysis_limit = 1000');
  sqlite.pragma('optimize = 0x10002');
  return db;
}

/**
 * Reuse compiled statements. Drizzle prepares every one-off query anew, and compiling one costs
 * more than running it (a client card runs about a dozen). The SQL text is the key: drizzle
 * binds values as parameters, so the set of texts is bounded by the code. A statement in the
 * middle of an iteration is never handed out twice, and a reused one starts in its default
 * mode (drizzle switches statements to raw rows). So callers use a statement at once and do
 * not keep one they switched to pluck/raw/expand: a later prepare() of the same SQL resets it.
 */
const STATEMENT_CACHE = 500;
export function cacheStatements(sqlite: Database.Database): Database.Database {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      return hit;
    }
    const stmt = compile(source);
    if (!hit) {
      cache.set(source, stmt);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
