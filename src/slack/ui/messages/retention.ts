/**
 * Retention and look-alikes (SPEC §7): the card's review and fit lines, the quiet-client alert,
 * each owner's reviews digest, `/abc profile` and `/funnel`'s repeat business. Pure views.
 */
import type { FitAttribute, FitResult } from '../../../domain/fit.ts';
import type { AbcProfile, AttributeBreakdown, GroupProfile } from '../../../domain/profile.ts';
import type { RepeatShare, SegmentRetention } from '../../../domain/repeat.ts';
import type { MoneyTotal, NextReview, Rhythm } from '../../../domain/retention.ts';
import type { Segment } from '../../../domain/stages.ts';
import { clip, daysText, esc, sectionsOf, user, type Message } from '../format.ts';
import { DEFAULT_LOCALE, formatDate, formatDecimal, formatMoney, joinList, label, tr, type Locale } from '../../../i18n/index.ts';
import { isClientSize } from '../../../domain/fit.ts';

const pct = (x: number, locale: Locale) => `${formatDecimal((x * 100).toFixed(1), locale)} %`;
const pct0 = (x: number) => `${Math.round(x * 100)} %`;
const days = daysText;

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

function revenueText(r: MoneyTotal[], locale: Locale): string {
  const m = tr(locale);
  return r.length === 0 ? m('quiet.revenueNone') : m('quiet.revenue', { amounts: r.map((x) => formatMoney(x.minor, x.currency, locale)).join(' + ') });
}

function quietText(q: QuietClientView, locale: Locale): string {
  const r = q.rhythm;
  return tr(locale)('quiet.why', { days: tr(locale)('n.days', { n: r.daysSilent }), gap: days(r.usualGapDays, locale), invoiceDays: r.invoiceDays, last: formatDate(r.lastInvoiceOn, locale), revenue: revenueText(q.revenue12m, locale) });
}

