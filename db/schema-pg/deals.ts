import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { STAGES } from '../../src/domain/stages.ts';
import { clients } from './clients.ts';
import { id, int8 } from './columns.ts';

type Stage = (typeof STAGES)[number];

/** The PostgreSQL DDL of db/schema/deals.ts. */
export const deals = pgTable(
  'deals',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    title: text('title').notNull(),
    stage: text('stage').$type<Stage>().notNull(),
    valueMinor: int8('value_minor'),
    currency: text('currency'),
    expectedClose: text('expected_close'),
    ownerId: text('owner_id').notNull(),
    lostReason: text('lost_reason'),
    createdAt: int8('created_at').notNull(),
    updatedAt: int8('updated_at').notNull(),
  },
  (t) => [
    index('deals_client_idx').on(t.clientId),
    index('deals_stage_idx').on(t.stage),
    // The funnel's closed deals per stage, owner and currency, in that order (src/repos/funnel.ts).
    index('deals_funnel_idx').on(t.stage, t.ownerId, t.currency, t.createdAt, t.valueMinor),
    uniqueIndex('deals_one_sales_deal_uq')
      .on(t.clientId)
      .where(sql`stage IN ('lead', 'qualified', 'proposal', 'contract')`),
  ],
);

export const dealStageChanges = pgTable(
  'deal_stage_changes',
  {
    id: id(),
    dealId: integer('deal_id')
      .notNull()
      .references(() => deals.id),
    fromStage: text('from_stage').$type<Stage>(),
    toStage: text('to_stage').$type<Stage>().notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    at: int8('at').notNull(),
  },
  // The changes of a period, whichever deal, read from the index alone (the funnel's window: src/repos/funnel.ts).
  (t) => [index('deal_stage_changes_deal_at_idx').on(t.dealId, t.at), index('deal_stage_changes_at_idx').on(t.at, t.dealId, t.fromStage, t.toStage)],
);

export const dealLastChanges = pgTable('deal_last_changes', {
  dealId: integer('deal_id').primaryKey(),
  changeId: integer('change_id').notNull(),
  fromStage: text('from_stage').$type<Stage>(),
  toStage: text('to_stage').$type<Stage>().notNull(),
  at: int8('at').notNull(),
});
