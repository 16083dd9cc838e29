import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CONTRACT_KINDS, CONTRACT_STATUSES, DECISIONS, FUNCTIONS } from '../../src/domain/contracts.ts';
import { clients } from './clients.ts';
import { id, int8 } from './columns.ts';
import { deals } from './deals.ts';

/** The PostgreSQL DDL of db/schema/contracts.ts. */
export const contracts = pgTable(
  'contracts',
  {
    id: id(),
    dealId: integer('deal_id')
      .notNull()
      .references(() => deals.id),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    version: int8('version').notNull(),
    status: text('status').$type<(typeof CONTRACT_STATUSES)[number]>().notNull(),
    submittedBy: text('submitted_by').notNull(),
    createdAt: int8('created_at').notNull(),
    updatedAt: int8('updated_at').notNull(),
    signedBy: text('signed_by'),
    signedAt: int8('signed_at'),
  },
  (t) => [
    index('contracts_deal_idx').on(t.dealId),
    index('contracts_client_idx').on(t.clientId),
    index('contracts_status_idx').on(t.status),
    uniqueIndex('contracts_one_active_per_deal_uq')
      .on(t.dealId)
      .where(sql`status <> 'rejected'`),
  ],
);

export const contractVersions = pgTable(
  'contract_versions',
  {
    id: id(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    version: int8('version').notNull(),
    subject: text('subject').notNull(),
    amountMinor: int8('amount_minor').notNull(),
    currency: text('currency').notNull(),
    netDays: int8('net_days').notNull(),
    discountBp: int8('discount_bp').notNull(),
    kind: text('kind').$type<(typeof CONTRACT_KINDS)[number]>().notNull(),
    settlement: text('settlement'),
    delivery: text('delivery'),
    afterSales: text('after_sales'),
    special: text('special'),
    /** JSON as text, '[]' by default as in SQLite. */
    exceptions: text('exceptions').notNull().default('[]'),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: int8('submitted_at').notNull(),
  },
  (t) => [uniqueIndex('contract_versions_uq').on(t.contractId, t.version)],
);

export const approvals = pgTable(
  'approvals',
  {
    id: id(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    version: int8('version').notNull(),
    fn: text('function').$type<(typeof FUNCTIONS)[number]>().notNull(),
    decision: text('decision').$type<(typeof DECISIONS)[number]>(),
    decidedBy: text('decided_by'),
    decidedAt: int8('decided_at'),
    comment: text('comment'),
    /** JSON as text. */
    confirmed: text('confirmed'),
    requestedAt: int8('requested_at').notNull(),
    dueAt: int8('due_at').notNull(),
    remindedAt: int8('reminded_at'),
  },
  (t) => [uniqueIndex('approvals_uq').on(t.contractId, t.version, t.fn), index('approvals_pending_idx').on(t.decision, t.dueAt)],
);
