import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { claimInvoices, claims, clients, counters, dunningEvents, invoices, payments } from '../../db/schema/index.ts';
import type { ClaimStatus, DunningEvent } from '../domain/claims.ts';
import type { DunningAction, DunningOutcome } from '../domain/dunning.ts';
import { preparedAll } from './prepared.ts';
import { changed, first, type Tx } from './store.ts';

export type InvoiceRow = typeof invoices.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type DunningRow = typeof dunningEvents.$inferSelect;
export type ClaimRow = typeof claims.$inferSelect;

export interface InvoiceWithClient extends InvoiceRow {
  clientName: string;
  ownerId: string;
}


/** An invoice's columns, for selects that add their client's. */
export const INVOICE_COLUMNS = {
  id: invoices.id,
  number: invoices.number,
  clientId: invoices.clientId,
  contractId: invoices.contractId,
  dealId: invoices.dealId,
  amountMinor: invoices.amountMinor,
  currency: invoices.currency,
  marginMinor: invoices.marginMinor,
  productLine: invoices.productLine,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  paidMinor: invoices.paidMinor,
  paidDate: invoices.paidDate,
  createdBy: invoices.createdBy,
  createdAt: invoices.createdAt,
} as const;

function selectWithClient(tx: Tx) {
  return tx
    .select({ ...INVOICE_COLUMNS, clientName: clients.name, ownerId: clients.ownerId })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId));
}

export async function findInvoice(tx: Tx, id: number): Promise<InvoiceWithClient | undefined> {
  return first(selectWithClient(tx).where(eq(invoices.id, id)));
}

/** Insert an invoice under its own number from the books, or else the counter's next free one. */
export async function insertInvoice(tx: Tx, v: Omit<typeof invoices.$inferInsert, 'id' | 'number' | 'paidMinor' | 'paidDate'> & { number?: string }): Promise<InvoiceRow> {
  const number = v.number ?? invoiceNumber(await nextInvoiceNumber(tx));
  const [row] = await tx.insert(invoices).values({ ...v, number }).returning();
  return row!;
}

/** The invoice that has this number, if any. */
export async function invoiceIdByNumber(tx: Tx, number: string): Promise<number | undefined> {
  return (await first(tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.number, number))))?.id;
}

/**
 * The next value of the invoice counter: one UPDATE … RETURNING, so no two writers draw the same.
 * A number already taken (an invoice recorded with its own number, a restored row) is skipped,
 * so one collision never blocks invoicing.
 */
async function nextInvoiceNumber(tx: Tx): Promise<number> {
  for (;;) {
    const [row] = await tx
      .update(counters)
      .set({ value: sql`${counters.value} + 1` })
      .where(eq(counters.name, 'invoice'))
      .returning({ value: counters.value });
    // Migration 0009 creates the row; without it the database was not migrated.
    if (!row) throw new Error('the invoice counter is missing: the database is not fully migrated');
    if ((await invoiceIdByNumber(tx, invoiceNumber(row.value))) === undefined) return row.value;
  }
}

function invoiceNumber(n: number): string {
  return `INV-${String(n).padStart(6, '0')}`;
}

/** Add a payment and keep the invoice's paid total, guarded so it never exceeds the amount. */
export async function insertPayment(tx: Tx, p: typeof payments.$inferInsert, paidInFullOn: string | null): Promise<boolean> {
  const r = await tx
    .update(invoices)
    .set({ paidMinor: sql`${invoices.paidMinor} + ${p.amountMinor}`, paidDate: paidInFullOn })
    .where(and(eq(invoices.id, p.invoiceId), sql`${invoices.paidMinor} + ${p.amountMinor} <= ${invoices.amountMinor}`));
  if (changed(r) !== 1) return false;
  await tx.insert(payments).values(p);
  return true;
}

export async function paymentsOf(tx: Tx, invoiceId: number): Promise<PaymentRow[]> {
  return tx.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.id));
}

/** Invoices with something owed whose due date is before `today`. */
export async function overdueInvoices(tx: Tx, today: string, clientId?: number): Promise<InvoiceWithClient[]> {
  return selectWithClient(tx)
    .where(and(isNull(invoices.paidDate), lt(invoices.dueDate, today), clientId === undefined ? undefined : eq(invoices.clientId, clientId)))
    .orderBy(asc(invoices.dueDate), asc(invoices.id));
}

/** Ids of the invoices with something owed whose due date is before `today`, in id order. */
export async function overdueInvoiceIds(tx: Tx, today: string): Promise<number[]> {
  const rows = await tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(isNull(invoices.paidDate), lt(invoices.dueDate, today)))
    .orderBy(asc(invoices.id));
  return rows.map((r) => r.id);
}

