/**
 * Records to a CSV file with the import's columns (SPEC §6: an exported file imports back with
 * nothing changed), and the failed rows of an import returned as a CSV.
 */
import { stringify } from 'csv-stringify/sync';
import { minorToDecimal } from '../domain/money.ts';
import { encodeText, fitsWindows1251, type Delimiter, type Encoding } from './decode.ts';
import { COLUMNS, headerOf, type ClientRecord, type Column, type InvoiceRecord, type Kind, type PaymentRecord, type RecordOf } from './kinds.ts';
import type { KnownClient, KnownInvoice, KnownPayment } from './plan.ts';
import { canonicalAmount, type RowFailure } from './validate.ts';

export interface CsvOptions {
  /** Header names: English (default) or Bulgarian. */
  headers?: 'en' | 'bg';
  delimiter?: Delimiter;
  /** UTF-8 (default, with a BOM so Excel reads it as UTF-8) or Windows-1251. */
  encoding?: 'utf-8' | 'windows-1251';
  bom?: boolean;
  /** Decimal mark of amounts: `.` (default) or `,`. */
  decimal?: '.' | ',';
  /** `YYYY-MM-DD` (default) or `DD.MM.YYYY`. */
  dates?: 'iso' | 'bg';
}

/** How Bulgarian accounting software writes its files. */
export const BULGARIAN_BOOKS: CsvOptions = { headers: 'bg', delimiter: ';', encoding: 'windows-1251', decimal: ',', dates: 'bg' };

/**
 * A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and some a tab or CR) as a
 * formula (OWASP "CSV Injection"); a leading `'` makes it text. So that the import can take
 * that `'` off again without eating one the value had (parse.ts unneutralise), a value that
 * begins with `'`s before such a character gets one more.
 */
export function neutralise(cell: string): string {
  return /^'*[=+\-@\t\r]/u.test(cell) ? `'${cell}` : cell;
}

function decimalOf(plain: string, mark: '.' | ','): string {
  return mark === ',' ? plain.replace('.', ',') : plain;
}

function dateOf(iso: string, style: 'iso' | 'bg'): string {
  return style === 'bg' ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : iso;
}

type Cellify<R> = (r: R, o: Required<Pick<CsvOptions, 'decimal' | 'dates'>>) => Partial<Record<Column, string | undefined>>;

const cellsOf: { [K in Kind]: Cellify<RecordOf[K]> } = {
  clients: (c) => ({ ...c }),
  invoices: (i, o) => ({
    number: i.number,
    client: i.client,
    eik: i.eik,
    amount: decimalOf(minorToDecimal(i.amountMinor, i.currency), o.decimal),
    currency: i.currency,
    issued: dateOf(i.issued, o.dates),
    due: i.due === undefined ? undefined : dateOf(i.due, o.dates),
    margin: i.marginMinor === undefined ? undefined : decimalOf(minorToDecimal(i.marginMinor, i.currency), o.decimal),
    line: i.line,
  }),
  payments: (p, o) => ({
    invoice: p.invoice,
    amount: /^\d+\.\d\d$/u.test(p.amount) ? decimalOf(p.amount, o.decimal) : p.amount,
    date: dateOf(p.date, o.dates),
    reference: p.reference,
  }),
};

export interface CsvFile {
  bytes: Buffer;
  /** Rows (as a spreadsheet numbers them, the header is 1) holding a character Windows-1251 lacks; it was written as `?`. */
  lossy: number[];
}

function write(table: string[][], encoding: Encoding, delimiter: Delimiter, bom: boolean): CsvFile {
  const text = stringify(table.map((r) => r.map(neutralise)), { delimiter, record_delimiter: 'windows' });
  const enc = encoding === 'windows-1251' ? 'windows-1251' : 'utf-8';
  const lossy = enc === 'windows-1251' ? table.flatMap((r, i) => (r.every(fitsWindows1251) ? [] : [i + 1])) : [];
  return { bytes: encodeText(text, enc, bom && enc === 'utf-8'), lossy };
}

/**
 * The file an import of this kind reads back: the same columns, in the same order. `extra`: one
 * more column after them (the ABC export's segment), which an import lists as not read.
 */
export function toCsv<K extends Kind>(kind: K, records: readonly RecordOf[K][], opts: CsvOptions = {}, extra?: { header: string; values: readonly string[] }): CsvFile {
  const o = { headers: opts.headers ?? 'en', delimiter: opts.delimiter ?? ',', encoding: opts.encoding ?? 'utf-8', decimal: opts.decimal ?? '.', dates: opts.dates ?? 'iso' } as const;
  const columns = COLUMNS[kind].map((c) => c.name);
  const toCells = cellsOf[kind] as Cellify<RecordOf[K]>;
  const table = [[...columns.map((c) => headerOf(kind, c, o.headers)), ...(extra ? [extra.header] : [])]];
  records.forEach((r, i) => {
    const cells = toCells(r, o);
    table.push([...columns.map((c) => cells[c] ?? ''), ...(extra ? [extra.values[i] ?? ''] : [])]);
  });
  return write(table, o.encoding, o.delimiter, opts.bom ?? true);
}

/**
 * The rows that failed, to give back to the person who imported (SPEC §6): their row number,
 * their cells as read, and the reason, in the file's own encoding and separator.
 */
export function failedRowsCsv<P>(
  source: { header: string[]; encoding: Encoding; delimiter: Delimiter },
  failures: readonly RowFailure<P>[],
  describe: (problem: P) => string,
  labels: { row: string; problem: string } = { row: 'row', problem: 'problem' },
): CsvFile {
  const table = [[labels.row, ...source.header, labels.problem]];
  for (const f of failures) table.push([String(f.row), ...source.header.map((_, i) => f.cells[i] ?? ''), describe(f.problem)]);
  return write(table, source.encoding, source.delimiter, source.encoding !== 'windows-1251');
}

/** Export records from what the database holds, so what it writes is what planRows compares. */
export function clientRecordOf(c: KnownClient): ClientRecord {
  const r: ClientRecord = { name: c.name, owner: c.owner };
  for (const f of ['eik', 'vat', 'contact', 'industry', 'region'] as const) if (c[f]) r[f] = c[f]!;
  if (c.size) r.size = c.size as ClientRecord['size'];
  return r;
}

export function invoiceRecordOf(i: KnownInvoice, client: { name: string; eik: string | null }): InvoiceRecord {
  return {
    number: i.number,
    client: client.name,
    ...(client.eik ? { eik: client.eik } : {}),
    amountMinor: i.amountMinor,
    currency: i.currency,
    issued: i.issued,
    due: i.due,
    ...(i.marginMinor !== null ? { marginMinor: i.marginMinor } : {}),
    ...(i.line ? { line: i.line } : {}),
  };
}

/**
 * `currency`: the invoice's, which its payments are in, except one made in the currency that
 * replaced it (EUR on a BGN invoice after the changeover): that one is written as paid, in EUR,
 * which is how the import reads a payment of that day.
 */
export function paymentRecordOf(invoiceNumber: string, p: KnownPayment & { receivedCurrency?: string | null }, currency: string): PaymentRecord {
  const amount = p.receivedCurrency && p.receivedMinor != null ? minorToDecimal(p.receivedMinor, p.receivedCurrency) : minorToDecimal(p.amountMinor, currency);
  return { invoice: invoiceNumber, amount: canonicalAmount(amount), date: p.date, ...(p.reference ? { reference: p.reference } : {}) };
}
