import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { is, type SQL } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteSyncDialect, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../db/schema-pg/index.ts';
import * as sqliteSchema from '../db/schema/index.ts';
import { closePgDb, openPgDb, PG_MIGRATIONS } from '../src/repos/pg.ts';
import { tempDb } from './helpers/db.ts';
import { emptyPgDatabase, freshPgDatabase } from './helpers/pg.ts';

/**
 * db/schema (the model the repos query, migrated on SQLite) and db/schema-pg (the DDL behind
 * db/migrations-pg) describe one database. Compared as declared (a) and as the migrations
 * actually build it on each engine (b), in one normalised shape per table.
 */
interface Shape {
  columns: Record<string, { type: string; notNull: boolean; default: string | null }>;
  primaryKey: string[];
  /** name → columns, unique, partial (PostgreSQL's and SQLite's own primary-key indexes left out). */
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  /** `from → table.to`, sorted. */
  foreignKeys: string[];
}
type Shapes = Record<string, Shape>;

/** SQLite's types and the PostgreSQL types they may become (db/schema-pg/columns.ts). */
const TYPES: Record<string, string[]> = { integer: ['integer', 'bigint'], text: ['text'], real: ['double precision'] };

/** How many migrations db/migrations-pg holds. */
const PG_MIGRATION_COUNT = (JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

/** A partial index's predicate, without quotes or table qualifiers, so the two dialects compare. */
function predicate(where: SQL | undefined, render: (s: SQL) => string, table: string): string | null {
  if (!where) return null;
  return render(where).replaceAll(`"${table}".`, '').replaceAll('"', '').replace(/\s+/g, ' ').trim();
}

function declaredSqlite(): { shapes: Shapes; predicates: Record<string, string | null>; autoIds: Set<string> } {
  const shapes: Shapes = {};
  const predicates: Record<string, string | null> = {};
  const autoIds = new Set<string>();
  for (const t of Object.values(sqliteSchema).filter((v) => is(v, SQLiteTable)) as SQLiteTable[]) {
    const c = sqliteConfig(t);
    shapes[c.name] = {
      columns: Object.fromEntries(
        c.columns.map((col) => [
          col.name,
          { type: col.getSQLType(), notNull: col.notNull, default: col.hasDefault && col.default !== undefined ? String(col.mapToDriverValue(col.default)) : null },
        ]),
      ),
      primaryKey: [...c.columns.filter((col) => col.primary).map((col) => col.name), ...c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name))],
      indexes: Object.fromEntries(
        c.indexes.map((i) => [i.config.name, { columns: i.config.columns.map((col) => (col as { name: string }).name), unique: i.config.unique, partial: i.config.where !== undefined }]),
      ),
      foreignKeys: c.foreignKeys
        .map((fk) => {
          const r = fk.reference();
          return `${r.columns.map((col) => col.name).join(',')} → ${sqliteConfig(r.foreignTable).name}.${r.foreignColumns.map((col) => col.name).join(',')}`;
        })
        .sort(),
    };
    for (const i of c.indexes) predicates[`${c.name}.${i.config.name}`] = predicate(i.config.where, (s) => sqliteDialect.sqlToQuery(s).sql, c.name);
    for (const col of c.columns) if ((col as { autoIncrement?: boolean }).autoIncrement) autoIds.add(`${c.name}.${col.name}`);
  }
  return { shapes, predicates, autoIds };
}

function declaredPg(): { shapes: Shapes; predicates: Record<string, string | null>; identities: Map<string, string> } {
  const shapes: Shapes = {};
  const predicates: Record<string, string | null> = {};
  const identities = new Map<string, string>();
  for (const t of Object.values(pgSchema).filter((v) => is(v, PgTable)) as PgTable[]) {
    const c = pgConfig(t);
    shapes[c.name] = {
      columns: Object.fromEntries(
        c.columns.map((col) => [col.name, { type: col.getSQLType(), notNull: col.notNull, default: col.hasDefault && col.default !== undefined ? String(col.default) : null }]),
      ),
      primaryKey: [...c.columns.filter((col) => col.primary).map((col) => col.name), ...c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name))],
      indexes: Object.fromEntries(
        c.indexes.map((i) => [
          i.config.name!,
          { columns: i.config.columns.map((col) => (col as { name: string }).name), unique: i.config.unique, partial: i.config.where !== undefined },
        ]),
      ),
      foreignKeys: c.foreignKeys
        .map((fk) => {
          const r = fk.reference();
          return `${r.columns.map((col) => col.name).join(',')} → ${pgConfig(r.foreignTable).name}.${r.foreignColumns.map((col) => col.name).join(',')}`;
        })
        .sort(),
    };
    for (const i of c.indexes) predicates[`${c.name}.${i.config.name}`] = predicate(i.config.where, (s) => pgDialect.sqlToQuery(s).sql, c.name);
    for (const col of c.columns) if (col.generatedIdentity) identities.set(`${c.name}.${col.name}`, col.generatedIdentity.type);
  }
  return { shapes, predicates, identities };
}

