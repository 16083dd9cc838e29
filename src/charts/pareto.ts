/**
 * The ABC (Pareto) chart of clients: one bar per client's share of the criterion, largest first,
 * coloured by segment, with the cumulative share as a line on a right-hand 0–100 % axis, the A/B
 * and B/C cut-offs as labelled rules, and the A/B/C runs of clients shaded behind the bars.
 *
 * Any number of clients: the `top` (40) largest are drawn one by one and the rest are summed
 * into one "others (N)" bar, stacked by segment; the spec never holds more than ~50 data rows,
 * and preparing it is one pass (plus a sort only when the rows are not already in share order).
 */
import { DEFAULT_LOCALE, t, type Locale } from '../i18n/index.ts';
import { chartNumbers, configIn, pctIn } from './words.ts';
import { BASE_CONFIG, chartTitle, messageSpec, renderVegaLite, textWidth } from './render.ts';

export type ParetoSegment = 'A' | 'B' | 'C';

export interface ParetoRow {
  name: string;
  /** Part of the total, 0..1. */
  share: number;
  /** Running sum of `share` in rank order, 0..1. */
  cumulativeShare: number;
  segment: ParetoSegment;
}

export interface ParetoOptions {
  title: string;
  /** What the shares are of ("revenue", "margin", …, in the reader's words); used in the subtitle and axis titles. */
  criterion: string;
  /** The language of the chart's own words (axes, legend, cut-offs) and numbers; default `en`. */
  locale?: Locale;
  /** Cumulative-share cut-offs, 0..1 (0.8 and 0.95 by default in the domain). */
  thresholds: { a: number; b: number };
  /** Clients drawn one by one before the rest are aggregated; default 40. */
  top?: number;
  /** Every client classified, per segment, when `rows` are only the drawn ones: the legend and
   *  the subtitle count these (clients without any share, which are C, included), so the chart
   *  counts what the ABC table counts. Default: counted from `rows`. */
  segments?: Record<ParetoSegment, { clients: number; share: number }>;
  /** The clients after `rows`, already summed by the caller: drawn as the "others" bar. */
  others?: ParetoOthers;
}

export interface ParetoOthers {
  clients: number;
  /** How many of them, and their share, per segment. */
  parts: { segment: ParetoSegment; clients: number; share: number }[];
  /** The running share after them (1 when they are the last). */
  cumulativeShare: number;
}

export const PARETO_TOP = 40;
export const NAME_MAX = 18;

const SEGMENTS: readonly ParetoSegment[] = ['A', 'B', 'C'];
/** A dark, B mid, C light (one blue hue, so it prints and reads in grey too). */
export const SEGMENT_COLOURS: Readonly<Record<ParetoSegment, string>> = { A: '#1f3a68', B: '#4a7ab8', C: '#a9c6e8' };
const BAND_COLOURS: Readonly<Record<ParetoSegment | 'others', string>> = { A: '#dde6f2', B: '#eaf0f8', C: '#f6f9fc', others: '#f0f0f0' };
const LINE_COLOUR = '#d9731a';

const PLOT_WIDTH = 1040;
const PLOT_HEIGHT = 430;

const pct = (x: number, locale: Locale): string => pctIn(x * 100, x > 0 && x < 0.001 ? 2 : 1, locale);
/** A cut-off as people write it: 80%, 95%, 97.5% (80 %, 97,5 % in bg). */
const cut = (x: number, locale: Locale): string => pctIn(Number((x * 100).toFixed(2)), undefined, locale);

