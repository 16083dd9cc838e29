import { funnelChart } from '../charts/funnel.ts';
import { paretoChart } from '../charts/pareto.ts';

/** A chart the outbox renders when it delivers: data only, so the row is written in a sync transaction. */
export type ChartSpec =
  | { kind: 'pareto'; rows: { name: string; share: number; cumulativeShare: number; segment: 'A' | 'B' | 'C' }[]; title: string; criterion: string; thresholds: { a: number; b: number } }
  | { kind: 'funnel'; stages: { stage: string; reached: number; valueMinor?: number }[]; title: string; subtitle?: string; conversions?: (number | null)[] };

export interface ChartUpload {
  /** files.uploadV2 wants text too; the outbox row's payload keeps the common shape. */
  text: string;
  chart: ChartSpec;
  filename: string;
  title: string;
}

export function renderChart(c: ChartSpec): Promise<Buffer> {
  return c.kind === 'pareto'
    ? paretoChart(c.rows, { title: c.title, criterion: c.criterion, thresholds: c.thresholds })
    : funnelChart(c.stages, { title: c.title, ...(c.subtitle ? { subtitle: c.subtitle } : {}), ...(c.conversions ? { conversions: c.conversions } : {}) });
}