/** Those of `ids` still overdue (a page of a long run: one paid meanwhile drops out), in id order. */
export async function overdueInvoicesAmong(tx: Tx, today: string, ids: number[]): Promise<InvoiceWithClient[]> {
  return selectWithClient(tx)
    .where(and(inArray(invoices.id, ids), isNull(invoices.paidDate), lt(invoices.dueDate, today)))
    .orderBy(asc(invoices.id));
}

export async function openInvoices(tx: Tx, clientId: number | undefined, limit: number): Promise<InvoiceWithClient[]> {
  if (clientId !== undefined) {
    const build = () =>
      selectWithClient(tx)
        .where(and(isNull(invoices.paidDate), eq(invoices.clientId, sql.placeholder('clientId'))))
        .orderBy(asc(invoices.dueDate), asc(invoices.id))
        .limit(sql.placeholder('limit'))
        .prepare();
    return preparedAll(tx, 'openInvoicesOfClient', build, { clientId, limit });
  }
  return selectWithClient(tx).where(isNull(invoices.paidDate)).orderBy(asc(invoices.dueDate), asc(invoices.id)).limit(limit);
}

export async function recentInvoices(tx: Tx, clientId: number | undefined, limit: number): Promise<InvoiceWithClient[]> {
  return selectWithClient(tx)
    .where(clientId === undefined ? undefined : eq(invoices.clientId, clientId))
    .orderBy(desc(invoices.id))
    .limit(limit);
}

export async function invoicesOfContract(tx: Tx, contractId: number): Promise<InvoiceRow[]> {
  return tx.select().from(invoices).where(eq(invoices.contractId, contractId)).orderBy(asc(invoices.id));
}

export async function dunningLog(tx: Tx, invoiceIds: number[]): Promise<DunningRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx.select().from(dunningEvents).where(inArray(dunningEvents.invoiceId, invoiceIds)).orderBy(asc(dunningEvents.at), asc(dunningEvents.id));
}

export interface NewDunningEvent {
  invoiceId: number;
  event: DunningEvent;
  rung?: number | null;
  action?: DunningAction | null;
  outcome?: DunningOutcome | null;
  promiseDate?: string | null;
  userId: string;
  note?: string | null;
  day: string;
  at: number;
}

/** Record a ladder event; a `sent` rung is recorded at most once per day (unique index), so a retried run adds nothing. */
export async function addDunningEvent(tx: Tx, e: NewDunningEvent): Promise<boolean> {
  return changed(await tx.insert(dunningEvents).values(e).onConflictDoNothing()) === 1;
}

export async function insertClaim(tx: Tx, clientId: number, invoiceIds: number[], at: number): Promise<ClaimRow> {
  const [claim] = await tx.insert(claims).values({ clientId, status: 'offered', offeredAt: at }).returning();
  await tx.insert(claimInvoices).values(invoiceIds.map((invoiceId) => ({ claimId: claim!.id, invoiceId })));
  return claim!;
}

export async function findClaim(tx: Tx, id: number): Promise<{ claim: ClaimRow; invoiceIds: number[] } | undefined> {
  const claim = await first(tx.select().from(claims).where(eq(claims.id, id)));
  if (!claim) return undefined;
  const ids = await tx.select({ id: claimInvoices.invoiceId }).from(claimInvoices).where(eq(claimInvoices.claimId, id)).orderBy(asc(claimInvoices.invoiceId));
  return { claim, invoiceIds: ids.map((r) => r.id) };
}

/** Decide an offered claim, guarded: only the first decision counts. */
export async function decideClaim(tx: Tx, id: number, status: Exclude<ClaimStatus, 'offered'>, by: string, at: number, outcome: string | null): Promise<boolean> {
  return changed(await tx.update(claims).set({ status, decidedBy: by, decidedAt: at, outcome }).where(and(eq(claims.id, id), eq(claims.status, 'offered')))) === 1;
}

/** Claims that include an invoice, newest first. */
export async function claimsOfInvoice(tx: Tx, invoiceId: number): Promise<ClaimRow[]> {
  const build = () =>
    tx
      .select({ claim: claims })
      .from(claims)
      .innerJoin(claimInvoices, eq(claimInvoices.claimId, claims.id))
      .where(eq(claimInvoices.invoiceId, sql.placeholder('invoiceId')))
      .orderBy(desc(claims.id))
      .prepare();
  return (await preparedAll(tx, 'claimsOfInvoice', build, { invoiceId })).map((r) => r.claim);
}
