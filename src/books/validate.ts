/**
 * Each row read into a typed record and checked as the commands check what people type
 * (SPEC §3, §5): names, ЕИК and VAT checksums, amounts, dates, currencies, the euro rule,
 * 10-digit invoice numbers. A row fails with one problem, a code; slack/ui/import.ts words it.
 * What needs the database (known client, known invoice) is planRows's (plan.ts).
 */
import { readDate } from '../domain/dates.ts';
import { validateEik, validateVat, type IdentityRefusal } from '../domain/eik.ts';
import { checkNewDocumentCurrency, DEFAULT_CHANGEOVER, type Changeover, type DocumentCurrencyRefusal } from '../domain/euro.ts';
import { isCurrency, minorToDecimal, parseAmount, type AmountRefusal } from '../domain/money.ts';
import { nameKey, validateName, type NameRefusal } from '../domain/names.ts';
import { ATTRIBUTE_MAX_LENGTH, readClientSize } from '../domain/fit.ts';
import type { ClientRecord, Column, HeaderMatch, InvoiceRecord, Kind, PaymentRecord, RecordOf } from './kinds.ts';
import type { Delimiter, Encoding } from './decode.ts';
import { memo } from './memo.ts';
import type { Table } from './parse.ts';

/** What is wrong with one row, found from the row alone. */
export type RowProblem =
  /** A required cell is empty (for an invoice: neither `client` nor `eik`, reported as `client`). */
  | { kind: 'missing'; column: Column }
  /** More cells than the header has columns: usually a `,` or `;` inside an unquoted value. */
  | { kind: 'extra-cells'; cells: number; columns: number }
  | { kind: 'bad-name'; column: 'name' | 'client'; refusal: NameRefusal }
  | { kind: 'bad-identity'; column: 'eik' | 'vat'; text: string; refusal: IdentityRefusal }
  | { kind: 'bad-owner'; text: string }
  | { kind: 'too-long'; column: Column; length: number; max: number }
  | { kind: 'bad-size'; text: string }
  | { kind: 'bad-invoice-number'; column: 'number' | 'invoice'; text: string }
  | { kind: 'bad-currency'; text: string }
  /** `currency` is absent for a payment, whose currency is its invoice's. */
  | { kind: 'bad-amount'; column: 'amount' | 'margin'; text: string; currency?: string; refusal: AmountRefusal }
  | { kind: 'bad-date'; column: 'issued' | 'due' | 'date'; text: string }
  | { kind: 'in-future'; column: 'issued' | 'date'; date: string; today: string }
  | { kind: 'due-before-issued'; issued: string; due: string }
  /** A BGN invoice dated on or after the euro changeover (SPEC §5). */
  | (DocumentCurrencyRefusal & { dated: string })
  /** The row's key is an earlier row's in the same file. */
  | { kind: 'duplicate-in-file'; key: 'eik' | 'name' | 'number' | 'payment'; value: string; firstRow: number };

export interface Row<R> {
  /** As a spreadsheet numbers it: the header is row 1. */
  row: number;
  record: R;
  /** The row's cells as read (for returning failed rows as a CSV). */
  cells: string[];
}

export interface RowFailure<P = RowProblem> {
  row: number;
  problem: P;
  cells: string[];
}

export interface ValidateOptions {
  /** The workspace's today (`YYYY-MM-DD`): an invoice or payment may not be dated later. */
  today: string;
  /** Policy `currency.changeover`. */
  changeover?: Changeover;
}

export interface Validated<K extends Kind> {
  kind: K;
  rows: Row<RecordOf[K]>[];
  failures: RowFailure[];
}

/** A file read and checked: its kind, its valid rows, its failed rows, and how it was written. */
export type BooksFile = {
  [K in Kind]: Validated<K> & {
    encoding: Encoding;
    delimiter: Delimiter;
    /** The header as written. */
    header: string[];
    /** Headers that are no column of this kind; their cells are not read. */
    ignored: string[];
  };
}[Kind];

type Read<T> = { ok: true; value: T } | { ok: false; problem: RowProblem };
const bad = (problem: RowProblem): { ok: false; problem: RowProblem } => ({ ok: false, problem });

