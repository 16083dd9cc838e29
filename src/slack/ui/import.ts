/**
 * Words for the import of books (SPEC §6): why a file is refused, why a row failed, and the
 * summary line the CLI ends with and the Slack preview shows. Pure; src/books gives the codes.
 */
import type { Column, Counts, FileRefusal, ImportProblem, Kind } from '../../books/index.ts';
import type { ImportFailure } from '../../services/import.ts';
import { formatMoney } from '../../domain/money.ts';
import { amountProblem } from '../input/money.ts';
import { identityText, refusalText } from '../reply.ts';
import { clip } from './format.ts';

/** `created N, updated N, unchanged N, failed N`: the CLI's last line (SPEC §6). */
export function importSummary(c: Counts): string {
  return `created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, failed ${c.failed}`;
}

const dotted = (iso: string) => iso.split('-').reverse().join('.');
const cols = (cs: readonly string[]) => cs.map((c) => `\`${clip(c, 30)}\``).join(', ');

const COLUMN_HINT: Record<Kind, string> = {
  clients: '`name` (required), `eik`, `vat`, `owner`, `contact`, `industry`, `region`, `size`',
  invoices: '`number`, `client` or `eik`, `amount`, `currency`, `issued` (required), `due`, `margin`, `line`',
  payments: '`invoice`, `amount`, `date` (required), `reference`',
};

/** Why a whole file is refused; nothing was imported. */
export function describeFileRefusal(r: FileRefusal): string {
  switch (r.kind) {
    case 'empty-file':
      return 'The file is empty. Export the list from your books as CSV and share that.';
    case 'not-text':
      return r.looksLike === 'xlsx' || r.looksLike === 'xls'
        ? 'That is an Excel workbook, not a CSV file. In Excel choose File → Save As → "CSV UTF-8" (or "CSV"), and share that file.'
        : r.looksLike === 'pdf'
          ? 'That is a PDF, not a CSV file. Export the list from your books as CSV and share that.'
          : 'That file is not text, so it is no CSV file. Export the list from your books as CSV and share that.';
    case 'malformed-csv':
      return r.problem === 'quote-not-closed'
        ? `The file is not valid CSV: a quote opened near line ${r.line} is never closed. Check that line's quotes ("…").`
        : `The file is not valid CSV near line ${r.line}: ${r.problem === 'bad-quote' ? 'a quote closes in the middle of a cell' : 'it cannot be read as cells'}. Check that line's quotes ("…").`;
    case 'unknown-kind':
      return [
        `I can't tell what the file holds from its header (${cols(r.found.filter((h) => h !== '')) || 'empty'}).`,
        `A clients file has ${COLUMN_HINT.clients}; an invoices file ${COLUMN_HINT.invoices}; a payments file ${COLUMN_HINT.payments}. English or Bulgarian names.`,
      ].join(' ');
    case 'ambiguous-kind':
      return `The header (${cols(r.found)}) fits ${r.kinds.join(' and ')} alike: say which with \`--kind ${r.kinds[0]}\`.`;
    case 'missing-columns':
      return `${r.fileKind === 'invoices' ? 'An' : 'A'} ${r.fileKind} file needs the column${r.missing.length === 1 ? '' : 's'} ${cols(r.missing)}; the header has ${cols(r.found.filter((h) => h !== '')) || 'none'}. Its columns: ${COLUMN_HINT[r.fileKind]}.`;
    case 'duplicate-column':
      return `The header has \`${r.column}\` more than once (${cols(r.headers)}): keep one.`;
    case 'no-client-column':
      return `An invoices file needs a \`client\` (the client's name) or an \`eik\` column to say whose invoice each row is; the header has ${cols(r.found)}.`;
  }
}

const COLUMN_NAME: Partial<Record<Column, string>> = { eik: 'ЕИК', vat: 'VAT number', issued: 'issue date', due: 'due date', date: 'payment date' };
const colName = (c: Column) => COLUMN_NAME[c] ?? c;