/** Each column's type: PostgreSQL's must be one SQLite's may become; then both read as SQLite's. */
function typesAgree(sqlite: Shapes, postgres: Shapes): string[] {
  const wrong: string[] = [];
  for (const [table, s] of Object.entries(sqlite))
    for (const [name, col] of Object.entries(s.columns)) {
      const p = postgres[table]?.columns[name];
      if (p && !(TYPES[col.type] ?? []).includes(p.type)) wrong.push(`${table}.${name}: ${col.type} → ${p.type}`);
    }
  return wrong;
}

/** The shapes with every column type written as SQLite's, once typesAgree passed. */
function asSqliteTypes(sqlite: Shapes, postgres: Shapes): Shapes {
  return Object.fromEntries(
    Object.entries(postgres).map(([table, s]) => [
      table,
      { ...s, columns: Object.fromEntries(Object.entries(s.columns).map(([n, c]) => [n, { ...c, type: sqlite[table]?.columns[n]?.type ?? c.type }])) },
    ]),
  );
}

describe('the PostgreSQL schema mirrors the SQLite model', () => {
  it('declares the same tables, columns, keys and indexes (db/schema vs db/schema-pg)', () => {
    const s = declaredSqlite();
    const p = declaredPg();
    expect(Object.keys(p.shapes).sort()).toEqual(Object.keys(s.shapes).sort());
    expect(typesAgree(s.shapes, p.shapes)).toEqual([]);
    expect(asSqliteTypes(s.shapes, p.shapes)).toEqual(s.shapes);
    expect(p.predicates).toEqual(s.predicates);
    // Every autoincrement id is an identity by default (a copy inserts its ids), and nothing else is.
    expect([...p.identities.keys()].sort()).toEqual([...s.autoIds].sort());
    expect(new Set(p.identities.values())).toEqual(new Set(['byDefault']));
    // 32-bit integer only for ids (identities and the columns that hold them); figures and times are bigint.
    const narrow = Object.entries(p.shapes).flatMap(([table, shape]) =>
      Object.entries(shape.columns)
        .filter(([name, col]) => col.type === 'integer' && !p.identities.has(`${table}.${name}`) && !/_id$/.test(name))
        .map(([name]) => `${table}.${name}`),
    );
    expect(narrow).toEqual([]);
  });

  it('migrates to the same tables, columns, keys, indexes and seed rows on both engines', async () => {
    const sqlite = tempDb();
    const url = await emptyPgDatabase();
    const db = await openPgDb(url);
    try {
      const s = builtSqlite(sqlite.db.$client);
      const p = await builtPg(db.$client);
      expect(Object.keys(s).length).toBe(Object.keys(declaredSqlite().shapes).length);
      expect(Object.keys(p).sort()).toEqual(Object.keys(s).sort());
      expect(typesAgree(s, p)).toEqual([]);
      expect(asSqliteTypes(s, p)).toEqual(s);
      // The rows the migrations write (the invoice counter).
      const seeded = sqlite.db.$client.prepare('SELECT name, value FROM counters ORDER BY name').all();
      expect((await db.$client.query('SELECT name, value FROM counters ORDER BY name')).rows).toEqual(seeded);
      expect(seeded).toEqual([{ name: 'invoice', value: 0 }]);
    } finally {
      await closePgDb(db);
      sqlite.close();
    }
  });

  it('hands each test a migrated database of its own (test/helpers/pg.ts freshPgDatabase)', async () => {
    const urls = await Promise.all([freshPgDatabase(), freshPgDatabase()]);
    expect(new Set(urls).size).toBe(2);
    const [a, b] = await Promise.all(urls.map((u) => openPgDb(u, { migrate: false })));
    try {
      await a!.$client.query("INSERT INTO home_users (user_id, opened_at) VALUES ('U1', 1)");
      expect((await a!.$client.query('SELECT count(*) AS n FROM home_users')).rows[0].n).toBe(1);
      expect((await b!.$client.query('SELECT count(*) AS n FROM home_users')).rows[0].n).toBe(0);
      expect((await b!.$client.query('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0].n).toBe(PG_MIGRATION_COUNT);
    } finally {
      await Promise.all([a, b].map((d) => closePgDb(d!)));
    }
  });

  it('migrates once when several instances start together on one database', async () => {
    const url = await emptyPgDatabase();
    const dbs = await Promise.all([1, 2, 3, 4].map(() => openPgDb(url)));
    try {
      const applied = await dbs[0]!.$client.query('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
      const counters = await dbs[0]!.$client.query('SELECT count(*) AS n FROM counters');
      expect(applied.rows[0].n).toBe(PG_MIGRATION_COUNT);
      expect(counters.rows[0].n).toBe(1);
    } finally {
      await Promise.all(dbs.map((d) => closePgDb(d)));
    }
  });
});

type Sqlite = ReturnType<typeof tempDb>['db']['$client'];

/** What SQLite built: pragma table_info, index_list/index_info, foreign_key_list. */
function builtSqlite(sqlite: Sqlite): Shapes {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
    .pluck()
    .all() as string[];
  const shapes: Shapes = {};
  for (const table of names) {
    const cols = sqlite.pragma(`table_info("${table}")`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    const indexes = sqlite.pragma(`index_list("${table}")`) as { name: string; unique: number; origin: string; partial: number }[];
    const fks = sqlite.pragma(`foreign_key_list("${table}")`) as { table: string; from: string; to: string }[];
    shapes[table] = {
      columns: Object.fromEntries(cols.map((c) => [c.name, { type: c.type.toLowerCase(), notNull: c.notnull === 1, default: unquote(c.dflt_value) }])),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes: Object.fromEntries(
        indexes
          .filter((i) => i.origin !== 'pk')
          .map((i) => [
            i.name,
            {
              columns: (sqlite.pragma(`index_info("${i.name}")`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
              unique: i.unique === 1,
              partial: i.partial === 1,
            },
          ]),
      ),
      foreignKeys: fks.map((f) => `${f.from} → ${f.table}.${f.to}`).sort(),
    };
  }
  return shapes;
}

/** What PostgreSQL built, from information_schema and the catalogs of the public schema. */
async function builtPg(pool: pg.Pool): Promise<Shapes> {
  const q = async <T>(text: string) => (await pool.query(text)).rows as T[];
  const cols = await q<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
  );
  const indexes = await q<{ table: string; name: string; unique: boolean; primary: boolean; partial: boolean; columns: string[] }>(`
    SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary, ix.indpred IS NOT NULL AS partial,
      array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public'`);
  const fks = await q<{ table: string; from: string; ref: string; to: string }>(`
    SELECT c.conrelid::regclass::text AS table, a.attname AS from, c.confrelid::regclass::text AS ref, fa.attname AS to
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const shapes: Shapes = {};
  for (const c of cols) {
    const s = (shapes[c.table_name] ??= { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] });
    s.columns[c.column_name] = { type: c.data_type, notNull: c.is_nullable === 'NO', default: c.column_default === null ? null : unquote(c.column_default.replace(/::[a-z ]+$/, '')) };
  }
  for (const i of indexes) {
    const s = shapes[i.table]!;
    if (i.primary) s.primaryKey = i.columns;
    else s.indexes[i.name] = { columns: i.columns, unique: i.unique, partial: i.partial };
  }
  for (const f of fks) shapes[f.table]!.foreignKeys.push(`${f.from} → ${f.ref}.${f.to}`);
  for (const s of Object.values(shapes)) s.foreignKeys.sort();
  return shapes;
}

/** A default as SQL writes it ('[]', 0) to its value's text ([], 0). */
function unquote(v: string | null): string | null {
  return v === null ? null : v.replace(/^'(.*)'$/s, '$1').replaceAll("''", "'");
}
