import { z } from 'zod';
import { isCurrency, parseAmount } from '../../domain/index.ts';
import { SEGMENTS, type Segment, type Stage } from '../../domain/stages.ts';
import { amountProblem } from './money.ts';
import { firstWord, MAX_COMMAND_TEXT, parseIdRef, parseUserMention, readDate, splitOptions, takeExportWord, unescapeSlack } from './text.ts';
import { clip } from '../ui/format.ts';
import { validateEik, validateVat } from '../../domain/eik.ts';
import { problem, type Problem } from './problem.ts';
import { isHelpWord, readStage } from '../../i18n/words.ts';
import { ATTRIBUTE_MAX_LENGTH, readClientSize, type ClientSize } from '../../domain/fit.ts';

/** A client named by `#id` or by name. */
import type { ClientRef } from '../../domain/names.ts';
export type { ClientRef };

export type OwnerFilter = { kind: 'me' } | { kind: 'user'; userId: string };

export type ClientCommand =
  | { kind: 'help' }
  | { kind: 'add'; name: string; owner?: string; contact?: string; eik?: string; vat?: string; industry?: string; region?: string; size?: ClientSize }
  /** Fix a client's fields; at least one is given. */
  | { kind: 'set'; ref: ClientRef; changes: ClientFields }
  | { kind: 'show'; ref: ClientRef }
  /** `sort:fit` ranks by how much each client looks like segment A (SPEC §7); `export` sends the list as a CSV (SPEC §6). */
  | { kind: 'list'; stage?: Stage; segment?: Segment; owner?: OwnerFilter; sort?: 'fit'; export?: boolean }
  | { kind: 'move'; ref: ClientRef; stage: Stage; value?: { minor: number; currency: string }; close?: string }
  /** Ways to read `<name> <reason>`, longest name first; the first that names a client wins. */
  | { kind: 'lost'; readings: { ref: ClientRef; reason: string }[]; whole: ClientRef }
  | { kind: 'history'; ref: ClientRef }
  /** Ways to read `<name> <note>`, longest name first, as for `lost`. */
  | { kind: 'review'; readings: { ref: ClientRef; note: string }[]; whole: ClientRef };

/** Which usage line to show with an error. */
export type ClientUsage = 'add' | 'set' | 'show' | 'list' | 'move' | 'lost' | 'review' | 'history' | 'all';

export type ParseResult<T, U> = { ok: true; command: T } | { ok: false; problem: Problem; usage: U };

const fail = (problem: Problem, usage: ClientUsage): ParseResult<ClientCommand, ClientUsage> => ({ ok: false, problem, usage });

const segmentSchema = z.enum(SEGMENTS);

/** `#id`, `eik:<ЕИК>` (a valid one; otherwise the text is read as a name) or a name. */
export function parseClientRef(s: string): ClientRef {
  const id = parseIdRef(s);
  if (id !== undefined) return { id };
  const eik = eikRef(s);
  return eik?.ok ? { eik: eik.value } : { name: s };
}

/** The ЕИК of `eik:<ЕИК>`, checked; undefined when the text is not written that way. */
function eikRef(s: string): FieldRead<string> | undefined {
  const m = /^eik:\s*(.*)$/isu.exec(s.trim());
  return m ? FIELD_READERS.eik(m[1]!.trim()) : undefined;
}

/** `/client eik:<ЕИК>` (or `show eik:…`): the card, or why the ЕИК is not one. */
function parseShow(text: string): ParseResult<ClientCommand, ClientUsage> {
  const eik = eikRef(text);
  if (eik && !eik.ok) return fail(eik.problem, 'show');
  return { ok: true, command: { kind: 'show', ref: parseClientRef(text) } };
}

const SUBCOMMANDS = ['add', 'set', 'list', 'move', 'lost', 'review', 'history', 'help'] as const;

