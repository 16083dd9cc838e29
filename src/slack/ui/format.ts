import type { types } from '@slack/bolt';
import { localDate, localDateTime } from '../../domain/dates.ts';
import { convertAtChangeover, DEFAULT_CHANGEOVER, openBalance, type Changeover } from '../../domain/euro.ts';
import { DEFAULT_CHECKLISTS } from '../../domain/delivery.ts';
import { LOYALTY_DEFAULTS } from '../../policy.ts';
import { DEFAULT_LOCALE, formatDateTime, formatDate, formatDecimal, formatMoney, t as translate, type Locale, type MessageKey } from '../../i18n/index.ts';

/** What every message builder returns: the notification text and the blocks. */
export interface Message {
  text: string;
  blocks: types.KnownBlock[];
}

export function money(t: { amountMinor: number; currency: string }, locale: Locale = DEFAULT_LOCALE): string {
  return formatMoney(t.amountMinor, t.currency, locale);
}

/**
 * An amount as issued; in the changeover's `from` (BGN) with its `to` equivalent by the rule
 * (SPEC §5: a BGN document keeps its BGN figures and shows its EUR equivalent), `BGN 1,000.00 (€511.29)`.
 */
export function moneyWithEquivalent(t: { amountMinor: number; currency: string }, locale: Locale = DEFAULT_LOCALE, co: Changeover = DEFAULT_CHANGEOVER): string {
  const own = formatMoney(t.amountMinor, t.currency, locale);
  return t.currency === co.from ? `${own} (${formatMoney(convertAtChangeover(t.amountMinor, co), co.to, locale)})` : own;
}

/** What an invoice owes as of `today`, in the currency it is owed in that day: a BGN invoice's balance in EUR from the changeover (SPEC §5). */
export function owedOn(i: { amountMinor: number; paidMinor: number; currency: string }, today: string, co: Changeover = DEFAULT_CHANGEOVER): { minor: number; currency: string } {
  const b = openBalance({ currency: i.currency, amountMinor: i.amountMinor, paidMinor: Math.min(i.paidMinor, i.amountMinor) }, today, co);
  return { minor: Math.max(0, b.minor), currency: b.currency };
}

/** Amounts summed per currency, `€750.00 + $20.00`, in the order each currency first comes. */
export function totalsText(amounts: Iterable<{ minor: number; currency: string }>, locale: Locale = DEFAULT_LOCALE): string {
  const totals = new Map<string, number>();
  for (const a of amounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.minor);
  return [...totals].map(([c, m]) => formatMoney(m, c, locale)).join(' + ');
}

/** How a surface shows things to people: the workspace's time zone, and the reader's language (`en` unless told). */
export interface Fmt {
  tz: string;
  locale?: Locale;
}

/** The reader's language of a surface. */
export function loc(f: Fmt | undefined): Locale {
  return f?.locale ?? DEFAULT_LOCALE;
}

export function fmtDate(f: Fmt, ms: number): string {
  return formatDate(localDate(ms, f.tz), loc(f));
}

export function fmtDateTime(f: Fmt, ms: number): string {
  return formatDateTime(localDateTime(ms, f.tz), loc(f));
}

/** Whole days as a count (`1 day`, `21 дни`), a median between two with one decimal (`30.5 days`, `30,5 дни`). */
export function daysText(n: number, locale: Locale = DEFAULT_LOCALE): string {
  return Number.isInteger(n) ? translate(locale, 'n.days', { n }) : translate(locale, 'n.daysDecimal', { n: formatDecimal(n.toFixed(1), locale) });
}

export function user(id: string): string {
  return `<@${id}>`;
}

/** Text we show inside mrkdwn must not become markup or a mention (names, reasons, contacts). */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Slack's Block Kit limit for a section's text is 3,000 characters. */
export const SECTION_LIMIT = 3000;

/** Pack lines into section blocks that each stay within Slack's limit. */
export function sectionsOf(lines: string[]): { type: 'section'; text: { type: 'mrkdwn'; text: string } }[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines) {
    const l = line.length > SECTION_LIMIT - 10 ? `${line.slice(0, SECTION_LIMIT - 11)}…` : line;
    if (cur !== '' && cur.length + 1 + l.length > SECTION_LIMIT - 10) {
      out.push(cur);
      cur = l;
    } else cur = cur === '' ? l : `${cur}\n${l}`;
  }
  if (cur !== '') out.push(cur);
  return out.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** Cut text people typed to `n` characters (code points, so an emoji is never split), with an ellipsis. */
export function clip(s: string, n = 40): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}

const DEFAULT_TASK_KEYS = new Map<string, MessageKey>([
  ['Dispatch and logistics', 'task.dispatch'],
  ['Delivery note', 'task.delivery-note'],
  ['Acceptance by the buyer', 'task.acceptance.goods'],
  ['Hand-off to the service unit', 'task.handoff'],
  ['Service rendered', 'task.rendered'],
  ['Acceptance protocol', 'task.acceptance.services'],
  ['Invoice', 'task.invoice'],
]);
// Every default step (domain DEFAULT_CHECKLISTS) has its words in the catalog.
for (const steps of Object.values(DEFAULT_CHECKLISTS)) for (const s of steps) if (!DEFAULT_TASK_KEYS.has(s.title)) throw new Error(`no catalog words for the delivery step "${s.title}"`);

/** A delivery step's title: the default checklist's in the reader's words, a policy's own as written. */
export function taskTitle(t: { title: string }, locale: Locale = DEFAULT_LOCALE): string {
  const key = DEFAULT_TASK_KEYS.get(t.title);
  return key ? translate(locale, key as 'task.invoice') : t.title;
}

const DEFAULT_LOYALTY_KEYS = new Map<string, MessageKey>([
  ['dedicated account manager', 'loyaltyWord.accountManager'],
  ['early access to new lines', 'loyaltyWord.earlyAccess'],
  ['loyalty newsletter', 'loyaltyWord.newsletter'],
  ['quarterly business review', 'loyaltyWord.quarterlyReview'],
  ['half-yearly review', 'loyaltyWord.halfYearlyReview'],
  ['yearly review', 'loyaltyWord.yearlyReview'],
]);
// Every default perk and review cadence (policy LOYALTY_DEFAULTS) has its words in the catalog.
for (const l of Object.values(LOYALTY_DEFAULTS)) for (const w of [...l.perks, l.reviewCadence]) if (!DEFAULT_LOYALTY_KEYS.has(w)) throw new Error(`no catalog words for the default loyalty text "${w}"`);

/** A perk or review cadence: the default policy's in the reader's words, a company's own as written. */
export function loyaltyWord(text: string, locale: Locale = DEFAULT_LOCALE): string {
  const key = DEFAULT_LOYALTY_KEYS.get(text);
  return key ? translate(locale, key as 'loyaltyWord.yearlyReview') : text;
}
