/**
 * The sales funnel as a picture: one centred bar per stage (lead … won), its width the number of
 * deals that reached the stage, joined to the next by a grey trapezoid; the count on the bar, and
 * on the right the conversion from the previous stage, the share of the first stage and the value
 * (when there is one).
 *
 * All geometry is computed here in pixels (the spec uses `scale: null`), so the bars, the
 * connectors and the labels line up exactly and labels go inside a bar only when they fit.
 */
import { DEFAULT_LOCALE, t, type Locale } from '../i18n/index.ts';
import { chartNumbers, configIn, pctIn } from './words.ts';
import { BASE_CONFIG, chartTitle, messageSpec, renderVegaLite, textWidth } from './render.ts';

export interface FunnelStageInput {
  stage: string;
  /** The stage as the reader names it (`lead`, `потенциален`); default: the code. */
  label?: string;
  /** Deals that reached the stage. */
  reached: number;
  /** Value of those deals in minor units (shown in a "Value" column when any stage has one). */
  valueMinor?: number;
}

export interface FunnelChartOptions {
  title: string;
  /** Default: "<first count> <first stage> → <last count> <last stage>: <overall %>". */
  subtitle?: string;
  /**
   * Conversion into each stage from the one before, 0..1 or null (shown as "—"). Either one per
   * step (length stages − 1, like `FunnelReport.conversions`) or one per stage with the first
   * ignored (length stages). Default: reached(i) / reached(i − 1).
   */
  conversions?: (number | null)[];
  /** Formats `valueMinor`; default: minor / 100 in compact notation ("1.2M", „1,2 млн.“). */
  formatValue?: (minor: number) => string;
  /** The language of the chart's own words (columns, subtitle, "No data") and numbers; default `en`. */
  locale?: Locale;
}

const PLOT_WIDTH = 1040;
/** Row height per stage; fewer stages get taller rows (up to ROW_MAX) so the picture keeps a sensible height. */
const ROW = 58;
const ROW_MAX = 100;
const MIN_HEIGHT = 300;
/** Bar height as a part of the row, and at most BAR_MAX pixels. */
const BAR = 0.7;
const BAR_MAX = 46;
const BAR_COLOUR = '#2f5d9a';
const WON_COLOUR = '#2e7d4f';
const CONNECTOR_COLOUR = '#dbe3ee';
const LABEL_FONT = 14;
/** Width of one figure column on the right. */
const COLUMN = 130;

const pct = (x: number, locale: Locale): string => pctIn(x * 100, 1, locale);
const count = (x: number): number => (Number.isFinite(x) && x > 0 ? Math.round(x) : 0);
const nameOf = (s: FunnelStageInput): string => s.label ?? s.stage;
const display = (s: FunnelStageInput, locale: Locale): string => {
  const name = nameOf(s).replace(/[_-]+/g, ' ').trim();
  return name ? name[0]!.toLocaleUpperCase(locale) + name.slice(1) : t(locale, 'chart.noStageName');
};

/** The conversion into stage i (i ≥ 1), from the caller's list when it has one, else computed. */
function conversionInto(i: number, stages: readonly FunnelStageInput[], given: readonly (number | null)[] | undefined): number | null {
  if (given && (given.length === stages.length - 1 || given.length === stages.length)) {
    const c = given.length === stages.length ? given[i] : given[i - 1];
    return c === null || c === undefined || !Number.isFinite(c) ? null : c;
  }
  const prev = count(stages[i - 1]!.reached);
  return prev > 0 ? count(stages[i]!.reached) / prev : null;
}

