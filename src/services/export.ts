/**
 * Export the books (SPEC §6): clients, invoices or payments as a CSV in the import's columns, so
 * an exported file imports back with nothing changed. Read a page at a time in id order, in one
 * consistent read; `/client list`, `/invoice list` and `/abc` keep their filters.
 */
import { BULGARIAN_BOOKS, clientRecordOf, invoiceRecordOf, paymentRecordOf, toCsv, type CsvFile, type Kind, type RecordOf } from '../books/index.ts';
import { invoicesPage, paymentsPage, type InvoiceFilter } from '../repos/books.ts';
import { clientsPage, type ClientListFilter, type ClientRow } from '../repos/clients.ts';
import type { Store, Tx } from '../repos/store.ts';

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

export const clientRecord = (c: ClientRow) => clientRecordOf({ id: c.id, name: c.name, eik: c.eik, vat: c.vat, owner: c.ownerId, contact: c.contact });

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
