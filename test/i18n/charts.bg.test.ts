/**
 * The words inside the chart pictures in Bulgarian: a Bulgarian workspace's (or reader's) ABC and
 * funnel charts, as the ui builds them for the outbox, carry Bulgarian axis titles, legends,
 * cut-offs, column heads and stage names, and numbers as bg-BG writes them; the English ones
 * stay as they were. The words are read from the SVG the PNG is drawn from.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartSpecOf, renderChart } from '../../src/charts/spec.ts';
import { vegaLiteToSvg } from '../../src/charts/render.ts';
import { DEFAULT_STAGE_PROBABILITIES, forecast, funnel, type DealFact } from '../../src/domain/funnel.ts';
import type { AbcSummary } from '../../src/services/analytics.ts';
import type { FunnelResult } from '../../src/services/funnel.ts';
import { abcChart, funnelChart } from '../../src/slack/ui/messages/analytics.ts';
import { CODES, englishPhrases } from '../helpers/bulgarian.ts';

/** The text a picture shows: every <text> element's content. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));

const NAMES = ['Строй Елит ООД', 'Бета Трейд ЕООД', 'Агро Север АД', 'Дунав Логистик ООД', 'Родопа Мебел ЕООД'];
const summary = (clients: number): AbcSummary => {
  const raw = Array.from({ length: clients }, (_, i) => 1 / (i + 1) ** 1.1);
  const total = raw.reduce((s, x) => s + x, 0);
  let cum = 0;
  const rows = raw.map((r, i) => {
    const share = r / total;
    const before = cum;
    cum += share;
    return { name: `${NAMES[i % NAMES.length]!} ${i}`, share, cumulativeShare: cum, segment: (before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C') as 'A' | 'B' | 'C' };
  });
  const top = rows.slice(0, 40);
  const rest = rows.slice(40);
  const seg = (s: 'A' | 'B' | 'C') => ({ segment: s, clients: rows.filter((r) => r.segment === s).length, share: rows.filter((r) => r.segment === s).reduce((x, r) => x + r.share, 0), top: [] });
  return {
    by: 'revenue',
    period: { from: '2025-11-25', to: '2026-11-24' },
    baseCurrency: 'EUR',
    segments: [seg('A'), seg('B'), seg('C')],
    clientsWithSales: clients,
    unconvertible: [],
    pareto: { rows: top, ...(rest.length > 0 ? { others: { clients: rest.length, parts: (['A', 'B', 'C'] as const).map((s) => ({ segment: s, clients: rest.filter((r) => r.segment === s).length, share: rest.filter((r) => r.segment === s).reduce((x, r) => x + r.share, 0) })), cumulativeShare: 1 } } : {}) },
    thresholds: { a: 0.8, b: 0.975 },
  };
};

const D = (m: number, d: number) => Date.UTC(2026, m - 1, d);
const deal = (id: number, stage: DealFact['stage'], history: [DealFact['stage'] | null, DealFact['stage'], number][]): DealFact => ({ id, ownerId: 'U0SELLER', stage, valueMinor: 1_250_000 * id, currency: 'EUR', expectedClose: null, createdAt: history[0]![2], history: history.map(([from, to, at]) => ({ from, to, at })) });
const funnelResult = (): FunnelResult => {
  const deals = Array.from({ length: 1240 }, (_, i) =>
    i % 12 === 0
      ? deal(i + 1, 'won', [[null, 'lead', D(10, 2)], ['lead', 'qualified', D(10, 5)], ['qualified', 'proposal', D(10, 6)], ['proposal', 'contract', D(10, 7)], ['contract', 'delivery', D(10, 8)], ['delivery', 'payment', D(10, 9)], ['payment', 'won', D(10, 10)]])
      : i % 2 === 0
        ? deal(i + 1, 'qualified', [[null, 'lead', D(10, 2)], ['lead', 'qualified', D(10, 5)]])
        : deal(i + 1, 'lead', [[null, 'lead', D(10, 3)]]),
  );
  const opts = { baseCurrency: 'EUR', rates: {}, probabilities: { ...DEFAULT_STAGE_PROBABILITIES } };
  const report = funnel(deals, { from: D(10, 1), to: D(11, 24) }, opts);
  return { report, forecast: forecast(deals, [], D(11, 24), opts), period: { kind: 'quarter', quarter: 4, year: 2026 }, repeat: { share: { won: 0, fromExisting: 0, share: null }, retention: [] } } as unknown as FunnelResult;
};

describe('the words inside the chart pictures', () => {
  const phrases = englishPhrases();
  const cases = [
    ['ABC, 3 clients', abcChart(summary(3), 'bg')],
    ['ABC, 120 clients', abcChart(summary(120), 'bg')],
    ['ABC, no clients', abcChart({ ...summary(0), segments: [] }, 'bg')],
    ['funnel', funnelChart(funnelResult(), 'bg')],
  ] as const;

  it.each(cases)('%s in Bulgarian: no English phrase of the catalog, no code, no English word, numbers as bg-BG writes them', async (name, upload) => {
    const svg = await vegaLiteToSvg(chartSpecOf(upload.chart));
    const shown = texts(svg);
    const all = shown.join('\n');
    writeFileSync(`/tmp/chart-bg-${name.replace(/\W+/g, '-')}.png`, await renderChart(upload.chart));
    expect(shown.length).toBeGreaterThan(2);
    expect(phrases.filter((p) => all.includes(p))).toEqual([]);
    expect(CODES.filter((c) => new RegExp(`(^|[^a-z_-])${c}($|[^a-z_-])`, 'i').test(all))).toEqual([]);
    expect(all.match(/[A-Za-z]{3,}/g)?.filter((w) => w !== 'ABC') ?? []).toEqual([]);
    // No English decimal point before a per cent, no English thousands comma.
    expect(all).not.toMatch(/\d\.\d+\s?%|\d,\d{3}/);
  });

  it('names the ABC chart’s axes, legend and cut-offs in Bulgarian, with the decimal comma', async () => {
    const all = texts(await vegaLiteToSvg(chartSpecOf(abcChart(summary(120), 'bg').chart))).join('\n');
    for (const s of ['Натрупан дял', 'Дял по обем на продажбите', 'Граница A / B · 80\u00a0%', 'Граница B / C · 97,5\u00a0%', 'останалите (80)', '120 клиенти']) expect(all).toContain(s);
    expect(all).toMatch(/A — \d+ клиент(и)?, \d+,\d\u00a0% по обем на продажбите/);
  });

  it('names the funnel’s stages and columns in Bulgarian, numbers as bg-BG writes them (no group under 10 000)', async () => {
    const all = texts(await vegaLiteToSvg(chartSpecOf(funnelChart(funnelResult(), 'bg').chart))).join('\n');
    expect(all).toMatch(/\d+,\d\u00a0%/);
    for (const s of ['Потенциален', 'Квалифициран', 'Спечелен', 'От предходния', 'От „потенциален“', 'Стойност', '1240']) expect(all).toContain(s);
  });

  it('keeps the English chart as it was', async () => {
    const all = texts(await vegaLiteToSvg(chartSpecOf(abcChart(summary(120), 'en').chart))).join('\n');
    for (const s of ['Cumulative share', 'Share of revenue', 'A / B boundary · 80%', 'others (80)', '120 clients']) expect(all).toContain(s);
    const f = texts(await vegaLiteToSvg(chartSpecOf(funnelChart(funnelResult(), 'en').chart))).join('\n');
    for (const s of ['Lead', 'From previous', 'Of lead', '1,240']) expect(f).toContain(s);
  });
});
