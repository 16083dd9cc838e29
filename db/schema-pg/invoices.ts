import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CLAIM_STATUSES, DUNNING_EVENTS } from '../../src/domain/claims.ts';
import type { DUNNING_ACTIONS, DUNNING_OUTCOMES } from '../../src/domain/dunning.ts';
import { clients } from './clients.ts';
import { id, int8 } from './columns.ts';
import { contracts } from './contracts.ts';
import { deals } from './deals.ts';

/** The PostgreSQL DDL of db/schema/invoices.ts. */
export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    number: text('number').notNull(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    contractId: integer('contract_id').references(() => contracts.id),
    dealId: integer('deal_id').references(() => deals.id),
    amountMinor: int8('amount_minor').notNull(),
    currency: text('currency').notNull(),
    marginMinor: int8('margin_minor'),
    productLine: text('product_line'),
    issueDate: text('issue_date').notNull(),
    dueDate: text('due_date').notNull(),
    paidMinor: int8('paid_minor').notNull().default(0),
    paidDate: text('paid_date'),
    createdBy: text('created_by').notNull(),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    index('invoices_client_idx').on(t.clientId),
    index('invoices_open_due_idx').on(t.paidDate, t.dueDate),
    index('invoices_contract_idx').on(t.contractId),
    index('invoices_client_open_idx').on(t.clientId, t.paidDate, t.dueDate),
    // The invoices issued on a few days: the running ABC totals' window moving (src/repos/abc-totals.ts).
    index('invoices_issue_idx').on(t.issueDate),
    index('invoices_abc_idx').on(t.clientId, t.currency, t.issueDate, t.amountMinor, t.marginMinor, t.dueDate, t.paidDate, t.productLine),
    // The funnel (src/repos/funnel.ts): what is invoiced against a deal (few invoices have one).
    // No index for its unpaid invoices by due date (see db/schema/invoices.ts).
    index('invoices_deal_idx').on(t.dealId).where(sql`deal_id IS NOT NULL`),
    // Each client's first sale (an invoice above 0) on or after a day, found by one seek: the funnel's
    // retention per segment (src/repos/funnel.ts salesPresence).
    index('invoices_sales_idx').on(t.clientId, t.issueDate, t.amountMinor).where(sql`amount_minor > 0`),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amountMinor: int8('amount_minor').notNull(),
    date: text('date').notNull(),
    reference: text('reference'),
    /**
     * What the payer paid, when it is not the invoice's currency: a payment in EUR on a BGN invoice
     * after the changeover (SPEC §5). `amountMinor` is then its exact BGN figure (euro.ts
     * paymentAfterChangeover), so the invoice's paid total stays in its own currency.
     */
    receivedMinor: int8('received_minor'),
    receivedCurrency: text('received_currency'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: int8('recorded_at').notNull(),
  },
  (t) => [index('payments_invoice_idx').on(t.invoiceId)],
);

export const dunningEvents = pgTable(
  'dunning_events',
  {
    id: id(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    event: text('event').$type<(typeof DUNNING_EVENTS)[number]>().notNull(),
    rung: int8('rung'),
    action: text('action').$type<(typeof DUNNING_ACTIONS)[number]>(),
    outcome: text('outcome').$type<(typeof DUNNING_OUTCOMES)[number]>(),
    promiseDate: text('promise_date'),
    userId: text('user_id').notNull(),
    note: text('note'),
    day: text('day').notNull(),
    at: int8('at').notNull(),
  },
  (t) => [
    index('dunning_events_invoice_idx').on(t.invoiceId),
    uniqueIndex('dunning_sent_uq').on(t.invoiceId, t.event, t.rung, t.day),
    // A person's rungs still to act on (App Home, repos/home.ts dunningTodoOf).
    index('dunning_events_user_idx').on(t.userId, t.event),
  ],
);

export const claims = pgTable(
  'claims',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    status: text('status').$type<(typeof CLAIM_STATUSES)[number]>().notNull(),
    offeredAt: int8('offered_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: int8('decided_at'),
    outcome: text('outcome'),
  },
  (t) => [index('claims_client_idx').on(t.clientId)],
);

export const claimInvoices = pgTable(
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
