import { majorToMinor, type Segment } from '../../../domain/index.ts';
import { ABC_CRITERIA, type AbcCriterion } from '../../../domain/abc.ts';
import { DEFAULT_LOCALE, formatDate, formatDecimal, formatMoney, label, t, tr, type Locale } from '../../../i18n/index.ts';
import { PIPELINE_STAGES } from '../../../domain/funnel.ts';
import type { Loyalty } from '../../../policy.ts';
import type { SnapshotRow } from '../../../repos/analytics.ts';
import type { AbcSummary, SegmentChange } from '../../../services/analytics.ts';
import type { FunnelResult } from '../../../services/funnel.ts';
import type { ChartUpload } from '../../../charts/spec.ts';
import { esc, plural, sectionsOf, user, type Message } from '../format.ts';

const CRITERION_TEXT = { revenue: 'sales volume', margin: 'profitability (margin)', assortment: 'assortment (product lines)', discipline: 'payment discipline', combined: 'combined score' } as const;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pctIn = (x: number, locale: Locale) => formatDecimal(pct(x), locale);

export function abcTable(s: AbcSummary, locale: Locale = DEFAULT_LOCALE): Message {
  const head = `*ABC by ${CRITERION_TEXT[s.by]}* · invoices issued ${s.period.from} – ${s.period.to} · ${plural(s.clientsWithSales, 'client')} with sales`;
  const lines = [
    head,
    ...s.segments.map((g) => `*${g.segment}* · ${plural(g.clients, 'client')} · ${pct(g.share)} of the ${s.by === 'combined' ? 'score' : CRITERION_TEXT[s.by]}${g.top.length > 0 ? ` · top: ${g.top.map(esc).join(', ')}` : ''}`),
    `_A: the clients that make the first ${pct(s.thresholds.a)}; B: up to ${pct(s.thresholds.b)}; C: the rest and clients with no sales in the period. Amounts in ${s.baseCurrency}._`,
    ...(s.unconvertible.length > 0 ? [`:warning: Left out, no exchange rate in the policy: ${s.unconvertible.join(', ')}.`] : []),
  ];
  return { text: `ABC by ${s.by}: ${s.segments.map((g) => `${g.segment} ${g.clients}`).join(', ')}`, blocks: sectionsOf(lines) };
}

function figuresText(f: SegmentChange['figures']): string {
  return `${CRITERION_TEXT[f.criterion]}: revenue ${formatMoney(f.revenueMinor, f.baseCurrency)}, margin ${formatMoney(f.marginMinor, f.baseCurrency)}, ${plural(f.assortment, 'product line')}, ${f.daysLate.toFixed(1)} days late on average, ${pct(f.share)} share`;
}

export function segmentChangesMessage(changes: SegmentChange[], forOwner?: string, locale: Locale = DEFAULT_LOCALE): Message {
  const head = forOwner ? `:chart_with_upwards_trend: Segment changes among your clients (${changes.length})` : `:chart_with_upwards_trend: *Segment changes* (${changes.length})`;
  const lines = [head, ...changes.slice(0, 60).map((c) => `• *${esc(c.name)}*: ${c.from ?? '–'} → *${c.to}*${forOwner ? '' : ` · ${user(c.ownerId)}`} — ${figuresText(c.figures)}`)];
  if (changes.length > 60) lines.push(`_…and ${changes.length - 60} more._`);
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
    ...(l.perks.length > 0 ? [m('loyalty.perks', { perks: l.perks.map(esc).join(', ') })] : []),
    l.reviewCadence,
  ].join(' · ');
}

