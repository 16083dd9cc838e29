import { pgTable, text } from 'drizzle-orm/pg-core';
import { int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/counters.ts; its migration seeds the `invoice` row as 0009 does. */
export const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: int8('value').notNull(),
});
