import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import * as schema from '../../db/schema/index.ts';
import type { PgDb } from './pg.ts';

/** A copy that could not be made or did not check out; the message says why, for a person. */
export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyError';
  }
}

export interface TableCount {
  table: string;
  /** Rows in the SQLite table when the copy began (one read snapshot for all tables). */
  source: number;
  /** Rows in the PostgreSQL table before commit. */
  target: number;
}

interface ModelTable {
  name: string;
  columns: string[];
  /** Tables its foreign keys point at. */
  refs: string[];
}

/** The model's tables, each after the tables its foreign keys point at. */
export function tablesInForeignKeyOrder(): ModelTable[] {
  const all = (Object.values(schema).filter((v) => is(v, SQLiteTable)) as SQLiteTable[]).map((t) => {
    const c = getTableConfig(t);
    return {
      name: c.name,
      columns: c.columns.map((col) => col.name),
      refs: [...new Set(c.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name))].filter((r) => r !== c.name),
    };
  });
  const done = new Set<string>();
  const ordered: ModelTable[] = [];
  while (ordered.length < all.length) {
    const ready = all.filter((t) => !done.has(t.name) && t.refs.every((r) => done.has(r)));
    if (ready.length === 0) throw new Error('the model has a foreign-key cycle');
    for (const t of ready) {
      done.add(t.name);
      ordered.push(t);
    }
  }
  return ordered;
}

/**
 * Rows the migrations themselves write (the invoice counter, still 0): a database holding only
 * these counts as empty, and the copy replaces them with the source's.
 */
const MIGRATION_ROWS: Record<string, string> = { counters: 'value = 0' };

/** PostgreSQL takes at most 65535 parameters in one statement. */
const MAX_PARAMS = 65_535;
const BATCH_ROWS = 1000;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Copy the SQLite database at `sqlitePath` (opened read-only, read in one snapshot) into `db`,
 * an already migrated PostgreSQL database that must hold no data: table by table in foreign-key
 * order, in multi-row INSERTs of up to 1000 rows (memory stays at one batch), in one transaction
 * with the tables locked. Identity sequences then continue after the highest id, and every
 * table's row count must equal the source's, or nothing is committed.
 */
