import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { DUNNING_ACTIONS, DUNNING_OUTCOMES } from '../../src/domain/dunning.ts';
import { CLAIM_STATUSES, DUNNING_EVENTS } from '../../src/domain/claims.ts';
import { clients } from './clients.ts';
import { contracts } from './contracts.ts';
import { deals } from './deals.ts';

export const invoices = sqliteTable(
  'invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    contractId: integer('contract_id').references(() => contracts.id),
    dealId: integer('deal_id').references(() => deals.id),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    marginMinor: integer('margin_minor'),
    productLine: text('product_line'),
    issueDate: text('issue_date').notNull(),
    dueDate: text('due_date').notNull(),
    /** Sum of payments, kept in the payment's transaction so status needs no aggregate. */
    paidMinor: integer('paid_minor').notNull().default(0),
    paidDate: text('paid_date'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    index('invoices_client_idx').on(t.clientId),
    index('invoices_open_due_idx').on(t.paidDate, t.dueDate),
    index('invoices_contract_idx').on(t.contractId),
    // A client's open invoices (the card, the credit limit) without scanning every unpaid one.
    index('invoices_client_open_idx').on(t.clientId, t.paidDate, t.dueDate),
    // The ABC recompute (src/repos/analytics.ts invoiceAggregates): every column it reads, led by
    // its GROUP BY (client_id, currency), so SQLite walks this index in group order, reading
    // neither the table nor a sorter. Keep the order: the leading pair must match the GROUP BY.
    // The invoices issued on a few days: the running ABC totals' window moving (src/repos/abc-totals.ts).
    index('invoices_issue_idx').on(t.issueDate),
    index('invoices_abc_idx').on(t.clientId, t.currency, t.issueDate, t.amountMinor, t.marginMinor, t.dueDate, t.paidDate, t.productLine),
    // The funnel (src/repos/funnel.ts): what is invoiced against a deal (few invoices have one).
    // No index for its unpaid invoices by due date: one on (currency, due_date, …) where unpaid took an
    // import of 100,000 invoices from 2.8 s to 5.2 s of writing (each commit dirties pages all over it),
    // and saved the funnel ~0.15 s of a table scan.
    index('invoices_deal_idx').on(t.dealId).where(sql`deal_id IS NOT NULL`),
    // Each client's first sale (an invoice above 0) on or after a day, found by one seek: the funnel's
    // retention per segment (src/repos/funnel.ts salesPresence).
    index('invoices_sales_idx').on(t.clientId, t.issueDate, t.amountMinor).where(sql`amount_minor > 0`),
  ],
);

/** Proof of payment: amount, date and the bank reference, never edited. */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amountMinor: integer('amount_minor').notNull(),
    date: text('date').notNull(),
    reference: text('reference'),
    /**
     * What the payer paid, when it is not the invoice's currency: a payment in EUR on a BGN invoice
     * after the changeover (SPEC §5). `amountMinor` is then its exact BGN figure (euro.ts
     * paymentAfterChangeover), so the invoice's paid total stays in its own currency.
     */
    receivedMinor: integer('received_minor'),
    receivedCurrency: text('received_currency'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [index('payments_invoice_idx').on(t.invoiceId)],
);

/** The dunning log: every rung sent, every outcome logged, every promise, per invoice. */
export const dunningEvents = sqliteTable(
  'dunning_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    event: text('event', { enum: DUNNING_EVENTS }).notNull(),
    /** Index of the rung in the policy ladder, for `sent` and `logged`. */
    rung: integer('rung'),
    action: text('action', { enum: DUNNING_ACTIONS }),
    outcome: text('outcome', { enum: DUNNING_OUTCOMES }),
    promiseDate: text('promise_date'),
    /** Who was asked (for `sent`) or who acted. */
    userId: text('user_id').notNull(),
    note: text('note'),
    day: text('day').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    index('dunning_events_invoice_idx').on(t.invoiceId),
    uniqueIndex('dunning_sent_uq').on(t.invoiceId, t.event, t.rung, t.day),
    // A person's rungs still to act on (App Home, repos/home.ts dunningTodoOf).
    index('dunning_events_user_idx').on(t.userId, t.event),
  ],
);

export const claims = sqliteTable(
  'claims',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    status: text('status', { enum: CLAIM_STATUSES }).notNull(),
    offeredAt: integer('offered_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    outcome: text('outcome'),
  },
  (t) => [index('claims_client_idx').on(t.clientId)],
);

export const claimInvoices = sqliteTable(
  'claim_invoices',
  {
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
  },
  (t) => [uniqueIndex('claim_invoices_uq').on(t.claimId, t.invoiceId), index('claim_invoices_invoice_idx').on(t.invoiceId)],
);