/** Collapse whitespace and cut to `max` characters (by code point), ending with "…". */
export function shortName(name: string, max = NAME_MAX, locale: Locale = DEFAULT_LOCALE): string {
  const s = name.replace(/\s+/g, ' ').trim();
  const chars = Array.from(s);
  if (chars.length === 0) return t(locale, 'chart.noName');
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

const clean = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

export interface ParetoBar {
  /** 0-based position on the x axis. */
  key: number;
  label: string;
  segment: ParetoSegment | 'others';
  /** Share per segment: one entry for a client, up to three for the others bar. */
  parts: { segment: ParetoSegment; share: number }[];
  share: number;
  cumulative: number;
}

export interface ParetoData {
  bars: ParetoBar[];
  clients: number;
  others: number;
  total: number;
  segments: Record<ParetoSegment, { clients: number; share: number }>;
}

/**
 * The bars to draw: the `top` largest shares in order, then one bar for the rest (if any): the
 * rows beyond `top` and the `given` others together.
 */
export function paretoData(rows: readonly ParetoRow[], top = PARETO_TOP, given?: ParetoOthers, locale: Locale = DEFAULT_LOCALE): ParetoData {
  const nf = chartNumbers(locale);
  const n = rows.length;
  const segments: ParetoData['segments'] = { A: { clients: 0, share: 0 }, B: { clients: 0, share: 0 }, C: { clients: 0, share: 0 } };
  let total = 0;
  let sorted = true;
  let prev = Infinity;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const s = clean(r.share);
    const seg = segments[SEGMENTS.includes(r.segment) ? r.segment : 'C'];
    seg.clients++;
    seg.share += s;
    total += s;
    if (s > prev) sorted = false;
    prev = s;
  }
  // Rank order: the rows as given when already largest-first (the domain's order, ties kept), else a stable sort.
  let order: ArrayLike<number>;
  if (sorted) order = { length: n } as ArrayLike<number>;
  else {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    order = Array.from(idx).sort((x, y) => clean(rows[y]!.share) - clean(rows[x]!.share) || x - y);
  }
  const at = (k: number): ParetoRow => rows[sorted ? k : order[k]!]!;

  const shown = Math.min(n, Math.max(1, Math.floor(top)));
  const bars: ParetoBar[] = [];
  let running = 0;
  for (let k = 0; k < shown; k++) {
    const r = at(k);
    const s = clean(r.share);
    running += s;
    const segment: ParetoSegment = SEGMENTS.includes(r.segment) ? r.segment : 'C';
    // The given running share when the rows are in rank order (so the chart matches the table), else our own.
    const given = r.cumulativeShare;
    const cumulative = sorted && Number.isFinite(given) ? Math.min(1, Math.max(0, given)) : running;
    bars.push({ key: k, label: shortName(r.name, NAME_MAX, locale), segment, parts: [{ segment, share: s }], share: s, cumulative });
  }
  const givenClients = given ? Math.max(0, Math.floor(given.clients)) : 0;
  const others = n - shown + givenClients;
  for (const p of given?.parts ?? []) {
    const seg = segments[SEGMENTS.includes(p.segment) ? p.segment : 'C'];
    seg.clients += Math.max(0, Math.floor(p.clients));
    seg.share += clean(p.share);
    total += clean(p.share);
  }
  if (others > 0) {
    const parts: Record<ParetoSegment, number> = { A: 0, B: 0, C: 0 };
    for (let k = shown; k < n; k++) {
      const r = at(k);
      parts[SEGMENTS.includes(r.segment) ? r.segment : 'C'] += clean(r.share);
    }
    for (const p of given?.parts ?? []) parts[SEGMENTS.includes(p.segment) ? p.segment : 'C'] += clean(p.share);
    const share = parts.A + parts.B + parts.C;
    const last = given ? given.cumulativeShare : at(n - 1).cumulativeShare;
    running += share;
    bars.push({
      key: shown,
      label: t(locale, 'chart.others', { n: nf.format(others) }),
      segment: 'others',
      parts: SEGMENTS.filter((s) => parts[s] > 0).map((s) => ({ segment: s, share: parts[s] })),
      share,
      cumulative: sorted && Number.isFinite(last) ? Math.min(1, Math.max(0, last)) : running,
    });
  }
  return { bars, clients: n + givenClients, others, total, segments };
}

