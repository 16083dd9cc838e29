import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { LOCALES } from '../../src/domain/locales.ts';

/** A person's own choices (SPEC §5 "Language"): the language they read dealdesk in, from `/dealdesk language`. */
export const userPrefs = sqliteTable('user_prefs', {
  userId: text('user_id').primaryKey(),
  locale: text('locale', { enum: LOCALES }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});
