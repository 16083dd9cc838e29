/**
 * Import and export of a company's books (SPEC §6), the pure part: bytes in, typed rows and
 * row failures out; a plan against what the database holds; records out as CSV bytes. No
 * database, no Slack, no clock (today comes in as an option). Problems are codes; their words
 * are in src/slack/ui/import.ts.
 *
 *   const read = readBooks(bytes, { today, changeover, kind });   // refusal, or the file
 *   const plan = planRows(read.file, known);                        // known: loaded by needed(read.file)
 *   …write plan.steps… ; summary: plan.counts
 */
import type { Changeover } from '../domain/euro.ts';
import { decodeBytes, sniffDelimiter, type DecodeRefusal } from './decode.ts';
import { matchHeader, type HeaderRefusal, type Kind } from './kinds.ts';
import { parseTable, type CsvRefusal } from './parse.ts';
import { validateTable, type BooksFile } from './validate.ts';

export type FileRefusal = DecodeRefusal | CsvRefusal | HeaderRefusal;

export interface ReadOptions {
  /** From `--kind`; otherwise the header decides. */
  kind?: Kind;
  /** The workspace's today, `YYYY-MM-DD`. */
  today: string;
  changeover?: Changeover;
}

export type ReadResult = { ok: true; file: BooksFile } | { ok: false; refusal: FileRefusal };

/** A file as bytes → its kind, its valid rows as records and its failed rows with their problems; or why it is no such file. */
export function readBooks(bytes: Uint8Array, opts: ReadOptions): ReadResult {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return decoded;
  const delimiter = sniffDelimiter(decoded.text);
  const parsed = parseTable(decoded.text, delimiter);
  if (!parsed.ok) return parsed;
  const { table } = parsed;
  const header = matchHeader(table.header, opts.kind);
  if (!header.ok) return header;
  const v = validateTable(table, header.match, opts);
  return { ok: true, file: { ...v, encoding: decoded.encoding, delimiter, header: table.header, ignored: header.match.ignored } as BooksFile };
}

export { decodeBytes, sniffDelimiter, fitsWindows1251, type Delimiter, type Encoding, type DecodeRefusal } from './decode.ts';
export { parseTable, unneutralise, type CsvRefusal, type Table } from './parse.ts';
export { CLIENT_SIZES, COLUMNS, KINDS, headerKey, matchHeader, requiredOf, type ClientRecord, type ClientSize, type Column, type HeaderMatch, type HeaderRefusal, type InvoiceRecord, type Kind, type PaymentRecord, type RecordOf } from './kinds.ts';
export { canonicalAmount, keysOf, normaliseLine, paymentKey, readInvoiceNumber, readOwner, validateTable, type BooksFile, type Row, type RowFailure, type RowProblem, type ValidateOptions, type Validated } from './validate.ts';
export { needed, planClients, planInvoices, planPayments, planRows, type ClientStep, type Counts, type ImportProblem, type InvoiceStep, type Known, type KnownClient, type KnownInvoice, type KnownPayment, type PaymentStep, type Plan, type PlanProblem, type StepOf } from './plan.ts';
export { BULGARIAN_BOOKS, clientRecordOf, failedRowsCsv, invoiceRecordOf, neutralise, paymentRecordOf, toCsv, type CsvFile, type CsvOptions } from './export.ts';
