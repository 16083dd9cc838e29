import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../../db/schema/index.ts';
import { pgTriggerSql } from './abc-triggers.ts';
import { installPgFunnelTriggers } from './funnel-triggers.ts';
import { installPgTriggerFunction } from './triggers.ts';

/**
 * PostgreSQL (DATABASE_URL). The repos build their queries from the one model, db/schema (its
 * sqlite-core tables: drizzle's pg dialect renders them, and their column classes map values
 * as on SQLite); db/schema-pg is only the DDL behind db/migrations-pg.
 */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export const PG_MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations-pg');

/** One key for every dealdesk instance: migrations run one instance at a time. */
const MIGRATION_LOCK = 0x6465616c; // 'deal'

/**
 * int8 (bigint columns, count(*)) and numeric (sum()) arrive from `pg` as strings; the model
 * wants numbers as SQLite gives them. Set globally: drizzle's node-postgres session passes its
 * own per-query `types`, so a Pool's `types` option is never consulted. Values stay below 2^53.
 */
let parsersSet = false;
function setTypeParsers(): void {
  if (parsersSet) return;
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);
  parsersSet = true;
}

/** Connect to `url` and (unless migrate:false) migrate it, one instance at a time. */
export async function openPgDb(url: string, opts: { migrate?: boolean } = {}): Promise<PgDb> {
  setTypeParsers();
  const pool = new pg.Pool({ connectionString: url });
  try {
    if (opts.migrate !== false) await migrateLocked(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return drizzle(pool, { schema }) as PgDb;
}

/** Run the migrations on one connection that holds the advisory lock, so concurrent starts wait. */
async function migrateLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
      await installPgTriggers(client);
      await installPgFunnelTriggers(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * The running ABC totals' trigger (src/repos/abc-totals.ts), brought up to date after the
 * migrations (triggers are not drizzle's model): replaced only when its text changed, which the
 * function's comment records.
 */
async function installPgTriggers(client: pg.PoolClient): Promise<void> {
  await installPgTriggerFunction(client, 'abc_track()', pgTriggerSql());
}

export async function closePgDb(db: PgDb): Promise<void> {
  if (!db.$client.ended) await db.$client.end();
}
