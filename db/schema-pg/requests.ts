import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/requests.ts. */
export const processedRequests = pgTable(
  'processed_requests',
  {
    key: text('key').primaryKey(),
    at: int8('at').notNull(),
  },
  (t) => [index('processed_requests_at_idx').on(t.at)],
);
