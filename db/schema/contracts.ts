import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CONTRACT_KINDS, CONTRACT_STATUSES, DECISIONS, FUNCTIONS } from '../../src/domain/contracts.ts';
import type { LoyaltyException } from '../../src/domain/loyalty.ts';
import { clients } from './clients.ts';
import { deals } from './deals.ts';

/** A contract of a deal; `version` is its current version, whose approvals decide its status. */
export const contracts = sqliteTable(
  'contracts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dealId: integer('deal_id')
      .notNull()
      .references(() => deals.id),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    version: integer('version').notNull(),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull(),
    submittedBy: text('submitted_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    signedBy: text('signed_by'),
    signedAt: integer('signed_at'),
  },
  (t) => [
    index('contracts_deal_idx').on(t.dealId),
    index('contracts_client_idx').on(t.clientId),
    index('contracts_status_idx').on(t.status),
    // A deal has one contract in play; only a rejected one makes room for the next (SPEC §3).
    uniqueIndex('contracts_one_active_per_deal_uq')
      .on(t.dealId)
      .where(sql`status <> 'rejected'`),
  ],
);

/** The terms of each version, kept forever: a decision is always about one version. */
export const contractVersions = sqliteTable(
  'contract_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    version: integer('version').notNull(),
    subject: text('subject').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    netDays: integer('net_days').notNull(),
    discountBp: integer('discount_bp').notNull(),
    kind: text('kind', { enum: CONTRACT_KINDS }).notNull(),
    settlement: text('settlement'),
    delivery: text('delivery'),
    afterSales: text('after_sales'),
    special: text('special'),
    /** Where this version goes beyond the client's loyalty policy; finance confirms each (SPEC §3). */
    exceptions: text('exceptions', { mode: 'json' }).$type<LoyaltyException[]>().notNull().default([]),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [uniqueIndex('contract_versions_uq').on(t.contractId, t.version)],
);

/** One per contract version and function; `decision` is null until someone decides. */
export const approvals = sqliteTable(
  'approvals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    version: integer('version').notNull(),
    fn: text('function', { enum: FUNCTIONS }).notNull(),
    decision: text('decision', { enum: DECISIONS }),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    comment: text('comment'),
    /** The loyalty exceptions finance confirmed with its approval. */
    confirmed: text('confirmed', { mode: 'json' }).$type<string[]>(),
    requestedAt: integer('requested_at').notNull(),
    dueAt: integer('due_at').notNull(),
    remindedAt: integer('reminded_at'),
  },
  (t) => [uniqueIndex('approvals_uq').on(t.contractId, t.version, t.fn), index('approvals_pending_idx').on(t.decision, t.dueAt)],
);
