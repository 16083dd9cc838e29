import { isPg, type Tx } from './store.ts';

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
