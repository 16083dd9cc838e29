/**
 * Retention and look-alikes (SPEC §7): the card's review and fit lines, the quiet-client alert,
 * each owner's reviews digest, `/abc profile` and `/funnel`'s repeat business. Pure views.
 */
import type { FitAttribute, FitResult } from '../../../domain/fit.ts';
import { formatMoney } from '../../../domain/money.ts';
import type { AbcProfile, AttributeBreakdown, GroupProfile } from '../../../domain/profile.ts';
import type { RepeatShare, SegmentRetention } from '../../../domain/repeat.ts';
import type { MoneyTotal, NextReview, Rhythm } from '../../../domain/retention.ts';
import type { Segment } from '../../../domain/stages.ts';
import { clip, esc, plural, sectionsOf, user, type Message } from '../format.ts';
import { DEFAULT_LOCALE, formatDate, joinList, label, tr, type Locale } from '../../../i18n/index.ts';
import { isClientSize } from '../../../domain/fit.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pct0 = (x: number) => `${Math.round(x * 100)} %`;
/** Whole days as they are, a median between two as one decimal: 30, 30.5. */
const days = (n: number) => (Number.isInteger(n) ? plural(n, 'day') : `${n.toFixed(1)} days`);

const ATTRIBUTE_TEXT: Record<FitAttribute, string> = { industry: 'industry', region: 'region', size: 'size' };

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ── The card ────────────────────────────────────────────────────────────────────────────────

export interface LastReview {
  on: string;
  by: string;
  note: string;
}

/** `Last review:` and `Next review:` for the card; `today` in the workspace's zone. */
export function reviewLines(last: LastReview | null, next: NextReview, today: string, locale: Locale = DEFAULT_LOCALE): string[] {
  const m = tr(locale);
  const note = last?.note.trim() ? ` — _${esc(clip(last.note.trim(), 120))}_` : '';
  const lastLine = last ? m('card.lastReview', { date: formatDate(last.on, locale), user: user(last.by), note }) : m('card.noReview');
  const until = dayDiff(today, next.nextOn);
  const when = until > 0 ? m('card.reviewIn', { days: m('n.days', { n: until }) }) : until === 0 ? m('card.reviewToday') : m('card.reviewOverdue', { days: m('n.days', { n: -until }) });
  return [lastLine, m('card.nextReview', { date: formatDate(next.nextOn, locale), when, segment: label(locale, 'segment', next.segment), every: m('n.days', { n: next.everyDays }) })];
}

const attributeName = (a: FitAttribute, locale: Locale) => tr(locale)(`field.${a}`);
/** A recorded value as people read it: a size by its label, anything else as written. */
const attributeValue = (a: FitAttribute, v: string, locale: Locale) => (a === 'size' && isClientSize(v.toLowerCase()) ? label(locale, 'size', v.toLowerCase() as 'small') : esc(clip(v)));

/** `Fit: 72 (industry: logistics ↑, size: small ↓)` for a client at lead, qualified or proposal. */
export function fitLine(fit: FitResult, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (fit.kind) {
    case 'too-few':
      return m('card.fitTooFew', { n: fit.aCount, needed: fit.needed });
    case 'unknown':
      return m('card.fitUnknown', { attributes: joinList(locale, fit.missing.map((a) => attributeName(a, locale)), 'or') });
    case 'score': {
      if (fit.drivers.length === 0) return m('card.fitNeutral', { score: fit.score });
      const why = fit.drivers.map((d) => m('card.fitDriver', { attribute: attributeName(d.attribute, locale), value: attributeValue(d.attribute, d.value, locale), arrow: d.direction === 'up' ? '↑' : '↓' }));
      return m('card.fitScore', { score: fit.score, why: why.join(', ') });
    }
  }
}

// ── Going quiet ─────────────────────────────────────────────────────────────────────────────

export interface QuietClientView {
  clientId: number;
  name: string;
  ownerId: string;
  segment: Segment;
  rhythm: Rhythm;
  revenue12m: MoneyTotal[];
}

function revenueText(r: MoneyTotal[]): string {
  return r.length === 0 ? 'nothing invoiced in the last 12 months' : `last 12 months: ${r.map((m) => formatMoney(m.minor, m.currency)).join(' + ')}`;
}

function quietText(q: QuietClientView): string {
  const r = q.rhythm;
  return `no invoice for ${plural(r.daysSilent, 'day')}; it usually buys every ${days(r.usualGapDays)} (median gap over ${plural(r.invoiceDays, 'invoice day')}). Last invoice ${r.lastInvoiceOn} · ${revenueText(q.revenue12m)}`;
}

/** The alert to the owner and the sales channel, once per quiet spell. */
export function quietAlertMessage(q: QuietClientView): Message {
  const head = `:zzz: *${esc(q.name)}* (#${q.clientId}, ${q.segment}) has gone quiet`;
  const line = `${head}: ${quietText(q)} · owner ${user(q.ownerId)}`;
  return { text: `${q.name} has gone quiet: no invoice for ${plural(q.rhythm.daysSilent, 'day')}`, blocks: sectionsOf([line]) };
}

// ── The reviews digest ──────────────────────────────────────────────────────────────────────

export interface DueReviewView {
  clientId: number;
  name: string;
  segment: Segment;
  nextOn: string;
  overdueDays: number;
  /** Day of the last review, or null when never reviewed. */
  lastReviewOn: string | null;
}

const MAX_ROWS = 60;

