/**
 * Export the books (SPEC §6): clients, invoices or payments as a CSV in the import's columns, so
 * an exported file imports back with nothing changed. Read a page at a time in id order, in one
 * consistent read; `/client list`, `/invoice list` and `/abc` keep their filters.
 */
import { BULGARIAN_BOOKS, clientRecordOf, invoiceRecordOf, paymentRecordOf, toCsv, type CsvFile, type Kind, type RecordOf } from '../books/index.ts';
import { invoicesPage, paymentsPage, type InvoiceFilter } from '../repos/books.ts';
import { clientsPage, type ClientListFilter, type ClientRow } from '../repos/clients.ts';
import type { Store, Tx } from '../repos/store.ts';
import { localDate } from '../domain/dates.ts';
import type { ClientRef } from '../domain/names.ts';
import { SEGMENTS } from '../domain/stages.ts';
import { knownClient } from './import.ts';
import { listedClient } from './invoices.ts';
import { ok, type Result } from './refusals.ts';

const PAGE = 1000;

export interface ExportFilter {
  clients?: ClientListFilter;
  invoices?: InvoiceFilter;
}

export interface ExportOptions extends ExportFilter {
  /** Bulgarian accounting software's format (Bulgarian headers, `;`, Windows-1251, DD.MM.YYYY, decimal commas). */
  bg?: boolean;
}

/** Every row of a table a page at a time, in id order. */
async function paged<T extends { id: number }>(tx: Tx, page: (afterId: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let after = 0; ; ) {
    const rows = await page(after);
    out.push(...rows);
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1]!.id;
  }
}

export const clientRecord = (c: ClientRow) => clientRecordOf(knownClient(c));

/** The records an export of `kind` writes. */
export async function exportRecords<K extends Kind>(store: Store, kind: K, f: ExportFilter = {}): Promise<RecordOf[K][]> {
  return store.read(async (tx) => {
    if (kind === 'clients') return (await paged(tx, (after) => clientsPage(tx, f.clients ?? {}, after, PAGE))).map(clientRecord) as RecordOf[K][];
    if (kind === 'invoices') {
      const rows = await paged(tx, (after) => invoicesPage(tx, after, PAGE, f.invoices));
      return rows.map((i) =>
        invoiceRecordOf(
          { id: i.id, number: i.number, clientId: i.clientId, amountMinor: i.amountMinor, currency: i.currency, issued: i.issueDate, due: i.dueDate, marginMinor: i.marginMinor, line: i.productLine, paidMinor: i.paidMinor },
          { name: i.clientName, eik: i.clientEik },
        ),
      ) as RecordOf[K][];
    }
    const rows = await paged(tx, (after) => paymentsPage(tx, after, PAGE));
    return rows.map((p) => paymentRecordOf(p.invoiceNumber, p, p.currency)) as RecordOf[K][];
  });
}

/** The CSV file of an export, with the rows Windows-1251 could not hold (`lossy`) when `bg`. */
export async function exportBooks(store: Store, kind: Kind, opts: ExportOptions = {}): Promise<CsvFile & { rows: number }> {
  const records = await exportRecords(store, kind, opts);
  return { ...toCsv(kind, records, opts.bg ? BULGARIAN_BOOKS : {}), rows: records.length };
}

/**
 * `/invoice list … export`: the invoices the list shows, all of them: overdue ones (of a client,
 * if named), a client's invoices, or every open one.
 */
export async function exportInvoiceList(store: Store, f: { overdue: boolean; client?: ClientRef }, now: number, tz: string): Promise<Result<CsvFile & { rows: number; clientName?: string }>> {
  const c = await listedClient(store, f.client);
  if (!c.ok) return c;
  const { clientId, clientName } = c.value;
  const filter = { ...(clientId !== undefined ? { clientId } : {}), ...(f.overdue ? { overdueOn: localDate(now, tz) } : clientId === undefined ? { open: true } : {}) };
  return ok({ ...(await exportBooks(store, 'invoices', { invoices: filter })), ...(clientName !== undefined ? { clientName } : {}) });
}

/**
 * `/abc export`: every client in the import's columns, segment A first, with its segment as one
 * more column (which an import lists as not read, so the file still imports back unchanged).
 */
export async function exportAbc(store: Store): Promise<CsvFile & { rows: number }> {
  const rows = await store.read((tx) => paged(tx, (after) => clientsPage(tx, {}, after, PAGE)));
  const rank = (c: ClientRow) => (c.segment ? SEGMENTS.indexOf(c.segment) : SEGMENTS.length);
  rows.sort((a, b) => rank(a) - rank(b) || a.nameKey.localeCompare(b.nameKey));
  return { ...toCsv('clients', rows.map(clientRecord), {}, { header: 'segment', values: rows.map((c) => c.segment ?? '') }), rows: rows.length };
}
