/**
 * Queries for the import and export of books (SPEC §6): the records a file names, loaded by key
 * in pages; whole tables read in id order for an export; invoices written many to a statement.
 * Both dialects: plain drizzle builders, `inArray` on at most a page of keys at a time.
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { auditEvents, clients, invoices, payments } from '../../db/schema/index.ts';
import type { AuditInput } from './audit.ts';
import type { ClientRow } from './clients.ts';
import { INVOICE_COLUMNS, type InvoiceRow, type PaymentRow } from './invoices.ts';
import { prepared } from './prepared.ts';
import { changed, sqliteOf, type Tx } from './store.ts';

/** Keys per `IN (…)`: well under SQLite's bound-variable limit and PostgreSQL's. */
export const KEY_PAGE = 500;

/** Clients whose ЕИК is one of `eiks` or whose name key is one of `nameKeys` (each list at most a page). */
export async function clientsByKeys(tx: Tx, eiks: readonly string[], nameKeys: readonly string[]): Promise<ClientRow[]> {
  const conds = [eiks.length > 0 ? inArray(clients.eik, [...eiks]) : undefined, nameKeys.length > 0 ? inArray(clients.nameKey, [...nameKeys]) : undefined].filter((c) => c !== undefined);
  if (conds.length === 0) return [];
  return tx.select().from(clients).where(or(...conds));
}

export interface InvoiceOfBooks extends InvoiceRow {
  clientName: string;
  clientEik: string | null;
}

function invoiceWithClient(tx: Tx) {
  return tx
    .select({ ...INVOICE_COLUMNS, clientName: clients.name, clientEik: clients.eik })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId));
}

/** Invoices with these numbers (at most a page), with their client's name and ЕИК. */
export async function invoicesByNumbers(tx: Tx, numbers: readonly string[]): Promise<InvoiceOfBooks[]> {
  if (numbers.length === 0) return [];
  return invoiceWithClient(tx).where(inArray(invoices.number, [...numbers]));
}

/** The payments of these invoices (at most a page), oldest first. */
export async function paymentsOfInvoices(tx: Tx, invoiceIds: readonly number[]): Promise<PaymentRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx.select().from(payments).where(inArray(payments.invoiceId, [...invoiceIds])).orderBy(asc(payments.id));
}

/** `/invoice list`'s filters: a client's, open ones (something owed), overdue ones (owed and due before that day). */
export interface InvoiceFilter {
  clientId?: number;
  open?: boolean;
  overdueOn?: string;
}

/** A page of invoices in id order after `afterId`, as a filter picks them. */
export async function invoicesPage(tx: Tx, afterId: number, limit: number, f: InvoiceFilter = {}): Promise<InvoiceOfBooks[]> {
  const conds = [
    gt(invoices.id, afterId),
    f.clientId !== undefined ? eq(invoices.clientId, f.clientId) : undefined,
    f.open || f.overdueOn ? isNull(invoices.paidDate) : undefined,
    f.overdueOn ? lt(invoices.dueDate, f.overdueOn) : undefined,
  ].filter((c) => c !== undefined);
  return invoiceWithClient(tx).where(and(...conds)).orderBy(asc(invoices.id)).limit(limit);
}

export interface PaymentOfBooks extends PaymentRow {
  invoiceNumber: string;
  currency: string;
}

/** A page of payments in id order after `afterId`, with their invoice's number and currency. */
export async function paymentsPage(tx: Tx, afterId: number, limit: number): Promise<PaymentOfBooks[]> {
  return tx
    .select({
      id: payments.id,
      invoiceId: payments.invoiceId,
      amountMinor: payments.amountMinor,
      date: payments.date,
      reference: payments.reference,
      recordedBy: payments.recordedBy,
      recordedAt: payments.recordedAt,
      invoiceNumber: invoices.number,
      currency: invoices.currency,
    })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(gt(payments.id, afterId))
    .orderBy(asc(payments.id))
    .limit(limit);
}

