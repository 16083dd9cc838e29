import { majorToMinor, type Segment } from '../../../domain/index.ts';
import { repeatBusinessLines } from './retention.ts';
import { ABC_CRITERIA, type AbcCriterion } from '../../../domain/abc.ts';
import { DEFAULT_LOCALE, formatDate, formatDecimal, formatMoney, label, t, tr, type Locale } from '../../../i18n/index.ts';
import { PIPELINE_STAGES } from '../../../domain/funnel.ts';
import type { Loyalty } from '../../../policy.ts';
import type { SnapshotRow } from '../../../repos/analytics.ts';
import type { AbcSummary, SegmentChange } from '../../../services/analytics.ts';
import type { FunnelResult, PeriodName } from '../../../services/funnel.ts';
import type { ChartUpload } from '../../../charts/spec.ts';
import { esc, loyaltyWord, sectionsOf, user, type Message } from '../format.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pctIn = (x: number, locale: Locale) => formatDecimal(pct(x), locale);

/** A criterion as the ABC table's head names it: "sales volume", „обем на продажбите“. */
const criterionText = (c: AbcCriterion, locale: Locale) => t(locale, `abc.criterion.${c}`);

export function abcTable(s: AbcSummary, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const d = (x: string) => formatDate(x, locale);
  const head = m('abc.head', { criterion: criterionText(s.by, locale), from: d(s.period.from), to: d(s.period.to), clients: m('n.clients', { n: s.clientsWithSales }) });
  const lines = [
    head,
    ...s.segments.map((g) =>
      m('abc.segmentLine', {
        segment: g.segment,
        clients: m('n.clients', { n: g.clients }),
        share: pctIn(g.share, locale),
        of: s.by === 'combined' ? m('abc.score') : criterionText(s.by, locale),
        top: g.top.length > 0 ? m('abc.top', { names: g.top.map(esc).join(', ') }) : '',
      }),
    ),
    m('abc.legend', { a: pctIn(s.thresholds.a, locale), b: pctIn(s.thresholds.b, locale), currency: s.baseCurrency }),
    ...(s.unconvertible.length > 0 ? [m('abc.unconvertible', { list: s.unconvertible.join(', ') })] : []),
  ];
  return { text: m('abc.text', { by: label(locale, 'criterion', s.by), counts: s.segments.map((g) => `${g.segment} ${g.clients}`).join(', ') }), blocks: sectionsOf(lines) };
}

function figuresText(f: SegmentChange['figures'], locale: Locale): string {
  const m = tr(locale);
  const money = (minor: number) => formatMoney(minor, f.baseCurrency, locale);
  return m('abc.figures', {
    criterion: criterionText(f.criterion, locale),
    revenue: money(f.revenueMinor),
    margin: money(f.marginMinor),
    lines: m('n.productLines', { n: f.assortment }),
    days: formatDecimal(f.daysLate.toFixed(1), locale),
    share: pctIn(f.share, locale),
  });
}

export function segmentChangesMessage(changes: SegmentChange[], forOwner?: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const head = forOwner ? m('segments.headOwner', { n: changes.length }) : m('segments.head', { n: changes.length });
  const lines = [
    head,
    ...changes.slice(0, 60).map((c) => m('segments.line', { name: esc(c.name), from: c.from ?? '–', to: c.to, owner: forOwner ? '' : ` · ${user(c.ownerId)}`, figures: figuresText(c.figures, locale) })),
  ];
  if (changes.length > 60) lines.push(m('list.more', { n: changes.length - 60 }));
  return { text: head.replace(/\*/g, ''), blocks: sectionsOf(lines) };
}

/** The card's `Segment:` line's reason. */
export function segmentWhy(s: SnapshotRow | undefined, locale: Locale = DEFAULT_LOCALE): string | undefined {
  if (!s) return undefined;
  const criterion = (ABC_CRITERIA as readonly string[]).includes(s.criterion) ? label(locale, 'criterion', s.criterion as AbcCriterion) : s.criterion;
  return t(locale, 'segmentWhy', {
    criterion,
    from: formatDate(s.periodFrom, locale),
    to: formatDate(s.periodTo, locale),
    revenue: formatMoney(s.revenueMinor, s.baseCurrency, locale),
    share: pctIn(s.share, locale),
    rank: s.rank,
  });
}

export function loyaltyLine(segment: Segment | null, l: Loyalty, baseCurrency: string, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  return [
    m('loyalty.terms', { segment: segment ? label(locale, 'segment', segment) : m('loyalty.noSegment'), pct: formatDecimal(String(l.maxDiscountPct), locale) }),
    m('net', { days: m('n.days', { n: l.netDays }) }),
    m('loyalty.creditLimit', { amount: formatMoney(majorToMinor(l.creditLimit, baseCurrency), baseCurrency, locale) }),
    l.prepayment ? m('loyalty.prepayment') : m('loyalty.noPrepayment'),
    ...(l.perks.length > 0 ? [m('loyalty.perks', { perks: l.perks.map((p) => esc(loyaltyWord(p, locale))).join(', ') })] : []),
    loyaltyWord(l.reviewCadence, locale),
  ].join(' · ');
}

