import { funnelSpec } from './funnel.ts';
import { paretoSpec, type ParetoOthers, type ParetoSegment } from './pareto.ts';
import { renderVegaLite } from './render.ts';
import type { Locale } from '../i18n/index.ts';

/** A chart the outbox renders when it delivers: data only, so the row is written in a sync transaction. */
export type ChartSpec =
  | {
      kind: 'pareto';
      rows: { name: string; share: number; cumulativeShare: number; segment: ParetoSegment }[];
      /** The clients after `rows`, summed (rows written before this field carry them as one row). */
      others?: ParetoOthers;
      /** Every client per segment, as the ABC table counts them. */
      segments?: Record<ParetoSegment, { clients: number; share: number }>;
      title: string;
      /** In the reader's words (rows written before `locale` carry the code, which is the English word). */
      criterion: string;
      thresholds: { a: number; b: number };
      /** The language of the picture's words and numbers; rows written before it are English. */
      locale?: Locale;
    }
  | { kind: 'funnel'; stages: { stage: string; label?: string; reached: number; valueMinor?: number }[]; title: string; subtitle?: string; conversions?: (number | null)[]; locale?: Locale };

export interface ChartUpload {
  /** files.uploadV2 wants text too; the outbox row's payload keeps the common shape. */
  text: string;
  chart: ChartSpec;
  filename: string;
  title: string;
}

/** The Vega-Lite spec of a chart (the tests read its text from the SVG). */
export function chartSpecOf(c: ChartSpec): object {
  return c.kind === 'pareto'
    ? paretoSpec(c.rows, { title: c.title, criterion: c.criterion, thresholds: c.thresholds, ...(c.others ? { others: c.others } : {}), ...(c.segments ? { segments: c.segments } : {}), ...(c.locale ? { locale: c.locale } : {}) })
    : funnelSpec(c.stages, { title: c.title, ...(c.subtitle ? { subtitle: c.subtitle } : {}), ...(c.conversions ? { conversions: c.conversions } : {}), ...(c.locale ? { locale: c.locale } : {}) });
}

export function renderChart(c: ChartSpec): Promise<Buffer> {
  return renderVegaLite(chartSpecOf(c));
}
