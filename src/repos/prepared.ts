import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { isPg, sqliteOf, type Tx } from './store.ts';

/**
 * Drizzle builds a query's SQL anew on every call; for the queries a client card runs (about a
 * dozen per card) that building cost more than SQLite's work. A prepared query is built once per
 * database handle (or transaction) and name, and run with placeholder values. On SQLite the
 * handle is the one connection, so a query is built once per process; on PostgreSQL each
 * transaction is a handle of its own and the server caches plans.
 */
const byHandle = new WeakMap<object, Map<string, unknown>>();

export function prepared<Q>(handle: object, name: string, build: () => Q): Q {
  let queries = byHandle.get(handle);
  if (!queries) byHandle.set(handle, (queries = new Map()));
  let q = queries.get(name) as Q | undefined;
  if (q === undefined) queries.set(name, (q = build()));
  return q;
}

interface PreparedRows<R> {
  all(params?: Record<string, unknown>): R[] | Promise<R[]>;
}

/** The rows of a prepared query built on `tx` (SQLite's `all`, PostgreSQL's `execute`). */
export async function preparedAll<R>(tx: Tx, name: string, build: () => PreparedRows<R>, params: Record<string, unknown>): Promise<R[]> {
  if (isPg(tx)) return (build() as unknown as { execute(p: Record<string, unknown>): Promise<R[]> }).execute(params);
  return prepared(tx, name, build).all(params);
}

/** A raw statement rendered once per dialect: its text and its parameters (placeholders where values go). */
interface Rendered {
  text: string;
  params: unknown[];
}
const rendered = { sqlite: new Map<string, Rendered>(), postgres: new Map<string, Rendered>() };
const dialects = { sqlite: new SQLiteSyncDialect(), postgres: new PgDialect() };

/** What a PostgreSQL Tx runs its queries on: the transaction's connection, or the pool (store.read's autocommit). */
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * The rows of a raw statement (`sql` with `sql.placeholder(...)` where values go) that is built
 * and rendered once per process, not per call: on SQLite run from the connection's statement
 * cache; on PostgreSQL as a named prepared statement, which each connection parses and plans
 * once and then only binds and runs (planning a statement of a dozen subqueries costs the server
 * more than running it). `name` is the statement's, one text per name.
 */
export async function preparedRows<R>(tx: Tx, name: string, build: () => SQL, values: Record<string, unknown>): Promise<R[]> {
  const dialect = isPg(tx) ? 'postgres' : 'sqlite';
  let r = rendered[dialect].get(name);
  if (!r) {
    const q = dialects[dialect].sqlToQuery(build());
    rendered[dialect].set(name, (r = { text: q.sql, params: q.params }));
  }
  const params = fillPlaceholders(r.params, values);
  const conn = sqliteOf(tx);
  if (conn) return conn.prepare(r.text).all(...params) as R[];
  // drizzle keeps the connection (or pool) it runs on as its session's client.
  const client = (tx as unknown as { _: { session: { client: PgQueryable } } })._.session.client;
  return (await client.query({ name, text: r.text, values: params })).rows as R[];
}