/** A funnel's period in the reader's words. */
export function periodText(p: PeriodName, locale: Locale = DEFAULT_LOCALE): string {
  switch (p.kind) {
    case '30d':
    case '90d':
      return t(locale, `period.${p.kind}`);
    case 'quarter':
      return t(locale, 'period.quarter', { quarter: p.quarter, year: p.year });
    case 'year':
      return t(locale, 'period.year', { year: p.year });
  }
}

export function funnelMessage(r: FunnelResult, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const { report, forecast } = r;
  const base = report.baseCurrency;
  const money = (minor: number) => formatMoney(minor, base, locale);
  const rate = (x: number | null) => (x === null ? '–' : pctIn(x, locale));
  const stage = (s: (typeof PIPELINE_STAGES)[number]) => label(locale, 'stage', s);
  const period = periodText(r.period, locale);
  // The forecast also names the currencies of invoices it could not convert.
  const unconvertible = [...new Set([...report.unconvertible, ...forecast.unconvertible])].sort();
  const stageLines = PIPELINE_STAGES.map((s, i) => {
    const f = report.stages[s];
    const conv = i > 0 ? report.conversions[i - 1]?.rate : undefined;
    return m('funnel.stageLine', {
      stage: stage(s),
      reached: f.reached,
      conv: conv !== undefined && conv !== null ? m('funnel.conv', { pct: pctIn(conv, locale), prev: stage(PIPELINE_STAGES[i - 1]!) }) : '',
      count: f.currentCount,
      value: money(f.currentValueMinor),
      avg: f.avgDaysInStage !== null ? m('funnel.avg', { days: formatDecimal(f.avgDaysInStage.toFixed(1), locale) }) : '',
    });
  });
  const owners = Object.entries(report.byOwner)
    .sort((a, b) => b[1].openValueMinor - a[1].openValueMinor)
    .slice(0, 12)
    .map(([o, f]) => m('funnel.ownerLine', { user: user(o), leads: f.stages.lead.reached, won: f.won, lost: f.lost, rate: rate(f.winRate), open: money(f.openValueMinor) }));
  const months = Object.entries(forecast.months)
    .slice(0, 6)
    .map(([month, v]) => m('funnel.monthLine', { month: locale === 'bg' ? month.replace(/^(\d{4})-(\d{2})$/, '$2.$1') : month, deals: money(v.weightedDealsMinor), invoices: money(v.invoicesMinor) }));
  const lines = [
    m('funnel.head', { period, owner: r.owner ? ` · ${user(r.owner)}` : '' }),
    ...stageLines,
    m('funnel.winRate', {
      rate: rate(report.winRate),
      won: report.won,
      lost: report.lost,
      open: money(report.openValueMinor),
      weighted: money(report.weightedOpenValueMinor),
      unvalued: report.unvalued > 0 ? m('funnel.unvalued', { deals: m('n.deals', { n: report.unvalued }) }) : '',
    }),
    ...repeatBusinessLines(r.repeat.share, r.repeat.retention, locale),
    ...(owners.length > 1 || !r.owner ? [m('funnel.byOwner'), ...owners] : []),
    m('funnel.forecast'),
    ...months,
    ...(forecast.unplaced.count > 0 ? [m('funnel.unplaced', { n: forecast.unplaced.count })] : []),
    ...(unconvertible.length > 0 ? [m('funnel.noRate', { list: unconvertible.join(', ') })] : []),
  ];
  return { text: m('funnel.text', { period, rate: rate(report.winRate) }), blocks: sectionsOf(lines).slice(0, 50) };
}

/** The ABC table's Pareto chart, counting the clients the table counts (those without sales are C). */
export function abcChart(s: AbcSummary, locale: Locale = DEFAULT_LOCALE): ChartUpload {
  const segments = { A: { clients: 0, share: 0 }, B: { clients: 0, share: 0 }, C: { clients: 0, share: 0 } };
  for (const g of s.segments) segments[g.segment] = { clients: g.clients, share: g.share };
  return {
    text: abcTable(s, locale).text,
    chart: {
      kind: 'pareto',
      rows: s.pareto.rows,
      ...(s.pareto.others ? { others: s.pareto.others } : {}),
      segments,
      title: t(locale, 'chart.abcTitle', { by: label(locale, 'criterion', s.by), from: formatDate(s.period.from, locale), to: formatDate(s.period.to, locale) }),
      criterion: label(locale, 'criterion', s.by),
      thresholds: s.thresholds,
      locale,
    },
    filename: `abc-${s.by}-${s.period.to}.png`,
    title: t(locale, 'chart.abcUpload', { by: label(locale, 'criterion', s.by) }),
  };
}

/** The funnel message's chart: deals that reached each stage, their value now, and the conversions. */
export function funnelChart(r: FunnelResult, locale: Locale = DEFAULT_LOCALE): ChartUpload {
  const stages = PIPELINE_STAGES.map((s) => ({ stage: s, label: label(locale, 'stage', s), reached: r.report.stages[s].reached, valueMinor: r.report.stages[s].currentValueMinor }));
  // The period ends just after the moment it was asked for; its last day names the file.
  const day = new Date(r.report.period.to - 1).toISOString().slice(0, 10);
  return {
    text: funnelMessage(r, locale).text,
    chart: { kind: 'funnel', stages, title: t(locale, 'chart.funnelTitle', { period: periodText(r.period, locale) }), conversions: [null, ...r.report.conversions.map((c) => c.rate)], locale },
    filename: `funnel-${day}.png`,
    title: t(locale, 'chart.funnelUpload'),
  };
}