/** Why one row failed; that row changed nothing. */
export function describeImportProblem(p: ImportProblem): string {
  switch (p.kind) {
    case 'missing':
      return p.column === 'client' ? 'Whose invoice is it? Give the client\'s name (`client`) or ЕИК (`eik`).' : `The \`${p.column}\` cell is empty; it is required.`;
    case 'extra-cells':
      return `The row has ${p.cells} cells but the header ${p.columns} columns: a value with the separator in it must be in quotes ("…").`;
    case 'bad-name':
      return refusalText({ kind: 'bad-name', refusal: p.refusal });
    case 'bad-identity':
      return identityText(p.refusal, p.text);
    case 'bad-owner':
      return `\`owner\` \`${clip(p.text)}\` is not a Slack user id: write the person's id, e.g. \`U0123ABCD\` (in Slack: their profile → ⋮ → Copy member ID).`;
    case 'too-long':
      return `The ${colName(p.column)} is ${p.length} characters long; it takes at most ${p.max}.`;
    case 'bad-size':
      return `\`size\` \`${clip(p.text)}\` is not a size: write micro, small, medium or large.`;
    case 'bad-invoice-number':
      return `\`${clip(p.text)}\` is not an invoice number: a Bulgarian invoice number is up to 10 digits, e.g. \`0000001234\`.`;
    case 'bad-currency':
      return `\`${clip(p.text)}\` is not an ISO 4217 currency code: use e.g. EUR, USD or BGN.`;
    case 'bad-amount':
      return `${p.column === 'margin' ? 'margin: ' : ''}${amountProblem(p.text, p.currency ?? 'EUR', p.refusal)}`;
    case 'bad-date':
      return `The ${colName(p.column)} \`${clip(p.text)}\` is not a date: write it as DD.MM.YYYY or YYYY-MM-DD.`;
    case 'in-future':
      return `The ${colName(p.column)} ${dotted(p.date)} is after today (${dotted(p.today)}).`;
    case 'due-before-issued':
      return `The due date ${dotted(p.due)} is before the issue date ${dotted(p.issued)}.`;
    case 'currency-replaced': {
      const since = p.currency === 'BGN' && p.use === 'EUR' ? `Bulgaria has used the euro since ${dotted(p.since)}` : `${p.use} has replaced ${p.currency} since ${dotted(p.since)}`;
      return `${since}: an invoice issued ${dotted(p.dated)} cannot be in ${p.currency}; write the amount in ${p.use}.`;
    }
    case 'duplicate-in-file': {
      const what = { eik: `ЕИК ${p.value}`, name: `the client ${clip(p.value)}`, number: `invoice ${p.value}`, payment: `a payment on invoice ${p.value} with the same reference (or, without one, the same date and amount)` }[p.key];
      return `Row ${p.firstRow} already has ${what}; each appears once in a file.`;
    }
    case 'same-client-in-file':
      return `Row ${p.firstRow} already changes the client ${clip(p.client)} (one row by ЕИК, the other by name); each client appears once in a file.`;
    case 'unknown-client':
      return p.eik !== undefined
        ? `No client has ЕИК ${p.eik}${p.client ? ` (${clip(p.client)})` : ''}: import the clients first, or add it with \`/client add\`.`
        : `There is no client ${clip(p.client ?? '')}: import the clients first, or add it with \`/client add\`.`;
    case 'client-mismatch':
      return `ЕИК ${p.eik} is ${clip(p.eikClient)}'s, but the row names ${clip(p.client)}, another client: correct one of them.`;
    case 'name-taken':
      return `The name ${clip(p.name)} belongs to another client${p.holderEik ? ` (ЕИК ${p.holderEik})` : ''}: names are unique.`;
    case 'invoice-of-other-client':
      return `Invoice ${p.number} is already recorded for ${p.client ? clip(p.client) : 'another client'}; an import does not move an invoice to another client.`;
    case 'amount-below-paid':
      return `Invoice ${p.number} has ${formatMoney(p.paidMinor, p.currency)} paid already; its amount cannot be less.`;
    case 'currency-of-paid-invoice':
      return `Invoice ${p.number} has payments in ${p.currency}; its currency cannot change.`;
    case 'unknown-invoice':
      return `There is no invoice ${p.number}: import the invoices first.`;
    case 'payment-differs':
      return `Invoice ${p.invoice} already has the payment \`${clip(p.reference)}\`, of ${formatMoney(p.recorded.amountMinor, p.currency)} on ${dotted(p.recorded.date)}; a payment is never changed.`;
    case 'payment-refused':
      return p.refusal.kind === 'already-paid'
        ? `Invoice ${p.invoice} is already paid in full.`
        : `That is more than invoice ${p.invoice} owes: ${formatMoney(p.refusal.owedMinor, p.currency)} is owed.`;
  }
}

/** Why one row failed, found at the plan or at its write (another change got there first). */
export function describeImportFailure(p: ImportFailure): string {
  if (p.kind !== 'changed-meanwhile') return describeImportProblem(p);
  const what = { client: 'the client', eik: 'another client took that ЕИК', invoice: 'the invoice', number: 'another invoice took that number' }[p.what];
  return p.what === 'eik' || p.what === 'number'
    ? `While the import ran, ${what}; nothing was written for this row. Check it and import the row again.`
    : `${what[0]!.toUpperCase()}${what.slice(1)} changed while the import ran; nothing was written for this row. Import the row again.`;
}

/** Notes before the summary: columns the import does not read. */
export function importNotes(r: { ignored: readonly string[] }): string[] {
  return r.ignored.length > 0 ? [`Columns not read: ${cols(r.ignored)}.`] : [];
}
