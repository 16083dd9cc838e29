/**
 * Words for the import of books (SPEC §6): why a file is refused, why a row failed, and the
 * summary line the CLI ends with and the Slack preview shows. Pure; src/books gives the codes.
 */
import type { Column, Counts, FileRefusal, ImportProblem, Kind } from '../../books/index.ts';
import { CLIENT_SIZES, COLUMNS, KINDS } from '../../books/index.ts';
import type { ImportFailure } from '../../services/import.ts';
import { DEFAULT_LOCALE, formatMoney, joinList, label, t, tr, type Locale, type MessageKey } from '../../i18n/index.ts';
import { amountProblem } from '../input/money.ts';
import { identityText, refusalText } from '../reply.ts';
import { clip } from './format.ts';

/** `created N, updated N, unchanged N, failed N`: the CLI's last line (SPEC §6); in Slack in the reader's words. */
export function importSummary(c: Counts, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'import.summary', { ...c });
}

// Every kind of file and every column has its label in the catalog (src/books's sets; i18n imports only the domain).
const everyBooksLabelIsAMessage: `fileKind.${Kind}` | `column.${Column}` extends MessageKey ? true : never = true;
void everyBooksLabelIsAMessage;

/** A kind of file as people read it: `clients` / `клиенти`. */
export const kindLabel = (locale: Locale, k: Kind): string => t(locale, `fileKind.${k}`);
/** A column as a row's reason names it: `` `amount` `` / „Сума“. */
const columnLabel = (locale: Locale, c: Column): string => t(locale, `column.${c}`);

const dotted = (iso: string) => iso.split('-').reverse().join('.');
const cols = (cs: readonly string[]) => cs.map((c) => `\`${clip(c, 30)}\``).join(', ');

/** Why a whole file is refused; nothing was imported. */
export function describeFileRefusal(r: FileRefusal, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const found = (hs: readonly string[], none: 'importFile.emptyHeader' | 'importFile.noColumns') => cols(hs.filter((h) => h !== '')) || m(none);
  switch (r.kind) {
    case 'empty-file':
      return m('importFile.empty');
    case 'not-text':
      return m(r.looksLike === 'xlsx' || r.looksLike === 'xls' ? 'importFile.excel' : r.looksLike === 'pdf' ? 'importFile.pdf' : 'importFile.notText');
    case 'malformed-csv':
      return r.problem === 'quote-not-closed' ? m('importFile.quoteNotClosed', { line: r.line }) : m('importFile.badCsv', { line: r.line, problem: r.problem === 'bad-quote' ? 'quote' : 'cells' });
    case 'unknown-kind':
      return m('importFile.unknownKind', { found: found(r.found, 'importFile.emptyHeader'), clients: m('importFile.columns.clients'), invoices: m('importFile.columns.invoices'), payments: m('importFile.columns.payments') });
    case 'ambiguous-kind':
      return m('importFile.ambiguousKind', { found: cols(r.found), kinds: joinList(locale, r.kinds.map((k) => kindLabel(locale, k))), first: r.kinds[0] ?? '' });
    case 'missing-columns':
      return m('importFile.missingColumns', { kind: r.fileKind, n: r.missing.length, missing: cols(r.missing), found: found(r.found, 'importFile.noColumns'), columns: m(`importFile.columns.${r.fileKind}`) });
    case 'duplicate-column':
      return m('importFile.duplicateColumn', { column: columnLabel(locale, r.column), headers: cols(r.headers) });
    case 'no-client-column':
      return m('importFile.noClientColumn', { found: cols(r.found) });
  }
}

