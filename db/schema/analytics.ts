import { sqliteTable, integer, text, real, index } from 'drizzle-orm/sqlite-core';
import { ABC_CRITERIA } from '../../src/domain/abc.ts';
import { SEGMENTS } from '../../src/domain/stages.ts';
import { clients } from './clients.ts';

/** Each client's latest segment and the figures behind it (the policy's default criterion). */
export const segmentSnapshots = sqliteTable('segment_snapshots', {
  clientId: integer('client_id')
    .primaryKey()
    .references(() => clients.id),
  criterion: text('criterion', { enum: ABC_CRITERIA }).notNull(),
  segment: text('segment', { enum: SEGMENTS }).notNull(),
  periodFrom: text('period_from').notNull(),
  periodTo: text('period_to').notNull(),
  /** In minor units of the base currency. */
  revenueMinor: integer('revenue_minor').notNull(),
  marginMinor: integer('margin_minor').notNull(),
  baseCurrency: text('base_currency').notNull(),
  assortment: integer('assortment').notNull(),
  daysLate: real('days_late').notNull(),
  share: real('share').notNull(),
  cumulativeShare: real('cumulative_share').notNull(),
  rank: integer('rank').notNull(),
  computedAt: integer('computed_at').notNull(),
});

/** Every change of a client's segment, with the figures that moved it. */
export const segmentChanges = sqliteTable(
  'segment_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    fromSegment: text('from_segment', { enum: SEGMENTS }),
    toSegment: text('to_segment', { enum: SEGMENTS }).notNull(),
    figures: text('figures', { mode: 'json' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('segment_changes_client_idx').on(t.clientId)],
);
