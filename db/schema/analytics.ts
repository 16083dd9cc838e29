import { sqliteTable, integer, text, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
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

/**
 * The last recompute whose snapshots were all written (one row, id 1): a fingerprint of its run
 * and every client's figures (src/repos/analytics.ts writeSegments). A recompute that comes to
 * the same fingerprint, with no segment to change, has nothing to write and reads no snapshot.
 */
export const segmentRuns = sqliteTable('segment_runs', {
  id: integer('id').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  /** The run that wrote snapshots last (a random id per run). */
  writer: text('writer').notNull(),
  writtenAt: integer('written_at').notNull(),
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

/**
 * Running totals of the ABC figures (src/repos/abc-totals.ts): the period they cover, one row
 * (id 1), none until the first recompute. `period_to` is also the day lateness runs to for what
 * is still owed. `ready` is 0 while a rebuild fills the totals client range by client range:
 * until then the recompute aggregates the invoices themselves.
 */
export const abcWindow = sqliteTable('abc_window', {
  id: integer('id').primaryKey(),
  periodFrom: text('period_from').notNull(),
  periodTo: text('period_to').notNull(),
  ready: integer('ready').notNull(),
});

/**
 * Per client and currency, the sums over the invoices issued in abc_window's period, kept by
 * triggers on invoices in the same transaction as every insert, update and delete: what
 * src/repos/analytics.ts INVOICE_AGGREGATES_SQL computes from the invoices, in parts that add up.
 * Lateness is in minor units × days; days are counted from 1970-01-01.
 */
export const abcTotals = sqliteTable(
  'abc_totals',
  {
    clientId: integer('client_id').notNull(),
    currency: text('currency').notNull(),
    revenueMinor: integer('revenue_minor').notNull(),
    marginMinor: integer('margin_minor').notNull(),
    /** Σ amount × days late of the invoices paid in full after their due date (amounts above 0). */
    latePaid: integer('late_paid').notNull(),
    /** Σ amount of the invoices above 0. */
    lateWeight: integer('late_weight').notNull(),
    invoices: integer('invoices').notNull(),
    /** Distinct product lines (abc_lines rows of this client and currency). */
    lineCount: integer('line_count').notNull(),
    /** Σ amount and Σ amount × due day of the invoices above 0 still owed and due before period_to. */
    overdueMinor: integer('overdue_minor').notNull(),
    overdueDue: integer('overdue_due').notNull(),
  },
  (t) => [uniqueIndex('abc_totals_uq').on(t.clientId, t.currency)],
);

/** Per client, currency and product line (not blank), how many of the period's invoices name it. */
export const abcLines = sqliteTable(
  'abc_lines',
  {
    clientId: integer('client_id').notNull(),
    currency: text('currency').notNull(),
    productLine: text('product_line').notNull(),
    invoices: integer('invoices').notNull(),
  },
  (t) => [uniqueIndex('abc_lines_uq').on(t.clientId, t.currency, t.productLine)],
);