/** The owners of these clients (at most a page), each once. */
export async function ownersOfClients(tx: Tx, clientIds: readonly number[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await tx.selectDistinct({ ownerId: clients.ownerId }).from(clients).where(inArray(clients.id, [...clientIds]));
  return rows.map((r) => r.ownerId);
}

/** Which of these numbers (at most a page) an invoice already has. */
export async function takenInvoiceNumbers(tx: Tx, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const conn = sqliteOf(tx);
  if (conn) {
    // One JSON parameter instead of 500: drizzle's per-parameter work is the cost at an import's scale.
    const stmt = prepared(conn, 'books.takenNumbers', () => conn.prepare<[string], { number: string }>('SELECT number FROM invoices WHERE number IN (SELECT value FROM json_each(?))'));
    return new Set(stmt.all(JSON.stringify(numbers)).map((r) => r.number));
  }
  const rows = await tx.select({ number: invoices.number }).from(invoices).where(inArray(invoices.number, [...numbers]));
  return new Set(rows.map((r) => r.number));
}

// Rows per multi-row INSERT: 14 columns × 200 stays under SQLite's 32,766 bound variables.
const INSERT_PAGE = 200;

type NewInvoiceRow = Omit<typeof invoices.$inferInsert, 'id' | 'paidMinor' | 'paidDate'>;

// SQLite's fast path for an import's bulk: one prepared statement per row, built once per
// connection. Drizzle builds a 200-row INSERT's SQL anew each time, which costs more than SQLite's work.
const INSERT_INVOICE = `INSERT INTO invoices (number, client_id, contract_id, deal_id, amount_minor, currency, margin_minor, product_line, issue_date, due_date, created_by, created_at)
  VALUES (@number, @clientId, @contractId, @dealId, @amountMinor, @currency, @marginMinor, @productLine, @issueDate, @dueDate, @createdBy, @createdAt) RETURNING id`;
const INSERT_AUDIT = `INSERT INTO audit_events (actor, entity, entity_id, client_id, action, before, after, at) VALUES (@actor, @entity, @entityId, @clientId, @action, @before, @after, @at)`;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Insert invoices under their own numbers, many to a statement; returned in the order given. */
export async function insertInvoices(tx: Tx, rows: readonly NewInvoiceRow[]): Promise<InvoiceRow[]> {
  const conn = sqliteOf(tx);
  if (conn) {
    const stmt = prepared(conn, 'books.insertInvoice', () => conn.prepare<Record<string, unknown>, { id: number }>(INSERT_INVOICE));
    return rows.map((r) => {
      const v = { contractId: null, dealId: null, marginMinor: null, productLine: null, ...r };
      return { ...v, id: stmt.get(v)!.id, paidMinor: 0, paidDate: null } as InvoiceRow;
    });
  }
  const out: InvoiceRow[] = [];
  for (let i = 0; i < rows.length; i += INSERT_PAGE) {
    const written = await tx.insert(invoices).values(rows.slice(i, i + INSERT_PAGE)).returning();
    // RETURNING gives no order guarantee on PostgreSQL: put them back in the order given, by number.
    const byNumber = new Map(written.map((r) => [r.number, r]));
    for (const r of rows.slice(i, i + INSERT_PAGE)) out.push(byNumber.get(r.number)!);
  }
  return out;
}

/** Audit entries, many to a statement. */
export async function recordAudits(tx: Tx, entries: readonly AuditInput[]): Promise<void> {
  const conn = sqliteOf(tx);
  if (conn) {
    const stmt = prepared(conn, 'books.insertAudit', () => conn.prepare<Record<string, unknown>>(INSERT_AUDIT));
    for (const e of entries) stmt.run({ ...e, before: json(e.before), after: json(e.after) });
    return;
  }
  for (let i = 0; i < entries.length; i += INSERT_PAGE) await tx.insert(auditEvents).values(entries.slice(i, i + INSERT_PAGE));
}

export type InvoiceFields = Partial<Pick<InvoiceRow, 'amountMinor' | 'currency' | 'issueDate' | 'dueDate' | 'marginMinor' | 'productLine'>>;

/**
 * Change an invoice's fields from the books, guarded as the plan decided them: still that
 * client's, its amount not below what is paid now and, when the currency changes, nothing paid.
 * False when the invoice changed meanwhile so that the guard fails.
 */
export async function updateInvoiceFields(tx: Tx, id: number, clientId: number, set: InvoiceFields): Promise<boolean> {
  const guards = [eq(invoices.id, id), eq(invoices.clientId, clientId)];
  if (set.amountMinor !== undefined) guards.push(sql`${invoices.paidMinor} <= ${set.amountMinor}`);
  if (set.currency !== undefined) guards.push(eq(invoices.paidMinor, 0));
  // A paid invoice whose amount goes up owes again; one whose amount comes down to what is paid is paid.
  const paidDate =
    set.amountMinor === undefined
      ? {}
      : { paidDate: sql`CASE WHEN ${invoices.paidMinor} >= ${set.amountMinor} THEN COALESCE(${invoices.paidDate}, (SELECT max(p.date) FROM payments p WHERE p.invoice_id = "invoices"."id")) ELSE NULL END` };
  return changed(await tx.update(invoices).set({ ...set, ...paidDate }).where(and(...guards))) === 1;
}