export function parseClientCommand(raw: string): ParseResult<ClientCommand, ClientUsage> {
  if (raw.length > MAX_COMMAND_TEXT) return fail(problem('parse.tooLong', { length: raw.length, max: MAX_COMMAND_TEXT }), 'all');
  const text = unescapeSlack(raw).trim();
  if (text === '') return fail(problem('parse.client.empty'), 'all');
  const [word, rest] = firstWord(text);
  const sub = word.toLowerCase();
  if (isHelpWord(sub)) return { ok: true, command: { kind: 'help' } };
  switch (sub) {
    case 'add':
      return parseAdd(rest);
    case 'set':
      return parseSet(rest);
    case 'list':
      return parseList(rest);
    case 'move':
      return parseMove(rest);
    case 'lost':
      return parseLost(rest);
    case 'review':
      return parseReview(rest);
    case 'history':
      if (rest === '') return fail(problem('parse.client.which'), 'history');
      return { ok: true, command: { kind: 'history', ref: parseClientRef(rest) } };
    case 'show':
      if (rest === '') return fail(problem('parse.client.which'), 'show');
      return parseShow(rest);
    default:
      // `/client Acme Ltd`, `/client #12` or `/client eik:175074752` shows the card. A lone word
      // that looks like a mistyped subcommand still falls through to a name lookup, which
      // suggests the usage.
      return parseShow(text);
  }
}

/** Subcommand a mistyped word was probably meant to be (for "unknown client" answers). */
export function nearSubcommand(word: string): string | undefined {
  const w = word.toLowerCase();
  return SUBCOMMANDS.find((s) => s !== w && editDistance(s, w) <= 1 && w.length >= 3);
}

/** What `/client add` and `/client set` take after the name, as `key:value`. */
export interface ClientFields {
  owner?: OwnerFilter;
  contact?: string;
  /** The ЕИК, checked by its checksum (SPEC §5). */
  eik?: string;
  /** The VAT number, `BG` + 9 or 10 digits, checked by its checksum (SPEC §5). */
  vat?: string;
  /** What the look-alike model compares with segment A (SPEC §7). */
  industry?: string;
  region?: string;
  size?: ClientSize;
}

type FieldRead<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Free text of at most `max` characters, for `industry:` and `region:`. */
function attributeText(key: string, example: string, max = ATTRIBUTE_MAX_LENGTH): (text: string) => FieldRead<string> {
  return (text) => {
    if (text === '') return { ok: false, problem: problem('parse.client.attrEmpty', { key, example }) };
    if ([...text].length > max) return { ok: false, problem: problem('parse.client.attrLong', { key, max: String(max) }) };
    return { ok: true, value: text };
  };
}

/** How each field's `key:` text is read; both `/client add` and `/client set` take every one. */
const FIELD_READERS: { [K in keyof ClientFields]-?: (text: string) => FieldRead<NonNullable<ClientFields[K]>> } = {
  owner: (text) => {
    if (text.toLowerCase() === 'me') return { ok: true, value: { kind: 'me' } };
    const userId = parseUserMention(text);
    return userId
      ? { ok: true, value: { kind: 'user', userId } }
      : { ok: false, problem: problem('parse.client.badOwner', { given: clip(text, 40) }) };
  },
  contact: (text) => {
    if (text === '') return { ok: false, problem: problem('parse.client.contactEmpty') };
    if ([...text].length > 300) return { ok: false, problem: problem('parse.client.contactLong') };
    return { ok: true, value: text };
  },
  eik: (text) => {
    const r = validateEik(text);
    return r.ok ? r : { ok: false, problem: { kind: 'identity', refusal: r.refusal, typed: text } };
  },
  vat: (text) => {
    const r = validateVat(text);
    return r.ok ? r : { ok: false, problem: { kind: 'identity', refusal: r.refusal, typed: text } };
  },
  industry: attributeText('industry', 'logistics'),
  region: attributeText('region', 'Sofia'),
  size: (text) => {
    // In English or Bulgarian (the EU's SME classes by headcount), as an import reads the `size` column.
    const size = readClientSize(text);
    return size
      ? { ok: true, value: size }
      : { ok: false, problem: problem('parse.client.badSize', { given: clip(text, 40) }) };
  },
};

const FIELD_KEYS = Object.keys(FIELD_READERS) as (keyof ClientFields)[];