export function funnelMessage(r: FunnelResult, locale: Locale = DEFAULT_LOCALE): Message {
  const { report, forecast } = r;
  const base = report.baseCurrency;
  // The forecast also names the currencies of invoices it could not convert.
  const unconvertible = [...new Set([...report.unconvertible, ...forecast.unconvertible])].sort();
  const stageLines = PIPELINE_STAGES.map((s, i) => {
    const f = report.stages[s];
    const conv = i > 0 ? report.conversions[i - 1]?.rate : undefined;
    return `• *${s}* — reached ${f.reached}${conv !== undefined && conv !== null ? ` (${pct(conv)} from ${PIPELINE_STAGES[i - 1]})` : ''} · now ${f.currentCount} worth ${formatMoney(f.currentValueMinor, base)}${f.avgDaysInStage !== null ? ` · ${f.avgDaysInStage.toFixed(1)} days on average` : ''}`;
  });
  const owners = Object.entries(report.byOwner)
    .sort((a, b) => b[1].openValueMinor - a[1].openValueMinor)
    .slice(0, 12)
    .map(([o, f]) => `• ${user(o)} · leads ${f.stages.lead.reached} · won ${f.won} · lost ${f.lost} · win rate ${f.winRate === null ? '–' : pct(f.winRate)} · open ${formatMoney(f.openValueMinor, base)}`);
  const months = Object.entries(forecast.months)
    .slice(0, 6)
    .map(([m, v]) => `• ${m}: deals ${formatMoney(v.weightedDealsMinor, base)} (weighted) + invoices ${formatMoney(v.invoicesMinor, base)}`);
  const lines = [
    `*Funnel* · ${r.label}${r.owner ? ` · ${user(r.owner)}` : ''}`,
    ...stageLines,
    `*Win rate* ${report.winRate === null ? '–' : pct(report.winRate)} (${report.won} won, ${report.lost} lost) · open ${formatMoney(report.openValueMinor, base)}, weighted ${formatMoney(report.weightedOpenValueMinor, base)}${report.unvalued > 0 ? ` · ${plural(report.unvalued, 'deal')} without a value` : ''}`,
    ...(owners.length > 1 || !r.owner ? ['*By owner*', ...owners] : []),
    '*Cash-in forecast*',
    ...months,
    ...(forecast.unplaced.count > 0 ? [`_${plural(forecast.unplaced.count, 'open deal')} ${forecast.unplaced.count === 1 ? 'has' : 'have'} no value or expected close date and ${forecast.unplaced.count === 1 ? 'is' : 'are'} not placed._`] : []),
    ...(unconvertible.length > 0 ? [`:warning: No exchange rate for ${unconvertible.join(', ')}.`] : []),
  ];
  return { text: `Funnel for ${r.label}: win rate ${report.winRate === null ? '–' : pct(report.winRate)}`, blocks: sectionsOf(lines).slice(0, 50) };
}

/** The ABC table's Pareto chart, counting the clients the table counts (those without sales are C). */
export function abcChart(s: AbcSummary, locale: Locale = DEFAULT_LOCALE): ChartUpload {
  const segments = { A: { clients: 0, share: 0 }, B: { clients: 0, share: 0 }, C: { clients: 0, share: 0 } };
  for (const g of s.segments) segments[g.segment] = { clients: g.clients, share: g.share };
  return {
    text: abcTable(s).text,
    chart: {
      kind: 'pareto',
      rows: s.pareto.rows,
      ...(s.pareto.others ? { others: s.pareto.others } : {}),
      segments,
      title: `ABC by ${s.by}, ${s.period.from} – ${s.period.to}`,
      criterion: s.by,
      thresholds: s.thresholds,
    },
    filename: `abc-${s.by}-${s.period.to}.png`,
    title: `Pareto: clients by ${s.by}`,
  };
}

/** The funnel message's chart: deals that reached each stage, their value now, and the conversions. */
export function funnelChart(r: FunnelResult, locale: Locale = DEFAULT_LOCALE): ChartUpload {
  const stages = PIPELINE_STAGES.map((s) => ({ stage: s, reached: r.report.stages[s].reached, valueMinor: r.report.stages[s].currentValueMinor }));
  // The period ends just after the moment it was asked for; its last day names the file.
  const day = new Date(r.report.period.to - 1).toISOString().slice(0, 10);
  return {
    text: funnelMessage(r).text,
    chart: { kind: 'funnel', stages, title: `Sales funnel, ${r.label}`, conversions: [null, ...r.report.conversions.map((c) => c.rate)] },
    filename: `funnel-${day}.png`,
    title: 'Sales funnel',
  };
}