// Limits as the commands set them (src/slack/input): a contact 300 characters, a product line 80.
const MAX = { contact: 300, industry: ATTRIBUTE_MAX_LENGTH, region: ATTRIBUTE_MAX_LENGTH, line: 80, reference: 200 } as const;

function limited(column: keyof typeof MAX, text: string): RowProblem | undefined {
  const length = [...text].length;
  return length > MAX[column] ? { kind: 'too-long', column, length, max: MAX[column] } : undefined;
}

/**
 * A Bulgarian invoice number is 10 digits, leading zeros included (SPEC §5). A spreadsheet
 * that took the column for numbers dropped the zeros (`1234`), and those can only mean
 * `0000001234`, so they are put back. The numbers dealdesk's own counter gives an invoice added
 * without `number:` (`INV-000042`) are read as they are, so an export of them imports back.
 */
export function readInvoiceNumber(text: string): string | undefined {
  const t = text.replace(/[\s\u00a0]/gu, '');
  if (/^INV-\d{6,}$/iu.test(t)) return t.toUpperCase();
  return /^\d{1,10}$/u.test(t) ? t.padStart(10, '0') : undefined;
}

/** `U0123ABC`, or `<@U0123ABC>` / `@U0123ABC` as copied from Slack. */
export function readOwner(text: string): string | undefined {
  return /^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$/u.exec(text)?.[1];
}