export function paretoSpec(rows: readonly ParetoRow[], opts: ParetoOptions): object {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const nf = chartNumbers(locale);
  const data = paretoData(rows, opts.top, opts.others, locale);
  const { a, b } = opts.thresholds;
  const criterion = opts.criterion;
  const clientsWord = (k: number): string => t(locale, 'chart.clients', { n: k, count: nf.format(k) });
  const counted = opts.segments ?? data.segments;
  const countedClients = opts.segments ? SEGMENTS.reduce((k, s) => k + counted[s].clients, 0) : data.clients;
  const countedTotal = SEGMENTS.reduce((t, s) => t + clean(counted[s].share), 0);
  const subtitle = t(locale, 'chart.paretoSubtitle', { clients: clientsWord(countedClients), criterion, a: cut(a, locale), b: cut(b, locale) });
  if (data.total <= 0) return messageSpec(opts.title, subtitle, countedClients === 0 ? t(locale, 'chart.noClients') : t(locale, 'chart.noShare', { criterion }));

  const n = data.bars.length;
  const band = PLOT_WIDTH / n;
  const labels = data.bars.map((bar) => bar.label);
  const legendLabels = Object.fromEntries(
    SEGMENTS.map((s) => [s, t(locale, 'chart.legend', { segment: s, clients: clientsWord(counted[s].clients), share: pct(countedTotal > 0 ? clean(counted[s].share) / countedTotal : 0, locale), criterion })]),
  );
  const partRows = data.bars.flatMap((bar) => bar.parts.map((p) => ({ key: bar.key, segment: p.segment, share: p.share })));
  const lineRows = data.bars.map((bar) => ({ key: bar.key, cumulative: bar.cumulative }));
  const bandRows = data.bars.map((bar) => ({ key: bar.key, fill: BAND_COLOURS[bar.segment] }));
  // One letter per run of consecutive bars of one segment, above the middle of the run.
  const runs: { px: number; text: string; colour: string }[] = [];
  for (let i = 0; i < n; ) {
    const seg = data.bars[i]!.segment;
    let j = i;
    while (j + 1 < n && data.bars[j + 1]!.segment === seg) j++;
    if (seg !== 'others' && (j - i + 1) * band >= 14) runs.push({ px: ((i + j + 1) / 2) * band, text: seg, colour: SEGMENT_COLOURS[seg] });
    i = j + 1;
  }
  const rules = [
    { t: a, text: t(locale, 'chart.boundary', { upper: 'A', lower: 'B', cut: cut(a, locale) }) },
    { t: b, text: t(locale, 'chart.boundary', { upper: 'B', lower: 'C', cut: cut(b, locale) }) },
  ].map((r) => ({ ...r, ...ruleLabelPlace(r.t, r.text, data.bars, band) }));
  const maxShare = Math.max(...data.bars.map((bar) => bar.share));
  // Bars and the cumulative line are both shares of one total, so they share the 0–100 % scale
  // of the right-hand axis and the cut-off rules: a 100 % bar reaches the 100 % line. Only when
  // the tallest bar is under a fifth of the plot would that leave slivers; then the bars get a
  // zoomed axis of their own on the left.
  const shared = maxShare >= SHARED_SCALE_MIN;
  const shareTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const cumulativeY = {
    type: 'quantitative',
    scale: { domain: [0, 1], nice: false },
    axis: { title: t(locale, 'chart.cumulative'), format: '.0%', orient: 'right', grid: false, values: shareTicks, titleColor: LINE_COLOUR, labelColor: LINE_COLOUR },
  };
  const x = {
    field: 'key',
    type: 'ordinal',
    scale: { domain: data.bars.map((bar) => bar.key), paddingInner: 0, paddingOuter: 0 },
    axis: {
      title: data.others > 0 ? t(locale, 'chart.clientsByShareTop', { criterion, top: n - 1, others: nf.format(data.others) }) : t(locale, 'chart.clientsByShare', { criterion }),
      labelExpr: `${JSON.stringify(labels)}[datum.value]`,
      labelAngle: -45,
      labelAlign: 'right',
      labelBaseline: 'middle',
      labelOverlap: false,
      labelFontSize: n > 30 ? 11 : 12,
      labelPadding: 4,
      ticks: false,
      titlePadding: 10,
    },
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chartTitle(opts.title, subtitle),
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    config: configIn(BASE_CONFIG, locale),
    resolve: { scale: { y: 'independent' } },
    layer: [
      {
        layer: [
          { data: { values: bandRows }, mark: { type: 'rect' }, encoding: { x, y: { value: 0 }, y2: { value: PLOT_HEIGHT }, color: { field: 'fill', type: 'nominal', scale: null } } },
          {
            data: { values: runs },
            mark: { type: 'text', fontSize: 15, fontWeight: 'bold', baseline: 'bottom', dy: -6 },
            encoding: { x: { field: 'px', type: 'quantitative', scale: null }, y: { value: 0 }, text: { field: 'text' }, color: { field: 'colour', type: 'nominal', scale: null } },
          },
          {
            data: { values: partRows },
            mark: { type: 'bar', width: { band: 0.72 } },
            encoding: {
              x,
              y: {
                field: 'share',
                type: 'quantitative',
                stack: 'zero',
                scale: shared ? { domain: [0, 1], nice: false } : { domain: [0, maxShare * 1.08], nice: true },
                axis: shared
                  ? { title: t(locale, 'chart.shareOf', { criterion }), format: '.0%', orient: 'left', grid: true, values: shareTicks }
                  : { title: t(locale, 'chart.shareOf', { criterion }), format: maxShare < 0.02 ? '.1%' : '.0%', orient: 'left', grid: true, tickCount: 6 },
              },
              color: {
                field: 'segment',
                type: 'nominal',
                scale: { domain: [...SEGMENTS], range: SEGMENTS.map((s) => SEGMENT_COLOURS[s]) },
                legend: {
                  title: null,
                  orient: 'top',
                  direction: 'horizontal',
                  labelExpr: `${JSON.stringify(legendLabels)}[datum.value]`,
                  labelLimit: 400,
                  columnPadding: 28,
                  symbolType: 'square',
                  offset: 30,
                },
              },
              order: { field: 'segment', sort: 'ascending' },
            },
          },
        ],
      },
      {
        layer: [
          {
            data: { values: rules },
            mark: { type: 'rule', strokeDash: [6, 4], color: '#555', strokeWidth: 1.2 },
            encoding: { y: { field: 't', ...cumulativeY } },
          },
          // Each rule's label on a white box, so it reads over bars and grid lines.
          {
            data: { values: rules },
            mark: { type: 'rect', color: 'white', opacity: 0.92, cornerRadius: 3 },
            encoding: {
              x: { field: 'x0', type: 'quantitative', scale: null },
              x2: { field: 'x1' },
              y: { field: 'y0', type: 'quantitative', scale: null },
              y2: { field: 'y1' },
            },
          },
          {
            data: { values: rules },
            mark: { type: 'text', fontSize: RULE_FONT, align: 'left', baseline: 'middle', color: '#333' },
            encoding: { x: { field: 'tx', type: 'quantitative', scale: null }, y: { field: 'ty', type: 'quantitative', scale: null }, text: { field: 'text' } },
          },
          {
            data: { values: lineRows },
            mark: { type: 'line', color: LINE_COLOUR, strokeWidth: 2.5, point: { filled: true, size: n > 30 ? 36 : 56, color: LINE_COLOUR } },
            encoding: { x, y: { field: 'cumulative', ...cumulativeY } },
          },
        ],
      },
    ],
  };
}

