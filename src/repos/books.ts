/**
 * Queries for the import and export of books (SPEC §6): the records a file names, loaded by key
 * in pages; whole tables read in id order for an export; invoices written many to a statement.
 * Both dialects: plain drizzle builders, `inArray` on at most a page of keys at a time.
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { auditEvents, clients, invoices, payments } from '../../db/schema/index.ts';
import type { AuditInput } from './audit.ts';
import type { ClientRow } from './clients.ts';
import { INVOICE_COLUMNS, type InvoiceRow, type PaymentRow } from './invoices.ts';
import { prepared } from './prepared.ts';
import { changed, sqliteOf, type Tx } from './store.ts';

/** Keys per `IN (…)` on PostgreSQL: well under its bound-parameter limit. */
const PG_KEY_PAGE = 500;
/** Keys per query on SQLite, where they are one JSON parameter: bounded only to keep a result small. */
const SQLITE_KEY_PAGE = 10_000;

/** How many keys the functions here take at a time on this transaction's database. */
export function keyPageOf(tx: Tx): number {
  return sqliteOf(tx) ? SQLITE_KEY_PAGE : PG_KEY_PAGE;
}

/**
 * `column IN (values)`. On SQLite the values are one JSON parameter read by json_each: drizzle's
 * work per bound parameter, not SQLite's, is the cost of a 500-key `IN` at an import's scale.
 */
function oneOf(tx: Tx, column: AnyColumn, values: readonly (string | number)[]): SQL {
  return sqliteOf(tx) ? sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))` : inArray(column, [...values]);
}

/** Clients whose ЕИК is one of `eiks` or whose name key is one of `nameKeys` (each list at most keyPageOf). */
export async function clientsByKeys(tx: Tx, eiks: readonly string[], nameKeys: readonly string[]): Promise<ClientRow[]> {
  const conds = [eiks.length > 0 ? oneOf(tx, clients.eik, eiks) : undefined, nameKeys.length > 0 ? oneOf(tx, clients.nameKey, nameKeys) : undefined].filter((c) => c !== undefined);
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

/** Invoices with these numbers (at most keyPageOf), with their client's name and ЕИК. */
export async function invoicesByNumbers(tx: Tx, numbers: readonly string[]): Promise<InvoiceOfBooks[]> {
  if (numbers.length === 0) return [];
  return invoiceWithClient(tx).where(oneOf(tx, invoices.number, numbers));
}

/** The payments of these invoices (at most keyPageOf), oldest first. */
export async function paymentsOfInvoices(tx: Tx, invoiceIds: readonly number[]): Promise<PaymentRow[]> {
  if (invoiceIds.length === 0) return [];
  return tx.select().from(payments).where(oneOf(tx, payments.invoiceId, invoiceIds)).orderBy(asc(payments.id));
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
      receivedMinor: payments.receivedMinor,
      receivedCurrency: payments.receivedCurrency,
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

/** The owners of these clients (at most keyPageOf), each once. */
export async function ownersOfClients(tx: Tx, clientIds: readonly number[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await tx.selectDistinct({ ownerId: clients.ownerId }).from(clients).where(oneOf(tx, clients.id, clientIds));
  return rows.map((r) => r.ownerId);
}

/** Which of these numbers (at most keyPageOf) an invoice already has. */
export async function takenInvoiceNumbers(tx: Tx, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const rows = await tx.select({ number: invoices.number }).from(invoices).where(oneOf(tx, invoices.number, numbers));
  return new Set(rows.map((r) => r.number));
}

// Rows per multi-row INSERT on PostgreSQL: 14 columns × 200 stays well under its 65,535 parameters.
const INSERT_PAGE = 200;

type NewInvoiceRow = Omit<typeof invoices.$inferInsert, 'id' | 'paidMinor' | 'paidDate'>;

/**
 * SQLite's fast path for an import's bulk: multi-row INSERTs with positional parameters,
 * prepared once per connection and row count. Against one statement a row, a row costs SQLite
 * less than half the work (one statement's setup for many rows); drizzle would build the SQL of
 * each statement anew, which costs more than SQLite's work. 100 rows × 12 columns stays far under
 * SQLite's 32,766 bound variables.
 */
const SQLITE_ROWS_PER_INSERT = 100;
const INVOICE_INSERT_COLUMNS = ['number', 'client_id', 'contract_id', 'deal_id', 'amount_minor', 'currency', 'margin_minor', 'product_line', 'issue_date', 'due_date', 'created_by', 'created_at'] as const;
const AUDIT_INSERT_COLUMNS = ['actor', 'entity', 'entity_id', 'client_id', 'action', 'before', 'after', 'at'] as const;

function multiInsert(conn: import('better-sqlite3').Database, table: string, columns: readonly string[], rows: number, returning: string) {
  return prepared(conn, `books.insert.${table}.${rows}`, () => {
    const one = `(${columns.map(() => '?').join(', ')})`;
    return conn.prepare<unknown[], { id: number; number: string }>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}${returning}`);
  });
}

/** `rows` a statement at a time: each chunk's parameters flattened in column order. */
function chunked<T>(rows: readonly T[], perRow: (r: T, out: unknown[]) => void, run: (count: number, params: unknown[]) => void): void {
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_INSERT) {
    const end = Math.min(rows.length, i + SQLITE_ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (let j = i; j < end; j++) perRow(rows[j]!, params);
    run(end - i, params);
  }
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Insert invoices under their own numbers, many to a statement; returned in the order given. */
export async function insertInvoices(tx: Tx, rows: readonly NewInvoiceRow[]): Promise<InvoiceRow[]> {
  const conn = sqliteOf(tx);
  const out: InvoiceRow[] = [];
  if (conn) {
    chunked(
      rows,
      (r, p) => p.push(r.number, r.clientId, r.contractId ?? null, r.dealId ?? null, r.amountMinor, r.currency, r.marginMinor ?? null, r.productLine ?? null, r.issueDate, r.dueDate, r.createdBy, r.createdAt),
      (count, params) => {
        // RETURNING promises no order: each row is found again by its number.
        const ids = new Map(multiInsert(conn, 'invoices', INVOICE_INSERT_COLUMNS, count, ' RETURNING id, number').all(...params).map((w) => [w.number, w.id]));
        for (let j = out.length, end = out.length + count; j < end; j++) {
          const r = rows[j]!;
          out.push({ contractId: null, dealId: null, marginMinor: null, productLine: null, ...r, id: ids.get(r.number)!, paidMinor: 0, paidDate: null } as InvoiceRow);
        }
      },
    );
    return out;
  }
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
    chunked(
      entries,
      (e, p) => p.push(e.actor, e.entity, e.entityId, e.clientId ?? null, e.action, json(e.before), json(e.after), e.at),
      (count, params) => void multiInsert(conn, 'audit_events', AUDIT_INSERT_COLUMNS, count, '').run(...params),
    );
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
