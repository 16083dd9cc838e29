import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { isPg, type Tx } from './store.ts';

/**
 * Rows of several tables in one statement: each row as a JSON object keyed by the model's
 * property names (`json_build_object` on PostgreSQL, `json_object` on SQLite), lists of them with
 * `json_agg` / `json_group_array`, and back to the model's values through each column's own
 * mapping (a json-mode text column arrives as a JSON string and is parsed, as from a select).
 */
type Columns = Record<string, Column>;

/** `column` of the table under `alias` (its SQL name from the model, so a renamed column cannot be missed). */
export function col(alias: string, column: Column): SQL {
  return sql.raw(`${alias}."${column.name}"`);
}

/** `table`'s row under `alias` as one JSON object (without the properties in `omit`). */
export function jsonRow(tx: Tx, table: SQLiteTable, alias: string, omit: readonly string[] = []): SQL {
  const pairs = Object.entries(getTableColumns(table) as Columns)
    .filter(([key]) => !omit.includes(key))
    .map(([key, col]) => `'${key}', ${alias}."${col.name}"`);
  return sql.raw(`${isPg(tx) ? 'json_build_object' : 'json_object'}(${pairs.join(', ')})`);
}

/** A JSON object of named JSON parts (jsonRow, jsonList): `{ contract: …, approvals: […] }`. */
export function jsonOf(tx: Tx, parts: Record<string, SQL>): SQL {
  const pairs = Object.entries(parts).map(([key, part]) => sql`${sql.raw(`'${key}'`)}, ${part}`);
  return sql`${sql.raw(isPg(tx) ? 'json_build_object' : 'json_object')}(${sql.join(pairs, sql`, `)})`;
}

/**
 * A JSON value read back from a FROM subquery's column (`o.j` of `FROM (SELECT json_object(…) AS j …) o`):
 * SQLite keeps the JSON type of json_object through aggregates, ORDER BY and scalar subqueries,
 * but not through such a column, which reaches json_group_array as text unless json() marks it again.
 */
export function jsonColumn(tx: Tx, column: SQL): SQL {
  return isPg(tx) ? column : sql`json(${column})`;
}

/** The JSON array of `value` over the rows of `from` (a FROM … WHERE clause), in `orderBy` order. */
export function jsonList(tx: Tx, value: SQL, from: SQL, orderBy: SQL): SQL {
  return isPg(tx) ? sql`(SELECT json_agg(${value} ORDER BY ${orderBy}) ${from})` : sql`(SELECT json_group_array(${value} ORDER BY ${orderBy}) ${from})`;
}

/** A JSON value as it arrives: parsed already (PostgreSQL's json type) or as text (SQLite). */
export function parsedJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

/** A JSON object made by jsonRow, as the model's row (null for no row). */
export function rowFromJson<T>(table: SQLiteTable, obj: unknown): T | undefined {
  if (obj === null || obj === undefined) return undefined;
  const o = obj as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table) as Columns)) {
    if (!(key in o)) continue;
    const v = o[key];
    row[key] = v === null ? null : col.mapFromDriverValue(v);
  }
  return row as T;
}

/** A JSON array made by jsonList, as the model's rows. */
export function rowsFromJson<T>(table: SQLiteTable, list: unknown): T[] {
  return ((parsedJson(list) as unknown[] | null) ?? []).map((o) => rowFromJson<T>(table, o)!);
}