/** Why one row failed; that row changed nothing. */
export function describeImportProblem(p: ImportProblem, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const column = (c: Column) => columnLabel(locale, c);
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  switch (p.kind) {
    case 'missing':
      return p.column === 'client' ? m('importRow.missingClient') : m('importRow.missing', { column: column(p.column) });
    case 'extra-cells':
      return m('importRow.extraCells', { cells: p.cells, columns: p.columns });
    case 'bad-name':
      return refusalText({ kind: 'bad-name', refusal: p.refusal }, locale);
    case 'bad-identity':
      return identityText(p.refusal, p.text, locale);
    case 'bad-owner':
      return m('importRow.badOwner', { text: clip(p.text) });
    case 'too-long':
      return m('importRow.tooLong', { column: column(p.column), length: p.length, max: p.max });
    case 'bad-size':
      return m('importRow.badSize', { text: clip(p.text), sizes: joinList(locale, CLIENT_SIZES.map((s) => label(locale, 'size', s)), 'or') });
    case 'bad-invoice-number':
      return m('importRow.badInvoiceNumber', { text: clip(p.text) });
    case 'bad-currency':
      return m('importRow.badCurrency', { text: clip(p.text) });
    case 'bad-amount': {
      const why = amountProblem(p.text, p.currency ?? 'EUR', p.refusal, locale);
      return p.column === 'margin' ? m('importRow.badMargin', { problem: why }) : why;
    }
    case 'bad-date':
      return m('importRow.badDate', { column: column(p.column), text: clip(p.text) });
    case 'in-future':
      return m('importRow.inFuture', { column: column(p.column), date: dotted(p.date), today: dotted(p.today) });
    case 'due-before-issued':
      return m('importRow.dueBeforeIssued', { due: dotted(p.due), issued: dotted(p.issued) });
    case 'currency-replaced':
      return m('importRow.currencyReplaced', { euro: p.currency === 'BGN' && p.use === 'EUR' ? 'yes' : 'no', since: dotted(p.since), use: p.use, currency: p.currency, dated: dotted(p.dated) });
    case 'duplicate-in-file':
      return m('importRow.duplicateInFile', { firstRow: p.firstRow, key: p.key, value: p.key === 'name' ? clip(p.value) : p.value });
    case 'same-client-in-file':
      return m('importRow.sameClientInFile', { firstRow: p.firstRow, client: clip(p.client) });
    case 'unknown-client':
      return p.eik !== undefined ? m('importRow.unknownEik', { eik: p.eik, named: p.client ? ` (${clip(p.client)})` : '' }) : m('importRow.unknownClient', { client: clip(p.client ?? '') });
    case 'client-mismatch':
      return m('importRow.clientMismatch', { eik: p.eik, eikClient: clip(p.eikClient), client: clip(p.client) });
    case 'name-taken':
      return m('importRow.nameTaken', { name: clip(p.name), holder: p.holderEik ? m('importRow.holderEik', { eik: p.holderEik }) : '' });
    case 'invoice-of-other-client':
      return m('importRow.invoiceOfOtherClient', { number: p.number, known: p.client ? 'yes' : 'no', client: p.client ? clip(p.client) : '' });
    case 'amount-below-paid':
      return m('importRow.amountBelowPaid', { number: p.number, paid: money(p.paidMinor, p.currency) });
    case 'currency-of-paid-invoice':
      return m('importRow.currencyOfPaidInvoice', { number: p.number, currency: p.currency });
    case 'unknown-invoice':
      return m('importRow.unknownInvoice', { number: p.number });
    case 'payment-differs':
      return m('importRow.paymentDiffers', { invoice: p.invoice, reference: clip(p.reference), amount: money(p.recorded.amountMinor, p.currency), date: dotted(p.recorded.date) });
    case 'payment-refused':
      return p.refusal.kind === 'already-paid' ? m('importRow.alreadyPaid', { invoice: p.invoice }) : m('importRow.overOwed', { invoice: p.invoice, owed: money(p.refusal.owedMinor, p.currency) });
  }
}

/** Why one row failed, found at the plan or at its write (another change got there first). */
export function describeImportFailure(p: ImportFailure, locale: Locale = DEFAULT_LOCALE): string {
  if (p.kind !== 'changed-meanwhile') return describeImportProblem(p, locale);
  return p.what === 'eik' || p.what === 'number' ? t(locale, 'importRow.takenMeanwhile', { what: p.what }) : t(locale, 'importRow.changedMeanwhile', { what: p.what });
}

/** Notes before the summary: columns the import does not read (as the header wrote them). */
export function importNotes(r: { ignored: readonly string[] }, locale: Locale = DEFAULT_LOCALE): string[] {
  return r.ignored.length > 0 ? [t(locale, 'import.notRead', { columns: cols(r.ignored) })] : [];
}

/** The failed-rows CSV's own columns (the row's number, its reason), in the reader's words. */
export function failedRowsColumns(locale: Locale = DEFAULT_LOCALE): { row: string; problem: string } {
  return { row: t(locale, 'import.failedRowsColumn.row'), problem: t(locale, 'import.failedRowsColumn.problem') };
}