const RULE_FONT = 12;
/** The tallest bar's share of the total from which bars share the cumulative axis's scale. */
const SHARED_SCALE_MIN = 0.2;

/**
 * Where to write a cut-off rule's label (pixels in the plot) so the cumulative line never crosses
 * it. The line rises left to right, so it is below the cut-off up to the centre of the last bar
 * before it reaches the cut-off, and above it from the centre of the bar where it does: the label
 * goes above the rule and ends at the former, or, when there is no room, below the rule and starts
 * at the latter.
 */
function ruleLabelPlace(t: number, text: string, bars: readonly ParetoBar[], band: number): { tx: number; ty: number; x0: number; x1: number; y0: number; y1: number } {
  const pad = 4;
  const w = textWidth(text, RULE_FONT) + 2 * pad;
  const h = RULE_FONT + 2 * pad;
  const ruleY = PLOT_HEIGHT * (1 - t);
  let cross = bars.findIndex((bar) => bar.cumulative >= t);
  if (cross < 0) cross = bars.length;
  const before = (cross - 0.5) * band - 4;
  const after = (cross + 0.5) * band + 4;
  let x0: number;
  let y0: number;
  if (before - w >= 0) [x0, y0] = [before - w, ruleY - 3 - h];
  else [x0, y0] = [Math.min(after, PLOT_WIDTH - w), ruleY + 3];
  return { tx: x0 + pad, ty: y0 + h / 2, x0, x1: x0 + w, y0, y1: y0 + h };
}

/** PNG of the ABC Pareto chart; an empty input (or all-zero shares) gives a titled "No data" picture. */
export async function paretoChart(rows: readonly ParetoRow[], opts: ParetoOptions): Promise<Buffer> {
  return renderVegaLite(paretoSpec(rows, opts));
}