/** The alert to the owner and the sales channel, once per quiet spell. */
export function quietAlertMessage(q: QuietClientView, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const line = m('quiet.alert', { name: esc(q.name), id: q.clientId, segment: label(locale, 'segment', q.segment), why: quietText(q, locale), user: user(q.ownerId) });
  return { text: m('quiet.alertText', { name: q.name, days: m('n.days', { n: q.rhythm.daysSilent }) }), blocks: sectionsOf([line]) };
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
export function reviewsDigest(ownerId: string, due: readonly DueReviewView[], quiet: readonly QuietClientView[], locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines: string[] = [];
  lines.push(due.length > 0 ? m('reviews.head', { user: user(ownerId), n: due.length }) : m('reviews.headNone', { user: user(ownerId) }));
  for (const r of due.slice(0, MAX_ROWS))
    lines.push(
      m('reviews.line', {
        name: esc(r.name),
        id: r.clientId,
        segment: label(locale, 'segment', r.segment),
        due: formatDate(r.nextOn, locale),
        late: r.overdueDays > 0 ? m('home.reviewLate', { days: m('n.days', { n: r.overdueDays }) }) : m('reviews.today'),
        last: r.lastReviewOn ? m('home.lastReview', { date: formatDate(r.lastReviewOn, locale) }) : m('home.neverReviewed'),
      }),
    );
  if (due.length > MAX_ROWS) lines.push(m('list.more', { n: due.length - MAX_ROWS }));
  if (due.length > 0) lines.push(`_${m('home.reviewHint')}_`);
  if (quiet.length > 0) {
    lines.push(m('reviews.quietHead', { n: quiet.length }));
    for (const q of quiet.slice(0, MAX_ROWS)) lines.push(m('reviews.quietLine', { name: esc(q.name), id: q.clientId, segment: label(locale, 'segment', q.segment), why: quietText(q, locale) }));
    if (quiet.length > MAX_ROWS) lines.push(m('list.more', { n: quiet.length - MAX_ROWS }));
  }
  const text = [due.length > 0 ? m('reviews.textDue', { n: due.length }) : m('reviews.textNone'), ...(quiet.length > 0 ? [m('reviews.textQuiet', { n: quiet.length })] : [])].join(', ');
  return { text, blocks: sectionsOf(lines).slice(0, 50) };
}

// ── /abc profile ────────────────────────────────────────────────────────────────────────────

const TOP_VALUES = 5;

function breakdownText(b: AttributeBreakdown, a: FitAttribute, locale: Locale): string {
  const m = tr(locale);
  if (b.values.length === 0) return m('none');
  const shown = b.values.slice(0, TOP_VALUES).map((v) => `${attributeValue(a, v.value, locale)} ${pct0(v.share)}`);
  const more = b.values.length > TOP_VALUES ? m('profile.others', { n: b.values.length - TOP_VALUES }) : '';
  return `${shown.join(', ')}${more}${b.unknown > 0 ? m('profile.notRecorded', { n: b.unknown }) : ''}`;
}

function medianInvoiceText(g: GroupProfile, base: string, locale: Locale): string {
  return g.medianInvoiceMinor === null ? tr(locale)('none') : tr(locale)('profile.medianInvoice', { amount: formatMoney(g.medianInvoiceMinor, base, locale), n: g.invoices });
}

function termsText(g: GroupProfile, locale: Locale): string {
  return g.medianNetDays === null ? tr(locale)('none') : tr(locale)('net', { days: days(g.medianNetDays, locale) });
}

/** A field's name as a line's head: `Industry`, `Отрасъл`. */
const title = (s: string, locale: Locale) => `${s.slice(0, 1).toLocaleUpperCase(INTL_TAG[locale])}${s.slice(1)}`;
const INTL_TAG: Record<Locale, string> = { en: 'en', bg: 'bg' };

/** `/abc profile`: what the A clients have in common, against the rest. */
export function abcProfileMessage(p: AbcProfile, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines = [
    m('profile.head', { a: p.a.clients, rest: p.rest.clients }),
    ...(['industry', 'region', 'size'] as const).flatMap((a) => [`*${title(attributeName(a, locale), locale)}*`, m('profile.a', { text: breakdownText(p.a.attributes[a], a, locale) }), m('profile.rest', { text: breakdownText(p.rest.attributes[a], a, locale) })]),
    m('profile.median', { a: medianInvoiceText(p.a, p.baseCurrency, locale), rest: medianInvoiceText(p.rest, p.baseCurrency, locale) }),
    m('profile.terms', { a: termsText(p.a, locale), rest: termsText(p.rest, locale) }),
    m('profile.note', { currency: p.baseCurrency }),
    ...(p.unconvertible.length > 0 ? [m('abc.unconvertible', { list: p.unconvertible.join(', ') })] : []),
  ];
  return { text: m('profile.text', { a: p.a.clients, rest: p.rest.clients }), blocks: sectionsOf(lines) };
}

/** The answer while the profile is worked out. */
export function profileWorking(locale: Locale = DEFAULT_LOCALE): string {
  return tr(locale)('profile.working');
}

// ── /funnel: repeat business ────────────────────────────────────────────────────────────────

/** Lines for the funnel message: repeat business and retention per segment. */
export function repeatBusinessLines(share: RepeatShare, retention: readonly SegmentRetention[], locale: Locale = DEFAULT_LOCALE): string[] {
  const m = tr(locale);
  const head = share.share === null ? m('repeat.headNone') : m('repeat.head', { pct: pct(share.share, locale), existing: share.fromExisting, won: share.won });
  return [
    head,
    ...retention.map((r) =>
      m('repeat.line', {
        segment: label(locale, 'segment', r.segment),
        what: r.rate === null ? m('repeat.noPrevious') : m('repeat.kept', { retained: r.retained, previous: r.previous, pct: pct(r.rate, locale) }),
        new: r.newClients > 0 ? m('repeat.new', { n: r.newClients }) : '',
      }),
    ),
  ];
}
