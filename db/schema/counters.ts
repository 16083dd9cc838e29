import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Sequences that must never repeat, whoever writes: `invoice` numbers the invoices that come
 * without a number of their own. Taken with one guarded UPDATE … RETURNING, so two writers on
 * one database never draw the same value (a max(id)+1 read holds only with one writer).
 */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
