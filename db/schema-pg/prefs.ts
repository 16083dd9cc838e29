import { pgTable, text } from 'drizzle-orm/pg-core';
import { LOCALES } from '../../src/domain/locales.ts';
import { int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/prefs.ts. */
export const userPrefs = pgTable('user_prefs', {
  userId: text('user_id').primaryKey(),
  locale: text('locale', { enum: LOCALES }).notNull(),
  updatedAt: int8('updated_at').notNull(),
});
