import { pgTable, text } from 'drizzle-orm/pg-core';
import { int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/home.ts. */
export const homeUsers = pgTable('home_users', {
  userId: text('user_id').primaryKey(),
  openedAt: int8('opened_at').notNull(),
});