/** `<name> key:value …` → the name and the fields given, or the first problem. */
function readFields(rest: string, usage: ClientUsage): { ok: true; name: string; fields: ClientFields } | ParseResult<ClientCommand, ClientUsage> {
  const { positional, options, repeated } = splitOptions(rest, FIELD_KEYS);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), usage);
  const fields: ClientFields = {};
  for (const key of FIELD_KEYS) {
    const text = options.get(key);
    if (text === undefined) continue;
    const r = FIELD_READERS[key](text);
    if (!r.ok) return fail(r.problem, usage);
    (fields as Record<string, unknown>)[key] = r.value;
  }
  return { ok: true, name: positional, fields };
}

function parseAdd(rest: string): ParseResult<ClientCommand, ClientUsage> {
  const r = readFields(rest, 'add');
  if (!('fields' in r)) return r;
  if (r.name === '') return fail(problem('parse.client.needsName'), 'add');
  // `owner:me` is who adds it, the default.
  const owner = r.fields.owner?.kind === 'user' ? r.fields.owner.userId : undefined;
  const { owner: _owner, ...fields } = r.fields;
  return { ok: true, command: { kind: 'add', name: r.name, ...(owner ? { owner } : {}), ...fields } };
}

function parseSet(rest: string): ParseResult<ClientCommand, ClientUsage> {
  const r = readFields(rest, 'set');
  if (!('fields' in r)) return r;
  if (r.name === '') return fail(problem('parse.client.setWhich'), 'set');
  if (Object.keys(r.fields).length === 0) {
    const unknown = /(?:^|\s)([A-Za-z]+):/u.exec(r.name)?.[1];
    const keys = FIELD_KEYS.map((k) => `\`${k}:\``).join(', ');
    return fail(unknown ? problem('parse.client.cantSet', { key: clip(unknown, 20), keys }) : problem('parse.client.sayWhat', { keys }), 'set');
  }
  return { ok: true, command: { kind: 'set', ref: parseClientRef(r.name), changes: r.fields } };
}

function parseList(text: string): ParseResult<ClientCommand, ClientUsage> {
  // `export`: the same list as a CSV in the person's DM (SPEC §6).
  const { options: split, exported } = takeExportWord(text, ['stage', 'segment', 'owner', 'sort']);
  const { positional, options, repeated } = split;
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'list');
  if (positional !== '') return fail(problem('parse.client.unknownFilter', { given: clip(positional, 40) }), 'list');
  const cmd: Extract<ClientCommand, { kind: 'list' }> = exported ? { kind: 'list', export: true } : { kind: 'list' };
  const stage = options.get('stage');
  if (stage !== undefined) {
    const p = readStage(stage);
    if (!p) return fail({ kind: 'not-stage', given: clip(stage, 40) }, 'list');
    cmd.stage = p;
  }
  const segment = options.get('segment');
  if (segment !== undefined) {
    const p = segmentSchema.safeParse(segment.toUpperCase());
    if (!p.success) return fail(problem('parse.client.notSegment', { given: clip(segment, 40) }), 'list');
    cmd.segment = p.data;
  }
  const owner = options.get('owner');
  if (owner !== undefined) {
    if (owner.toLowerCase() === 'me') cmd.owner = { kind: 'me' };
    else {
      const id = parseUserMention(owner);
      if (!id) return fail(problem('parse.notUser', { given: clip(owner, 40) }), 'list');
      cmd.owner = { kind: 'user', userId: id };
    }
  }
  const sort = options.get('sort');
  if (sort !== undefined) {
    if (sort.toLowerCase() !== 'fit') return fail(problem('parse.client.badSort', { given: clip(sort, 40) }), 'list');
    cmd.sort = 'fit';
  }
  return { ok: true, command: cmd };
}

