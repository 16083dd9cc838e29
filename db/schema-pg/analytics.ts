import { doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import type { ABC_CRITERIA } from '../../src/domain/abc.ts';
import type { SEGMENTS } from '../../src/domain/stages.ts';
import { clients } from './clients.ts';
import { id, int8 } from './columns.ts';

type Segment = (typeof SEGMENTS)[number];

/** The PostgreSQL DDL of db/schema/analytics.ts. */
export const segmentSnapshots = pgTable('segment_snapshots', {
  clientId: integer('client_id')
    .primaryKey()
    .references(() => clients.id),
  criterion: text('criterion').$type<(typeof ABC_CRITERIA)[number]>().notNull(),
  segment: text('segment').$type<Segment>().notNull(),
  periodFrom: text('period_from').notNull(),
  periodTo: text('period_to').notNull(),
  revenueMinor: int8('revenue_minor').notNull(),
  marginMinor: int8('margin_minor').notNull(),
  baseCurrency: text('base_currency').notNull(),
  assortment: int8('assortment').notNull(),
  daysLate: doublePrecision('days_late').notNull(),
  share: doublePrecision('share').notNull(),
  cumulativeShare: doublePrecision('cumulative_share').notNull(),
  rank: int8('rank').notNull(),
  computedAt: int8('computed_at').notNull(),
});

export const segmentChanges = pgTable(
  'segment_changes',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    fromSegment: text('from_segment').$type<Segment>(),
    toSegment: text('to_segment').$type<Segment>().notNull(),
    /** JSON as text. */
    figures: text('figures').notNull(),
    at: int8('at').notNull(),
  },
  (t) => [index('segment_changes_client_idx').on(t.clientId)],
);
