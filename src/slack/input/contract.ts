import { CONTRACT_KINDS, isCurrency, parseAmount, type ContractKind, type ContractStatus } from '../../domain/index.ts';
import type { DraftTerms } from '../../services/contracts.ts';
import { parseClientRef, type ClientRef, type ParseResult } from './client.ts';
import { firstWord, MAX_COMMAND_TEXT, splitOptions, unescapeSlack } from './text.ts';
import { clip } from '../ui/format.ts';
import { isHelpWord, readContractStatus } from '../../i18n/words.ts';
import { problem, type Problem } from './problem.ts';

export type ContractCommand =
  | { kind: 'help' }
  | { kind: 'new'; client?: ClientRef; draft: DraftTerms }
  | { kind: 'show'; id: number }
  | { kind: 'list'; status?: ContractStatus }
  | { kind: 'sign'; id: number }
  | { kind: 'edit'; id: number };

export type ContractUsage = 'new' | 'show' | 'list' | 'sign' | 'edit' | 'all';

const fail = (problem: Problem, usage: ContractUsage): ParseResult<ContractCommand, ContractUsage> => ({ ok: false, problem, usage });

const KEYS = ['amount', 'net', 'discount', 'kind', 'subject', 'settlement', 'delivery', 'aftersales', 'special'] as const;

export function parseContractCommand(raw: string): ParseResult<ContractCommand, ContractUsage> {
  if (raw.length > MAX_COMMAND_TEXT) return fail(problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), 'all');
  const text = unescapeSlack(raw).trim();
  if (text === '') return fail(problem('parse.contract.empty'), 'all');
  const [word, rest] = firstWord(text);
  if (isHelpWord(word)) return { ok: true, command: { kind: 'help' } };
  switch (word.toLowerCase()) {
    case 'new':
      return parseNew(rest);
    case 'list': {
      if (rest === '') return { ok: true, command: { kind: 'list' } };
      // The status in either language: `pending`, `чакащи`, `одобрен` (SPEC §5).
      const status = readContractStatus(rest);
      if (!status) return fail({ kind: 'not-contract-status', given: clip(rest) }, 'list');
      return { ok: true, command: { kind: 'list', status } };
    }
    case 'sign':
    case 'edit': {
      const id = contractId(rest);
      if (id === undefined) return fail(rest === '' ? problem('parse.whichContract') : problem('parse.notContractNumber', { given: clip(rest) }), word.toLowerCase() as 'sign' | 'edit');
      return { ok: true, command: { kind: word.toLowerCase() as 'sign' | 'edit', id } };
    }
    default: {
      const id = contractId(text);
      if (id !== undefined) return { ok: true, command: { kind: 'show', id } };
      return fail(problem('parse.unknownWord', { word: clip(word) }), 'all');
    }
  }
}

function contractId(s: string): number | undefined {
  const m = /^#?(\d{1,9})$/.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}

function parseNew(rest: string): ParseResult<ContractCommand, ContractUsage> {
  const { positional, options, repeated } = splitOptions(rest, KEYS);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'new');
  const draft: DraftTerms = {};
  const amount = options.get('amount');
  if (amount !== undefined) {
    const m = /^(?:([A-Za-z]{3})\s*)?([0-9][0-9.,'\s]*?)\s*(?:([A-Za-z]{3}))?$/u.exec(amount);
    const cur = (m?.[1] ?? m?.[3])?.toUpperCase();
    if (!m || !m[2] || (m[1] && m[3])) return fail(problem('parse.contract.badAmount', { given: clip(amount) }), 'new');
    if (!cur) return fail(problem('parse.contract.amountCurrency', { given: clip(amount), number: clip(m[2].trim()) }), 'new');
    if (!isCurrency(cur)) return fail(problem('parse.notCurrency', { currency: cur }), 'new');
    const a = parseAmount(m[2], cur);
    if (!a.ok) {
      const why = a.refusal.kind === 'too-many-decimals' ? 'decimals' : a.refusal.kind === 'not-positive' ? 'positive' : a.refusal.kind === 'too-large' ? 'large' : 'nan';
      return fail(problem('parse.contract.amountWhy', { given: clip(amount), why, currency: cur, digits: a.refusal.kind === 'too-many-decimals' ? a.refusal.digits : 0 }), 'new');
    }
    draft.amountMinor = a.minor;
    draft.currency = cur;
  }
  const net = options.get('net');
  if (net !== undefined) {
    const m = /^(\d{1,3})\s*(?:d|days?)?$/iu.exec(net);
    if (!m || Number(m[1]) > 365) return fail(problem('parse.contract.badNet', { given: clip(net) }), 'new');
    draft.netDays = Number(m[1]);
  }
  const discount = options.get('discount');
  if (discount !== undefined) {
    const bp = parseDiscount(discount);
    if (bp === undefined) return fail(problem('parse.contract.badDiscount', { given: clip(discount) }), 'new');
    draft.discountBp = bp;
  }
  const kind = options.get('kind');
  if (kind !== undefined) {
    const k = kind.toLowerCase();
    if (!(CONTRACT_KINDS as readonly string[]).includes(k)) return fail(problem('parse.contract.badKind', { given: clip(kind) }), 'new');
    draft.kind = k as ContractKind;
  }
  const subject = options.get('subject');
  if (subject !== undefined) {
    if (subject === '') return fail(problem('parse.contract.subjectEmpty'), 'new');
    draft.subject = subject;
  }
  for (const [key, field] of [
    ['settlement', 'settlement'],
    ['delivery', 'delivery'],
    ['aftersales', 'afterSales'],
    ['special', 'special'],
  ] as const) {
    const v = options.get(key);
    if (v !== undefined && v !== '') draft[field] = v;
  }
  return { ok: true, command: { kind: 'new', ...(positional !== '' ? { client: parseClientRef(positional) } : {}), draft } };
}

/** "7.5", "7,5 %", "10%" → basis points; undefined when not a percentage from 0 to 100 with at most two decimals. */
export function parseDiscount(s: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/u.exec(s.trim());
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  return bp <= 10000 ? bp : undefined;
}