function parseMove(rest: string): ParseResult<ClientCommand, ClientUsage> {
  const { positional, options, repeated } = splitOptions(rest, ['value', 'close']);
  if (repeated.length > 0) return fail(problem('parse.twice', { key: repeated[0]! }), 'move');
  // The stage is the last word before the options, so names with spaces need no quoting.
  const m = /^(.*\S)\s+(\S+)$/u.exec(positional);
  if (!m) return fail(problem(positional === '' ? 'parse.client.moveWhich' : 'parse.client.moveStage'), 'move');
  const [, refText = '', stageText = ''] = m;
  const p = readStage(stageText);
  if (!p) return fail({ kind: 'not-stage', given: clip(stageText, 40) }, 'move');
  const cmd: Extract<ClientCommand, { kind: 'move' }> = { kind: 'move', ref: parseClientRef(refText), stage: p };
  const value = options.get('value');
  if (value !== undefined) {
    const v = /^([0-9][0-9.,'\s]*?)\s*([A-Za-z]{3})$/u.exec(value);
    if (!v) return fail(problem('parse.client.badValue', { given: clip(value, 40) }), 'move');
    const currency = v[2]!.toUpperCase();
    if (!isCurrency(currency)) return fail(problem('parse.notCurrency', { currency }), 'move');
    const a = parseAmount(v[1]!, currency);
    if (!a.ok) return fail({ kind: 'amount', refusal: a.refusal, text: v[1]!, currency, field: 'value' }, 'move');
    cmd.value = { minor: a.minor, currency };
  }
  const close = options.get('close');
  if (close !== undefined) {
    const d = readDate(close);
    if (d === undefined) return fail(problem('parse.client.badClose', { given: clip(close, 40) }), 'move');
    cmd.close = d;
  }
  return { ok: true, command: cmd };
}

function parseLost(rest: string): ParseResult<ClientCommand, ClientUsage> {
  const t = rest.trim();
  if (t === '') return fail(problem('parse.client.lostWhich'), 'lost');
  const noReason = fail(problem('parse.client.lostReason'), 'lost');
  const id = /^#(\d{1,9})(?:\s+(.*))?$/su.exec(t);
  if (id) {
    const reason = (id[2] ?? '').replace(/^reason:\s*/iu, '').trim();
    if (reason === '') return noReason;
    return { ok: true, command: { kind: 'lost', readings: [{ ref: { id: Number(id[1]) }, reason }], whole: { id: Number(id[1]) } } };
  }
  const { positional, options } = splitOptions(t, ['reason']);
  const explicit = options.get('reason');
  if (explicit !== undefined) {
    if (explicit === '') return noReason;
    if (positional === '') return fail(problem('parse.client.lostWho'), 'lost');
    return { ok: true, command: { kind: 'lost', readings: [{ ref: { name: positional }, reason: explicit }], whole: { name: positional } } };
  }
  return { ok: true, command: { kind: 'lost', readings: nameReadings(t).map((r) => ({ ref: r.ref, reason: r.rest })), whole: { name: t } } };
}

/**
 * Names may hold spaces, so `Acme Ltd went with a competitor` is read every way it can be
 * split, longest name first; the service takes the first reading that names a client.
 */
function nameReadings(t: string): { ref: ClientRef; rest: string }[] {
  const words = t.split(/\s+/u);
  const readings = [];
  for (let n = words.length - 1; n >= 1; n--) {
    const rest = words.slice(n).join(' ').replace(/^[-–—:]\s*/u, '').trim();
    const name = words.slice(0, n).join(' ').replace(/\s*[-–—:]$/u, '').trim();
    if (name !== '' && rest !== '' && !/^[-–—:]$/u.test(rest)) readings.push({ ref: { name }, rest });
  }
  return readings;
}

/** `/client review <name | #id> <note>`: the note is what the review found (SPEC §7). */
function parseReview(rest: string): ParseResult<ClientCommand, ClientUsage> {
  const t = rest.trim();
  if (t === '') return fail(problem('parse.client.reviewWhich'), 'review');
  if ([...t].length > 2000) return fail(problem('parse.client.reviewLong'), 'review');
  const id = /^#(\d{1,9})(?:\s+(.*))?$/su.exec(t);
  if (id) {
    const note = (id[2] ?? '').trim();
    if (note === '') return fail(problem('parse.client.reviewNote', { id: id[1]! }), 'review');
    return { ok: true, command: { kind: 'review', readings: [{ ref: { id: Number(id[1]) }, note }], whole: { id: Number(id[1]) } } };
  }
  return { ok: true, command: { kind: 'review', readings: nameReadings(t).map((r) => ({ ref: r.ref, note: r.rest })), whole: { name: t } } };
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}