/** One owner's digest: reviews due, then clients gone quiet (each quiet spell once). */
export function reviewsDigest(ownerId: string, due: readonly DueReviewView[], quiet: readonly QuietClientView[]): Message {
  const lines: string[] = [];
  const head = due.length > 0 ? `:calendar: ${user(ownerId)}, *client reviews due* (${due.length})` : `:calendar: ${user(ownerId)}, no client reviews are due.`;
  lines.push(head);
  for (const r of due.slice(0, MAX_ROWS))
    lines.push(
      `• *${esc(r.name)}* (#${r.clientId}, ${r.segment}) — due ${r.nextOn}${r.overdueDays > 0 ? `, *${plural(r.overdueDays, 'day')} overdue*` : ', today'} · ${r.lastReviewOn ? `last review ${r.lastReviewOn}` : 'never reviewed'}`,
    );
  if (due.length > MAX_ROWS) lines.push(`_…and ${due.length - MAX_ROWS} more._`);
  if (due.length > 0) lines.push('_Log one with `/client review <client> <note>`._');
  if (quiet.length > 0) {
    lines.push(`:zzz: *Gone quiet* (${quiet.length})`);
    for (const q of quiet.slice(0, MAX_ROWS)) lines.push(`• *${esc(q.name)}* (#${q.clientId}, ${q.segment}) — ${quietText(q)}`);
    if (quiet.length > MAX_ROWS) lines.push(`_…and ${quiet.length - MAX_ROWS} more._`);
  }
  const text = [due.length > 0 ? `${plural(due.length, 'client review')} due` : 'No client reviews due', ...(quiet.length > 0 ? [`${plural(quiet.length, 'client')} gone quiet`] : [])].join(', ');
  return { text, blocks: sectionsOf(lines).slice(0, 50) };
}

// ── /abc profile ────────────────────────────────────────────────────────────────────────────

const TOP_VALUES = 5;

function breakdownText(b: AttributeBreakdown): string {
  if (b.values.length === 0) return '–';
  const shown = b.values.slice(0, TOP_VALUES).map((v) => `${esc(clip(v.value))} ${pct0(v.share)}`);
  const more = b.values.length > TOP_VALUES ? `, ${plural(b.values.length - TOP_VALUES, 'other')}` : '';
  return `${shown.join(', ')}${more}${b.unknown > 0 ? ` (${b.unknown} not recorded)` : ''}`;
}

function medianInvoiceText(g: GroupProfile, base: string): string {
  return g.medianInvoiceMinor === null ? '–' : `${formatMoney(g.medianInvoiceMinor, base)} (${plural(g.invoices, 'invoice')})`;
}

function termsText(g: GroupProfile): string {
  return g.medianNetDays === null ? '–' : `net ${days(g.medianNetDays)}`;
}

/** `/abc profile`: what the A clients have in common, against the rest. */
export function abcProfileMessage(p: AbcProfile): Message {
  const lines = [
    `*Segment A against the rest* · ${plural(p.a.clients, 'A client')}, ${plural(p.rest.clients, 'other client')}`,
    ...(['industry', 'region', 'size'] as const).flatMap((a) => [`*${ATTRIBUTE_TEXT[a][0]!.toUpperCase()}${ATTRIBUTE_TEXT[a].slice(1)}*`, `• A: ${breakdownText(p.a.attributes[a])}`, `• rest: ${breakdownText(p.rest.attributes[a])}`]),
    `*Median invoice* · A: ${medianInvoiceText(p.a, p.baseCurrency)} · rest: ${medianInvoiceText(p.rest, p.baseCurrency)}`,
    `*Usual payment terms* · A: ${termsText(p.a)} · rest: ${termsText(p.rest)}`,
    `_Shares are of the clients with the attribute recorded; amounts in ${p.baseCurrency}._`,
    ...(p.unconvertible.length > 0 ? [`:warning: Left out, no exchange rate in the policy: ${p.unconvertible.join(', ')}.`] : []),
  ];
  return { text: `Segment A: ${plural(p.a.clients, 'client')}; the rest: ${p.rest.clients}`, blocks: sectionsOf(lines) };
}

// ── /funnel: repeat business ────────────────────────────────────────────────────────────────

/** Lines for the funnel message: repeat business and retention per segment. */
export function repeatBusinessLines(share: RepeatShare, retention: readonly SegmentRetention[], locale: 'en' | 'bg' = 'en'): string[] {
  if (locale === 'bg') {
    const head =
      share.share === null
        ? '*Повторни продажби* · няма спечелени сделки за периода'
        : `*Повторни продажби* · ${pct(share.share)} от спечелените сделки са от настоящи клиенти (${share.fromExisting} от ${share.won})`;
    return [
      head,
      ...retention.map(
        (r) =>
          `• ${r.segment}: ${r.rate === null ? 'няма клиенти с продажби в предходния период' : `задържани ${r.retained} от ${r.previous} ${r.previous === 1 ? 'клиент' : 'клиента'} (${pct(r.rate)})`}${r.newClients > 0 ? ` · ${r.newClients} нови` : ''}`,
      ),
    ];
  }
  const head =
    share.share === null
      ? '*Repeat business* · no deals won in the period'
      : `*Repeat business* · ${pct(share.share)} of won deals from existing clients (${share.fromExisting} of ${share.won})`;
  return [
    head,
    ...retention.map(
      (r) => `• ${r.segment}: ${r.rate === null ? 'no clients with sales in the previous period' : `${r.retained} of ${plural(r.previous, 'client')} kept (${pct(r.rate)})`}${r.newClients > 0 ? ` · ${r.newClients} new` : ''}`,
    ),
  ];
}
