import { isCurrency, parseAmount } from '../../domain/index.ts';
import { problem, type Problem } from './problem.ts';
import { parseClientRef, type ClientRef, type ParseResult } from './client.ts';
import { firstWord, MAX_COMMAND_TEXT, readDate, splitOptions, takeExport, unescapeSlack } from './text.ts';
import { clip } from '../ui/format.ts';
import { isHelpWord } from '../../i18n/words.ts';

export type InvoiceCommand =
  | { kind: 'help' }
  | {
      kind: 'add';
      /** Ways to split `<client> <amount>`, longest name first; the service takes the one that names a client. */
      readings: InvoiceReading[];
      currency: string;
      /** The invoice's number from the books, as written (leading zeros kept). */
      number?: string;
      issued?: string;
      due?: string;
      netDays?: number;
      contractId?: number;
      marginMinor?: number;
      productLine?: string;
    }
  /** `nameWithExport`: with `export`, the client's name as typed with that word, in case it was the name's. */
  | { kind: 'list'; overdue: boolean; client?: ClientRef; export?: boolean; nameWithExport?: string }
  /** `currency`: as the payer paid, when given (`/invoice pay #7 100 EUR`); the service checks it is what the invoice is owed in. */
  | { kind: 'pay'; id: number; amount: string; currency?: string; date?: string; reference?: string }
  | { kind: 'promise'; id: number; date: string }
  | { kind: 'interest'; id: number; date?: string };

/** One way to read `<client> <amount>`: the amount as typed and in minor units. */
export interface InvoiceReading {
  client: ClientRef;
  amount: string;
  amountMinor: number;
}

export type InvoiceUsage = 'add' | 'list' | 'pay' | 'promise' | 'interest' | 'all';

const fail = (problem: Problem, usage: InvoiceUsage): ParseResult<InvoiceCommand, InvoiceUsage> => ({ ok: false, problem, usage });


function invoiceId(s: string): number | undefined {
  const m = /^#?(\d{1,9})$/.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}

export function parseInvoiceCommand(raw: string): ParseResult<InvoiceCommand, InvoiceUsage> {
  if (raw.length > MAX_COMMAND_TEXT) return fail(problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), 'all');
  const text = unescapeSlack(raw).trim();
  if (text === '') return fail(problem('parse.invoice.empty'), 'all');
  const [word, rest] = firstWord(text);
  if (isHelpWord(word)) return { ok: true, command: { kind: 'help' } };
  switch (word.toLowerCase()) {
    case 'add':
      return parseAdd(rest);
    case 'list': {
      // A last bare word `export`: the same list as a CSV in the person's DM (SPEC §6). A client
      // whose name ends in "export" is named in quotes (`list "Acme Export"`), which it is not.
      const { rest: listed, exported, word } = takeExport(rest);
      const [first, after] = firstWord(listed);
      const overdue = first.toLowerCase() === 'overdue';
      const clientText = (overdue ? after : listed).trim();
      const named = clientText !== '' ? { client: parseClientRef(clientText) } : {};
      return { ok: true, command: { kind: 'list', overdue, ...named, ...(exported ? { export: true, ...(clientText !== '' ? { nameWithExport: `${clientText} ${word}` } : {}) } : {}) } };
    }
    case 'pay':
      return parsePay(rest);
    case 'promise': {
      const m = /^(\S+)\s+(\S+)$/u.exec(rest.trim());
      const id = m ? invoiceId(m[1]!) : undefined;
      if (!m || id === undefined) return fail(problem('parse.invoice.promiseWhich'), 'promise');
      const date = readDate(m[2]!);
      if (date === undefined) return fail(problem('parse.notDate', { given: clip(m[2]!) }), 'promise');
      return { ok: true, command: { kind: 'promise', id, date } };
    }
    case 'interest':
      return parseInterest(rest);
    default:
      return fail(problem('parse.unknownWord', { word: clip(word) }), 'all');
  }
}

