import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { STAGES } from '../../src/domain/stages.ts';
import { clients } from './clients.ts';

export const deals = sqliteTable(
  'deals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    title: text('title').notNull(),
    stage: text('stage', { enum: STAGES }).notNull(),
    /** Expected value in integer minor units of `currency` (never a float). */
    valueMinor: integer('value_minor'),
    currency: text('currency'),
    expectedClose: text('expected_close'),
    ownerId: text('owner_id').notNull(),
    lostReason: text('lost_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('deals_client_idx').on(t.clientId),
    index('deals_stage_idx').on(t.stage),
    // The funnel's closed deals per stage, owner and currency, in that order (src/repos/funnel.ts).
    index('deals_funnel_idx').on(t.stage, t.ownerId, t.currency, t.createdAt, t.valueMinor),
    // One deal in the sales stages per client (SPEC §2): two people opening or drafting for the
    // same client at once make one deal, not two. A deal past contract (delivery, payment) may run
    // beside a new engagement, so those stages are outside the index.
    uniqueIndex('deals_one_sales_deal_uq')
      .on(t.clientId)
      .where(sql`stage IN ('lead', 'qualified', 'proposal', 'contract')`),
  ],
);

/** Every stage change of a deal with its time and actor (SPEC §2). */
export const dealStageChanges = sqliteTable(
  'deal_stage_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dealId: integer('deal_id')
      .notNull()
      .references(() => deals.id),
    fromStage: text('from_stage', { enum: STAGES }),
    toStage: text('to_stage', { enum: STAGES }).notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    at: integer('at').notNull(),
  },
  // A deal's history in time order (the funnel's window edges: src/repos/analytics.ts dealsWithHistory).
  // The changes of a period, whichever deal, read from the index alone (the funnel's window: src/repos/funnel.ts).
  (t) => [index('deal_stage_changes_deal_at_idx').on(t.dealId, t.at), index('deal_stage_changes_at_idx').on(t.at, t.dealId, t.fromStage, t.toStage)],
);

/**
 * Each deal's latest stage change (the latest `at`; of two at one moment, the later row), kept by
 * triggers on deal_stage_changes (src/repos/funnel-triggers.ts): the funnel tells the deals closed
 * before its period from the rest without looking up every deal's history (src/repos/funnel.ts).
 */
export const dealLastChanges = sqliteTable('deal_last_changes', {
  dealId: integer('deal_id').primaryKey(),
  changeId: integer('change_id').notNull(),
  fromStage: text('from_stage', { enum: STAGES }),
  toStage: text('to_stage', { enum: STAGES }).notNull(),
  at: integer('at').notNull(),
});