export async function copySqliteToPg(
  sqlitePath: string,
  db: PgDb,
  opts: { batchRows?: number; onTable?: (table: string, rows: number) => void } = {},
): Promise<TableCount[]> {
  const path = resolve(sqlitePath);
  if (!existsSync(path)) throw new CopyError(`There is no SQLite database at ${path} (DATABASE_PATH).`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new CopyError(`Cannot open the SQLite database at ${path}: ${messageOf(err)}`);
  }
  const tables = tablesInForeignKeyOrder();
  const client = await db.$client.connect();
  try {
    sqlite.pragma('busy_timeout = 5000');
    checkSource(sqlite, path, tables);
    // One read snapshot for counts and rows, even while the bot writes to the SQLite file.
    sqlite.exec('BEGIN');
    const counts = new Map(tables.map((t) => [t.name, (sqlite.prepare(`SELECT count(*) FROM ${q(t.name)}`).pluck().get() as number) ?? 0]));

    await client.query('BEGIN');
    try {
      // The running ABC totals are copied as they are, not summed again by the invoices' trigger.
      await client.query("SET LOCAL dealdesk.copying = 'on'");
      await client.query(`LOCK TABLE ${tables.map((t) => q(t.name)).join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
      await refuseIfNotEmpty(client);
      for (const [table, where] of Object.entries(MIGRATION_ROWS)) await client.query(`DELETE FROM ${q(table)} WHERE ${where}`);
      for (const t of tables) {
        const copied = await copyTable(sqlite, client, t, opts.batchRows ?? BATCH_ROWS);
        opts.onTable?.(t.name, copied);
      }
      await resetIdentities(client);
      const result: TableCount[] = [];
      for (const t of tables) {
        const target = Number((await client.query(`SELECT count(*) AS n FROM ${q(t.name)}`)).rows[0].n);
        result.push({ table: t.name, source: counts.get(t.name)!, target });
      }
      const wrong = result.filter((r) => r.source !== r.target);
      if (wrong.length > 0) {
        throw new CopyError(
          `The copy does not match the source, so nothing was written: ${wrong.map((r) => `${r.table} ${r.source} in SQLite, ${r.target} in PostgreSQL`).join('; ')}.`,
        );
      }
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (err instanceof CopyError) throw err;
      throw new CopyError(`The copy failed and nothing was written to PostgreSQL: ${messageOf(err)}`);
    }
  } finally {
    client.release();
    if (sqlite.inTransaction) sqlite.exec('COMMIT');
    sqlite.close();
  }
}

/** The source has every table and column of the model: it is a dealdesk database, migrated to this version. */
function checkSource(sqlite: Database.Database, path: string, tables: ModelTable[]): void {
  const missing: string[] = [];
  for (const t of tables) {
    const have = new Set((sqlite.pragma(`table_info(${q(t.name)})`) as { name: string }[]).map((c) => c.name));
    if (have.size === 0) missing.push(t.name);
    else missing.push(...t.columns.filter((c) => !have.has(c)).map((c) => `${t.name}.${c}`));
  }
  if (missing.length === tables.length) throw new CopyError(`${path} is not a dealdesk database (it has none of its tables).`);
  if (missing.length > 0) {
    throw new CopyError(
      `${path} is from an older dealdesk (it lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): start the bot on it once to migrate it, then copy.`,
    );
  }
}

/** Every table of the target's schema holds nothing but what the migrations wrote, or the copy stops here. */
async function refuseIfNotEmpty(client: pg.PoolClient): Promise<void> {
  const tables = (
    await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
  ).rows.map((r) => r.name);
  const full: string[] = [];
  for (const t of tables) {
    const where = MIGRATION_ROWS[t] ? ` WHERE NOT (${MIGRATION_ROWS[t]})` : '';
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${q(t)}${where}) AS full`);
    if (rows[0].full) full.push(t);
  }
  if (full.length > 0) {
    throw new CopyError(
      `The PostgreSQL database is not empty (${full.slice(0, 5).join(', ')}${full.length > 5 ? ', …' : ''} ${full.length === 1 ? 'has' : 'have'} rows), so nothing was copied. Copy into a new, empty database.`,
    );
  }
}

/** One table in batches of whole rows; integers read exactly (BigInt) and sent as text. */
async function copyTable(sqlite: Database.Database, client: pg.PoolClient, t: ModelTable, batchRows: number): Promise<number> {
  const cols = t.columns.map(q).join(', ');
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / t.columns.length)));
  const insert = (n: number) => {
    const tuples: string[] = [];
    for (let r = 0; r < n; r++) tuples.push(`(${t.columns.map((_, c) => `$${r * t.columns.length + c + 1}`).join(', ')})`);
    return `INSERT INTO ${q(t.name)} (${cols}) VALUES ${tuples.join(', ')}`;
  };
  const full = insert(perBatch);
  const rows = sqlite.prepare(`SELECT ${cols} FROM ${q(t.name)} ORDER BY rowid`).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>;
  let values: unknown[] = [];
  let inBatch = 0;
  let copied = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    // A full batch is one prepared statement per table, parsed once.
    if (inBatch === perBatch) await client.query({ name: `copy_${t.name}_${perBatch}`, text: full, values });
    else await client.query(insert(inBatch), values);
    copied += inBatch;
    values = [];
    inBatch = 0;
  };
  for (const row of rows) {
    for (const v of row) values.push(typeof v === 'bigint' ? v.toString() : v);
    if (++inBatch === perBatch) await flush();
  }
  await flush();
  return copied;
}

/** Each identity continues after the highest id copied (or starts at 1). */
async function resetIdentities(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
  );
  for (const r of rows) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${q(r.column_name)}) FROM ${q(r.table_name)}), 0) + 1, false)`, [
      q(r.table_name),
      r.column_name,
    ]);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
