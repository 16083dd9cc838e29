import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/** People who opened the App Home: only their dashboards are republished when data changes. */
export const homeUsers = sqliteTable('home_users', {
  userId: text('user_id').primaryKey(),
  openedAt: integer('opened_at').notNull(),
});