/** The invoice service stores product lines this way, so ABC counts "Steel beams" and "steel  beams" as one. */
export function normaliseLine(line: string): string {
  return line.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/**
 * A payment's amount as the import keeps it: a plain decimal with two places when it has at
 * most two and reads the same in every currency (`12 500,5` → `12500.50`); as written otherwise
 * (`1,500`, which a three-decimal currency reads as 1.5), to be read in the invoice's currency.
 */
export function canonicalAmount(text: string): string {
  const two = parseAmount(text, 'EUR');
  const three = parseAmount(text, 'KWD');
  return two.ok && three.ok && two.minor * 10 === three.minor ? minorToDecimal(two.minor, 'EUR') : text;
}

// The checks a file repeats for the same text, each done once per file (memo.ts).
function memos() {
  return {
    name: memo(validateName),
    nameKey: memo(nameKey),
    eik: memo(validateEik),
    date: memo(readDate),
    invoiceNumber: memo(readInvoiceNumber),
    line: memo(normaliseLine),
  };
}
type Memos = ReturnType<typeof memos>;

function readDateCell(column: 'issued' | 'due' | 'date', text: string, m: Memos): Read<string> {
  const d = m.date(text);
  return d === undefined ? bad({ kind: 'bad-date', column, text }) : { ok: true, value: d };
}

type Cells = (column: Column) => string;

function readClient(get: Cells, _opts: ValidateOptions, m: Memos): Read<ClientRecord> {
  const nameText = get('name');
  if (nameText === '') return bad({ kind: 'missing', column: 'name' });
  const name = m.name(nameText);
  if (!name.ok) return bad({ kind: 'bad-name', column: 'name', refusal: name.refusal });
  const record: ClientRecord = { name: name.name };
  const eik = get('eik');
  if (eik !== '') {
    const r = m.eik(eik);
    if (!r.ok) return bad({ kind: 'bad-identity', column: 'eik', text: eik, refusal: r.refusal });
    record.eik = r.value;
  }
  const vat = get('vat');
  if (vat !== '') {
    const r = validateVat(vat);
    if (!r.ok) return bad({ kind: 'bad-identity', column: 'vat', text: vat, refusal: r.refusal });
    record.vat = r.value;
  }
  const owner = get('owner');
  if (owner !== '') {
    const id = readOwner(owner);
    if (id === undefined) return bad({ kind: 'bad-owner', text: owner });
    record.owner = id;
  }
  for (const column of ['contact', 'industry', 'region'] as const) {
    const text = get(column).replace(/\s+/gu, ' ');
    if (text === '') continue;
    const tooLong = limited(column, text);
    if (tooLong) return bad(tooLong);
    record[column] = text;
  }
  const size = get('size');
  if (size !== '') {
    const s = readClientSize(size);
    if (!s) return bad({ kind: 'bad-size', text: size });
    record.size = s;
  }
  return { ok: true, value: record };
}

function readInvoice(get: Cells, opts: ValidateOptions, m: Memos): Read<InvoiceRecord> {
  const numberText = get('number');
  if (numberText === '') return bad({ kind: 'missing', column: 'number' });
  const number = m.invoiceNumber(numberText);
  if (number === undefined) return bad({ kind: 'bad-invoice-number', column: 'number', text: numberText });
  const clientText = get('client');
  const eikText = get('eik');
  if (clientText === '' && eikText === '') return bad({ kind: 'missing', column: 'client' });
  let client: string | undefined;
  if (clientText !== '') {
    const n = m.name(clientText);
    if (!n.ok) return bad({ kind: 'bad-name', column: 'client', refusal: n.refusal });
    client = n.name;
  }
  let eik: string | undefined;
  if (eikText !== '') {
    const r = m.eik(eikText);
    if (!r.ok) return bad({ kind: 'bad-identity', column: 'eik', text: eikText, refusal: r.refusal });
    eik = r.value;
  }
  const currencyText = get('currency');
  if (currencyText === '') return bad({ kind: 'missing', column: 'currency' });
  const currency = currencyText.toUpperCase();
  if (!isCurrency(currency)) return bad({ kind: 'bad-currency', text: currencyText });
  const amountText = get('amount');
  if (amountText === '') return bad({ kind: 'missing', column: 'amount' });
  const amount = parseAmount(amountText, currency);
  if (!amount.ok) return bad({ kind: 'bad-amount', column: 'amount', text: amountText, currency, refusal: amount.refusal });
  const issuedText = get('issued');
  if (issuedText === '') return bad({ kind: 'missing', column: 'issued' });
  const issued = readDateCell('issued', issuedText, m);
  if (!issued.ok) return issued;
  if (issued.value > opts.today) return bad({ kind: 'in-future', column: 'issued', date: issued.value, today: opts.today });
  const euro = checkNewDocumentCurrency(currency, issued.value, opts.changeover ?? DEFAULT_CHANGEOVER);
  if (!euro.ok) return bad({ ...euro.refusal, dated: issued.value });
  const record: InvoiceRecord = { number, ...(client !== undefined ? { client } : {}), ...(eik !== undefined ? { eik } : {}), amountMinor: amount.minor, currency, issued: issued.value };
  const dueText = get('due');
  if (dueText !== '') {
    const due = readDateCell('due', dueText, m);
    if (!due.ok) return due;
    if (due.value < issued.value) return bad({ kind: 'due-before-issued', issued: issued.value, due: due.value });
    record.due = due.value;
  }
  const marginText = get('margin');
  if (marginText !== '') {
    // As `/invoice add … margin:` reads it: a loss is negative, a zero margin is 0.
    const negative = marginText.startsWith('-');
    const m = parseAmount(marginText.replace(/^-/u, ''), currency);
    if (!m.ok && m.refusal.kind !== 'not-positive') return bad({ kind: 'bad-amount', column: 'margin', text: marginText, currency, refusal: m.refusal });
    record.marginMinor = m.ok ? (negative ? -m.minor : m.minor) : 0;
  }
  const line = m.line(get('line'));
  if (line !== '') {
    const tooLong = limited('line', line);
    if (tooLong) return bad(tooLong);
    record.line = line;
  }
  return { ok: true, value: record };
}

function readPayment(get: Cells, opts: ValidateOptions, m: Memos): Read<PaymentRecord> {
  const invoiceText = get('invoice');
  if (invoiceText === '') return bad({ kind: 'missing', column: 'invoice' });
  const invoice = m.invoiceNumber(invoiceText);
  if (invoice === undefined) return bad({ kind: 'bad-invoice-number', column: 'invoice', text: invoiceText });
  const amount = get('amount');
  if (amount === '') return bad({ kind: 'missing', column: 'amount' });
  // The invoice's currency decides the decimals; here only that it is an amount at all.
  const a = parseAmount(amount, 'EUR');
  if (!a.ok && a.refusal.kind !== 'too-many-decimals') return bad({ kind: 'bad-amount', column: 'amount', text: amount, refusal: a.refusal });
  const dateText = get('date');
  if (dateText === '') return bad({ kind: 'missing', column: 'date' });
  const date = readDateCell('date', dateText, m);
  if (!date.ok) return date;
  if (date.value > opts.today) return bad({ kind: 'in-future', column: 'date', date: date.value, today: opts.today });
  const record: PaymentRecord = { invoice, amount: canonicalAmount(amount), date: date.value };
  const reference = get('reference').replace(/\s+/gu, ' ');
  if (reference !== '') {
    const tooLong = limited('reference', reference);
    if (tooLong) return bad(tooLong);
    record.reference = reference;
  }
  return { ok: true, value: record };
}

/**
 * What makes two rows the same record (SPEC §6): a client's ЕИК, and its name, since names are
 * unique too; an invoice's number; a payment's invoice and reference. A payment without a
 * reference is keyed by invoice, date and amount instead, so the same file twice is still
 * the same payments.
 */
export function keysOf(kind: Kind, record: ClientRecord | InvoiceRecord | PaymentRecord, key: (name: string) => string = nameKey): { key: 'eik' | 'name' | 'number' | 'payment'; value: string }[] {
  switch (kind) {
    case 'clients': {
      const c = record as ClientRecord;
      return [...(c.eik ? [{ key: 'eik' as const, value: c.eik }] : []), { key: 'name' as const, value: key(c.name) }];
    }
    case 'invoices':
      return [{ key: 'number', value: (record as InvoiceRecord).number }];
    case 'payments':
      return [{ key: 'payment', value: paymentKey(record as PaymentRecord) }];
  }
}

/** A payment's key; without a reference, the invoice, the date and the amount (read with two decimals). */
export function paymentKey(p: { invoice: string; reference?: string | undefined; date: string; amount: string }): string {
  if (p.reference !== undefined) return `${p.invoice}\u0000${p.reference}`;
  const a = parseAmount(p.amount, 'EUR');
  return `${p.invoice}\u0000\u0000${p.date}\u0000${a.ok ? a.minor : p.amount}`;
}

const readers = {
  clients: readClient,
  invoices: readInvoice,
  payments: readPayment,
} satisfies { [K in Kind]: (get: Cells, opts: ValidateOptions, m: Memos) => Read<RecordOf[K]> };

/** Every row of a table whose header matched `match`, read and checked, duplicates within the file failed. */
export function validateTable<K extends Kind>(table: Table, match: HeaderMatch & { kind: K }, opts: ValidateOptions): Validated<K> {
  const kind = match.kind;
  const at = new Map<Column, number>();
  match.columns.forEach((c, i) => c !== undefined && at.set(c, i));
  const width = table.header.length;
  const reader = readers[kind] as (get: Cells, opts: ValidateOptions, m: Memos) => Read<RecordOf[K]>;
  const m = memos();
  const firstRow = new Map<string, number>();
  const rows: Row<RecordOf[K]>[] = [];
  const failures: RowFailure[] = [];
  // One getter for every row (the row it reads is `cells`), rather than a closure a row.
  let cells: string[] = [];
  const get: Cells = (c) => {
    const i = at.get(c);
    return i === undefined ? '' : (cells[i] ?? '');
  };
  for (const t of table.rows) {
    const row = t.row;
    cells = t.cells;
    let extra = 0;
    for (let i = width; i < cells.length; i++) if (cells[i] !== '') extra++;
    if (extra > 0) {
      failures.push({ row, problem: { kind: 'extra-cells', cells: width + extra, columns: width }, cells });
      continue;
    }
    const r = reader(get, opts, m);
    if (!r.ok) {
      failures.push({ row, problem: r.problem, cells });
      continue;
    }
    const keys = keysOf(kind, r.value, m.nameKey);
    let dup: (typeof keys)[number] | undefined;
    let dupRow: number | undefined;
    for (const k of keys) {
      dupRow = firstRow.get(`${k.key}:${k.value}`);
      if (dupRow !== undefined) {
        dup = k;
        break;
      }
    }
    if (dup) {
      const value = dup.key === 'name' ? (r.value as ClientRecord).name : dup.key === 'payment' ? (r.value as PaymentRecord).invoice : dup.value;
      failures.push({ row, problem: { kind: 'duplicate-in-file', key: dup.key, value, firstRow: dupRow! }, cells });
      continue;
    }
    for (const k of keys) firstRow.set(`${k.key}:${k.value}`, row);
    rows.push({ row, record: r.value, cells });
  }
  return { kind, rows, failures };
}