function parseAdd(rest: string): ParseResult<InvoiceCommand, InvoiceUsage> {
  const { positional, options, repeated } = splitOptions(rest, ['number', 'issued', 'due', 'net', 'contract', 'margin', 'line']);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'add');
  const money = readClientAmount(positional);
  if (!money.ok) return fail(money.problem, 'add');
  const cmd: Extract<InvoiceCommand, { kind: 'add' }> = { kind: 'add', readings: money.readings, currency: money.currency };
  const { currency } = money;
  const number = options.get('number');
  if (number !== undefined) {
    if (!/^\d{10}$/u.test(number)) return fail(problem('parse.invoice.badNumber', { given: clip(number) }), 'add');
    cmd.number = number;
  }
  const issued = options.get('issued');
  if (issued !== undefined) {
    const d = readDate(issued);
    if (d === undefined) return fail(problem('parse.notDate', { given: `issued:${clip(issued)}` }), 'add');
    cmd.issued = d;
  }
  const due = options.get('due');
  const net = options.get('net');
  if (due !== undefined && net !== undefined) return fail(problem('parse.invoice.dueOrNet'), 'add');
  if (due !== undefined) {
    const d = readDate(due);
    if (d === undefined) return fail(problem('parse.notDate', { given: `due:${clip(due)}` }), 'add');
    cmd.due = d;
  }
  if (net !== undefined) {
    const n = /^(\d{1,3})\s*(?:d|days?)?$/iu.exec(net);
    if (!n || Number(n[1]) > 365) return fail(problem('parse.invoice.badNet', { given: clip(net) }), 'add');
    cmd.netDays = Number(n[1]);
  }
  const contract = options.get('contract');
  if (contract !== undefined) {
    const id = invoiceId(contract);
    if (id === undefined) return fail(problem('parse.invoice.badContract', { given: clip(contract) }), 'add');
    cmd.contractId = id;
  }
  const margin = options.get('margin');
  if (margin !== undefined) {
    const neg = margin.trim().startsWith('-');
    const mm = parseAmount(margin.trim().replace(/^-/, ''), currency);
    if (!mm.ok && mm.refusal.kind !== 'not-positive') return fail({ kind: 'amount', refusal: mm.refusal, text: margin, currency, field: 'margin' }, 'add');
    cmd.marginMinor = mm.ok ? (neg ? -mm.minor : mm.minor) : 0;
  }
  const line = options.get('line');
  if (line !== undefined) {
    if (line === '' || [...line].length > 80) return fail(problem('parse.invoice.badLine'), 'add');
    cmd.productLine = line;
  }
  return { ok: true, command: cmd };
}

/**
 * `<client> <amount> <CUR>`, read from the right: the currency is the last word, the amount the
 * words before it. A name may end in a number (`Studio 54`, `Строй 2000 ООД`) and an amount may
 * be grouped with spaces (`12 500,50`), so every split whose amount is well formed is a reading,
 * longest name first; which one names a client is for the service to say.
 */
