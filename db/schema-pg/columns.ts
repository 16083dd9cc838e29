import { bigint, integer } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL column types of the SQLite model (db/schema), which the repos keep building
 * queries from: SQLite's one 64-bit `integer` becomes `bigint` for every figure (minor units,
 * ms-epoch times, counters: PostgreSQL's `integer` is 32-bit and a ms time overflows it), and
 * `integer` only for the ids. `text` stays `text` even in json mode: the model's column classes
 * parse and stringify it, so jsonb would hand them objects.
 */
export const int8 = (name: string) => bigint(name, { mode: 'number' });

/** An autoincrement id. By default, not always: a copy (npm run db:copy) inserts the ids it has. */
export const id = (name = 'id') => integer(name).primaryKey().generatedByDefaultAsIdentity();
