/** CSV text to cells (SPEC §6: quoted as CSV quotes, multi-line fields, CRLF), row numbers as a spreadsheet shows them. */
import { CsvError, parse } from 'csv-parse/sync';
import type { Delimiter } from './decode.ts';

export type CsvRefusal = { kind: 'malformed-csv'; line: number; problem: 'quote-not-closed' | 'bad-quote' | 'other' };

export interface Table {
  /** Row number (1-based, as a spreadsheet numbers the records) of the header. */
  headerRow: number;
  header: string[];
  /** Every non-blank record after the header, with its row number. */
  rows: { row: number; cells: string[] }[];
}

/**
 * A leading `'` protects a cell that begins with a formula character from spreadsheets
 * (export.ts neutralise); an import takes one off again, so `'-Alpha` reads `-Alpha` and
 * `''=x` reads `'=x`. Only before a formula character (after any further `'`): a name like
 * `'t Hooft` keeps its apostrophe.
 */
export function unneutralise(cell: string): string {
  return /^'+[=+\-@\t\r]/u.test(cell) ? cell.slice(1) : cell;
}

/** A cell as read: trimmed, a leading `'` before a formula character taken off (the regular expression only when a cell begins with `'`). */
function clean(cell: string): string {
  const t = cell.trim();
  return t.charCodeAt(0) === 0x27 ? unneutralise(t) : t;
}

/** Cleans a record's cells in place; true when every one is empty. */
function cleanRecord(r: string[]): boolean {
  let blank = true;
  for (let i = 0; i < r.length; i++) {
    const c = clean(r[i]!);
    r[i] = c;
    if (c !== '') blank = false;
  }
  return blank;
}

/**
 * Rows as a spreadsheet numbers them: one per CSV record (a quoted cell with line breaks is
 * still one row), the header being row 1; blank records count as the rows they are in a
 * spreadsheet and are skipped.
 */
export function parseTable(text: string, delimiter: Delimiter): { ok: true; table: Table } | { ok: false; refusal: CsvRefusal } {
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, trim: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines ?? 0;
    const problem = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote-not-closed' : e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' ? 'bad-quote' : 'other';
    return { ok: false, refusal: { kind: 'malformed-csv', line, problem } };
  }
  let h = 0;
  while (h < records.length && cleanRecord(records[h]!)) h++;
  const header = records[h] ?? [];
  const rows: Table['rows'] = [];
  for (let i = h + 1; i < records.length; i++) {
    const r = records[i]!;
    if (!cleanRecord(r)) rows.push({ row: i + 1, cells: r });
  }
  return { ok: true, table: { headerRow: h + 1, header, rows } };
}