function readClientAmount(text: string): { ok: true; readings: InvoiceReading[]; currency: string } | { ok: false; problem: Problem } {
  if (text === '') return { ok: false, problem: problem('parse.invoice.which') };
  const words = text.split(' ');
  // `100EUR` is the amount and the currency in one word.
  const glued = /^([0-9][0-9.,']*)([A-Za-z]{3})$/u.exec(words[words.length - 1]!);
  if (glued) words.splice(words.length - 1, 1, glued[1]!, glued[2]!);
  const cur = words.pop()!;
  const spans: string[] = [];
  for (let k = 1; k < words.length && isAmountWords(words.slice(-k)); k++) spans.push(words.slice(-k).join(' '));
  if (!/^[A-Za-z]{3}$/u.test(cur) || spans.length === 0) return { ok: false, problem: problem('parse.invoice.clientAmount') };
  const currency = cur.toUpperCase();
  if (!isCurrency(currency)) return { ok: false, problem: problem('parse.notCurrency', { currency }) };
  const readings: InvoiceReading[] = [];
  for (const amount of spans) {
    const a = parseAmount(amount, currency);
    const name = words.slice(0, words.length - amount.split(' ').length).join(' ');
    const client = parseClientRef(name);
    // A name never starts with `#` (that is an id), so `#12 54` is not a name to try.
    if (a.ok && ('id' in client || !name.startsWith('#'))) readings.push({ client, amount, amountMinor: a.minor });
  }
  if (readings.length > 0) return { ok: true, readings, currency };
  const last = spans[0]!;
  const a = parseAmount(last, currency);
  return { ok: false, problem: a.ok ? problem('parse.invoice.clientAmount') : { kind: 'amount', refusal: a.refusal, text: last, currency } };
}

/** One word is any amount; several are one grouped with spaces: `12 500,50`, `1 000 000`. */
function isAmountWords(ws: string[]): boolean {
  if (ws.length === 1) return /^[0-9][0-9.,']*$/u.test(ws[0]!);
  return ws.every((w, i) => (i === 0 ? /^\d{1,3}$/u : i === ws.length - 1 ? /^\d{3}(?:[.,]\d+)?$/u : /^\d{3}$/u).test(w));
}

function parsePay(rest: string): ParseResult<InvoiceCommand, InvoiceUsage> {
  const { positional, options, repeated } = splitOptions(rest, ['date', 'ref']);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'pay');
  const m = /^(\S+)\s+(.+)$/u.exec(positional);
  const id = m ? invoiceId(m[1]!) : undefined;
  if (!m || id === undefined) return fail(problem('parse.invoice.payWhich'), 'pay');
  const cmd: Extract<InvoiceCommand, { kind: 'pay' }> = { kind: 'pay', id, amount: m[2]!.trim() };
  // An optional currency after the amount: `200 EUR`, `200EUR`.
  const cur = /^(.*?)\s*([A-Za-z]{3})$/u.exec(cmd.amount);
  if (cur && cur[1] !== '') {
    const code = cur[2]!.toUpperCase();
    if (!isCurrency(code)) return fail(problem('parse.invoice.payCurrency', { text: clip(cur[2]!) }), 'pay');
    cmd.amount = cur[1]!;
    cmd.currency = code;
  }
  const date = options.get('date');
  if (date !== undefined) {
    const d = readDate(date);
    if (d === undefined) return fail(problem('parse.notDate', { given: `date:${clip(date)}` }), 'pay');
    cmd.date = d;
  }
  const ref = options.get('ref');
  if (ref !== undefined) {
    if (ref === '' || [...ref].length > 200) return fail(problem('parse.invoice.badRef'), 'pay');
    cmd.reference = ref;
  }
  return { ok: true, command: cmd };
}

function parseInterest(rest: string): ParseResult<InvoiceCommand, InvoiceUsage> {
  const { positional, options, repeated } = splitOptions(rest, ['date']);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'interest');
  const id = invoiceId(positional);
  if (id === undefined) return fail(positional === '' ? problem('parse.invoice.interestWhich') : problem('parse.invoice.notInvoiceNumber', { given: clip(positional) }), 'interest');
  const date = options.get('date');
  if (date === undefined) return { ok: true, command: { kind: 'interest', id } };
  const d = readDate(date);
  if (d === undefined) return fail(problem('parse.notDate', { given: `date:${clip(date)}` }), 'interest');
  return { ok: true, command: { kind: 'interest', id, date: d } };
}

export function parseDeliveryCommand(raw: string): ParseResult<{ kind: 'help' } | { kind: 'show'; contractId: number }, 'show'> {
  const t = unescapeSlack(raw).trim();
  if (isHelpWord(t)) return { ok: true, command: { kind: 'help' } };
  const id = invoiceId(t);
  if (id === undefined) return { ok: false, problem: t === '' ? problem('parse.whichContract') : problem('parse.notContractNumber', { given: clip(t) }), usage: 'show' };
  return { ok: true, command: { kind: 'show', contractId: id } };
}

