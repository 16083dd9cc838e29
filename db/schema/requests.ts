import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/**
 * Requests from Slack already taken: a retried delivery, a replayed click or submission, or two
 * identical requests at once find their key here and change nothing.
 */
export const processedRequests = sqliteTable(
  'processed_requests',
  {
    key: text('key').primaryKey(),
    at: integer('at').notNull(),
  },
  (t) => [index('processed_requests_at_idx').on(t.at)],
);