export function funnelSpec(stages: readonly FunnelStageInput[], opts: FunnelChartOptions): object {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const nf = chartNumbers(locale);
  const compact = chartNumbers(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const n = stages.length;
  const counts = stages.map((s) => count(s.reached));
  const max = Math.max(0, ...counts);
  const first = stages[0];
  const last = stages[n - 1];
  let subtitle = opts.subtitle;
  if (subtitle === undefined && first && last && n > 1 && counts[0]! > 0) {
    subtitle = t(locale, 'chart.funnelSubtitle', { first: nf.format(counts[0]!), firstStage: nameOf(first), last: nf.format(counts[n - 1]!), lastStage: nameOf(last), pct: pct(counts[n - 1]! / counts[0]!, locale) });
  }
  if (n === 0 || max === 0) return messageSpec(opts.title, subtitle, n === 0 ? t(locale, 'chart.noStages') : t(locale, 'chart.noDeals'));

  const format = opts.formatValue ?? ((minor: number): string => compact.format(minor / 100));
  const hasValues = stages.some((s) => s.valueMinor !== undefined);
  const figureColumns = hasValues ? 3 : 2;
  const funnelWidth = PLOT_WIDTH - figureColumns * COLUMN - 60;
  const cx = funnelWidth / 2;
  const row = Math.min(ROW_MAX, Math.max(ROW, MIN_HEIGHT / n));
  const height = n * row;
  const barH = Math.min(row * BAR, BAR_MAX);

  const bars = stages.map((s, i) => {
    const w = Math.max((counts[i]! / max) * funnelWidth, counts[i]! > 0 ? 3 : 0);
    const top = i * row + (row - barH) / 2;
    const label = nf.format(counts[i]!);
    const inside = textWidth(label, LABEL_FONT, true) + 16 <= w;
    return {
      stage: display(s, locale),
      x0: cx - w / 2,
      x1: cx + w / 2,
      y0: top,
      y1: top + barH,
      colour: s.stage.toLowerCase() === 'won' ? WON_COLOUR : BAR_COLOUR,
      label,
      lx: inside ? cx : cx + w / 2 + 8,
      ly: i * row + row / 2,
      inside,
      conversion: i === 0 ? '' : (() => {
        const c = conversionInto(i, stages, opts.conversions);
        return c === null ? '—' : pct(c, locale);
      })(),
      ofFirst: i === 0 ? '' : pct(counts[i]! / counts[0]!, locale),
      value: s.valueMinor === undefined || !Number.isFinite(s.valueMinor) ? '—' : format(s.valueMinor),
    };
  });
  // Trapezoids from the bottom edge of each bar to the top edge of the next (two points each, drawn as areas).
  const connectors = bars.slice(1).flatMap((b, i) => {
    const a = bars[i]!;
    return [
      { gap: i, y: a.y1, x: a.x0, x2: a.x1 },
      { gap: i, y: b.y0, x: b.x0, x2: b.x1 },
    ];
  });
  const px = (field: string): object => ({ field, type: 'quantitative', scale: null });
  // Right-aligned figure columns at the right: conversion from the previous stage, share of the first stage, value.
  const columns = [
    { field: 'conversion', header: t(locale, 'chart.fromPrevious') },
    { field: 'ofFirst', header: t(locale, 'chart.ofFirst', { stage: nameOf(first!) }) },
    ...(hasValues ? [{ field: 'value', header: t(locale, 'chart.value') }] : []),
  ].map((c, i) => ({ ...c, x: PLOT_WIDTH - (figureColumns - 1 - i) * COLUMN }));

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chartTitle(opts.title, subtitle),
    width: PLOT_WIDTH,
    height,
    config: configIn({ ...BASE_CONFIG, axis: { ...BASE_CONFIG.axis, domain: false, ticks: false, grid: false } }, locale),
    layer: [
      {
        data: { values: connectors },
        mark: { type: 'area', orient: 'horizontal', color: CONNECTOR_COLOUR, interpolate: 'linear' },
        encoding: { y: px('y'), x: px('x'), x2: { field: 'x2' }, detail: { field: 'gap', type: 'nominal' } },
      },
      {
        data: { values: bars },
        mark: { type: 'rect', cornerRadius: 2 },
        encoding: {
          x: px('x0'),
          x2: { field: 'x1' },
          y: px('y0'),
          y2: { field: 'y1' },
          color: { field: 'colour', type: 'nominal', scale: null },
        },
      },
      // Stage names in a left column (pixel-placed, so they line up with the rows exactly).
      {
        data: { values: bars },
        mark: { type: 'text', align: 'right', baseline: 'middle', fontSize: 14, color: '#333', dx: -14 },
        encoding: { x: { value: 0 }, y: px('ly'), text: { field: 'stage' } },
      },
      {
        data: { values: bars.filter((b) => b.inside) },
        mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: LABEL_FONT, fontWeight: 'bold', color: 'white' },
        encoding: { x: px('lx'), y: px('ly'), text: { field: 'label' } },
      },
      {
        data: { values: bars.filter((b) => !b.inside) },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: LABEL_FONT, fontWeight: 'bold', color: '#333' },
        encoding: { x: px('lx'), y: px('ly'), text: { field: 'label' } },
      },
      ...columns.flatMap((c) => [
        {
          data: { values: bars },
          mark: { type: 'text', align: 'right', baseline: 'middle', fontSize: 14, color: '#333' },
          encoding: { x: { value: c.x }, y: px('ly'), text: { field: c.field } },
        },
        {
          data: { values: [c] },
          mark: { type: 'text', align: 'right', baseline: 'bottom', fontSize: 12, color: '#777', dy: -4 },
          encoding: { x: { value: c.x }, y: { value: 0 }, text: { field: 'header' } },
        },
      ]),
    ],
  };
}

/** PNG of the funnel; no stages, or nothing reached, gives a titled "No data" picture. */
export async function funnelChart(stages: readonly FunnelStageInput[], opts: FunnelChartOptions): Promise<Buffer> {
  return renderVegaLite(funnelSpec(stages, opts));
}
