import { doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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

export const segmentRuns = pgTable('segment_runs', {
  id: int8('id').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  writer: text('writer').notNull(),
  writtenAt: int8('written_at').notNull(),
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

export const abcWindow = pgTable('abc_window', {
  id: int8('id').primaryKey(),
  periodFrom: text('period_from').notNull(),
  periodTo: text('period_to').notNull(),
  ready: int8('ready').notNull(),
});

export const abcTotals = pgTable(
  'abc_totals',
  {
    clientId: integer('client_id').notNull(),
    currency: text('currency').notNull(),
    revenueMinor: int8('revenue_minor').notNull(),
    marginMinor: int8('margin_minor').notNull(),
    latePaid: int8('late_paid').notNull(),
    lateWeight: int8('late_weight').notNull(),
    invoices: int8('invoices').notNull(),
    lineCount: int8('line_count').notNull(),
    overdueMinor: int8('overdue_minor').notNull(),
    overdueDue: int8('overdue_due').notNull(),
  },
  (t) => [uniqueIndex('abc_totals_uq').on(t.clientId, t.currency)],
);

export const abcLines = pgTable(
  'abc_lines',
  {
    clientId: integer('client_id').notNull(),
    currency: text('currency').notNull(),
    productLine: text('product_line').notNull(),
    invoices: int8('invoices').notNull(),
  },
  (t) => [uniqueIndex('abc_lines_uq').on(t.clientId, t.currency, t.productLine)],
);
