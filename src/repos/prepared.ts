/**
 * Drizzle builds a query's SQL anew on every call; for the queries a client card runs (about a
 * dozen per card) that building cost more than SQLite's work. A prepared query is built once per
 * database handle (or transaction) and name, and run with placeholder values.
 */
const byHandle = new WeakMap<object, Map<string, unknown>>();

export function prepared<Q>(handle: object, name: string, build: () => Q): Q {
  let queries = byHandle.get(handle);
  if (!queries) byHandle.set(handle, (queries = new Map()));
  let q = queries.get(name) as Q | undefined;
  if (q === undefined) queries.set(name, (q = build()));
  return q;
}
