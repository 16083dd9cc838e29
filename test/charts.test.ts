import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { funnelChart, funnelSpec } from '../src/charts/funnel.ts';
import { paretoChart, paretoData, paretoSpec, shortName, type ParetoRow } from '../src/charts/pareto.ts';
import { CHART_FONT, FONT_FILES, textWidth, vegaLiteToSvg } from '../src/charts/render.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function expectChartPng(png: Buffer, minBytes = 8_000): void {
  const { width, height } = pngSize(png);
  expect(width).toBeGreaterThanOrEqual(800);
  expect(height).toBeGreaterThanOrEqual(300);
  expect(png.length).toBeGreaterThan(minBytes);
}

const NAMES = ['ООО «Ромашка»', 'АО Северсталь-Трейд', 'ИП Иванов Иван Иванович', 'Acme Corporation International', 'Globex', 'ЗАО Вектор', 'Initech LLC', 'Стройинвест'];

/** Rows like the domain's ABC output: Zipf-like shares, largest first, cut at 80 % / 95 %. */
function abcRows(n: number): ParetoRow[] {
  const raw = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 1.1);
  const total = raw.reduce((s, x) => s + x, 0);
  let cum = 0;
  return raw.map((r, i) => {
    const share = r / total;
    const before = cum;
    cum += share;
    return { name: `${NAMES[i % NAMES.length]!}${i >= NAMES.length ? ` ${i}` : ''}`, share, cumulativeShare: cum, segment: before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C' };
  });
}

const PARETO_OPTS = { title: 'Clients by revenue — ABC analysis, Q3 2025', criterion: 'revenue', thresholds: { a: 0.8, b: 0.95 } };

const FUNNEL = [
  { stage: 'lead', reached: 1240, valueMinor: 1_530_000_00 },
  { stage: 'qualified', reached: 612, valueMinor: 760_000_00 },
  { stage: 'proposal', reached: 301, valueMinor: 372_000_00 },
  { stage: 'contract', reached: 142, valueMinor: 175_000_00 },
  { stage: 'delivery', reached: 118, valueMinor: 146_000_00 },
  { stage: 'payment', reached: 104, valueMinor: 128_000_00 },
  { stage: 'won', reached: 97, valueMinor: 120_000_00 },
];

describe('renderer', () => {
  it('has DejaVu Sans with Cyrillic: resvg draws Cyrillic text with no system fonts', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-family="${CHART_FONT}" font-size="24">Ромашка</text></svg>`;
    const pixels = new Resvg(svg, { font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: CHART_FONT } }).render().pixels; // RGBA, transparent background
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 128) inked++;
    expect(inked).toBeGreaterThan(200);
  });

  it('measures text with the real font metrics (not the 0.8 em guess)', () => {
    expect(textWidth('Hello', 10)).toBeCloseTo(25.3, 0);
    expect(textWidth('Hello', 10, true)).toBeGreaterThan(textWidth('Hello', 10));
    expect(textWidth('Привет', 10)).toBeGreaterThan(30);
  });
});

describe('pareto chart data', () => {
  it('keeps the top 40 and sums the rest into one "others (N)" bar, stacked by segment', () => {
    const rows = abcRows(1000);
    const d = paretoData(rows);
    expect(d.bars).toHaveLength(41);
    expect(d.others).toBe(960);
    const others = d.bars[40]!;
    expect(others.label).toBe('others (960)');
    expect(others.segment).toBe('others');
    expect(others.share).toBeCloseTo(rows.slice(40).reduce((s, r) => s + r.share, 0), 12);
    expect(others.parts.map((p) => p.segment)).toEqual(['A', 'B', 'C'].filter((s) => rows.slice(40).some((r) => r.segment === s)));
    expect(others.cumulative).toBeCloseTo(1, 9);
    expect(d.bars[0]!.cumulative).toBe(rows[0]!.cumulativeShare);
    expect(d.segments.A.clients + d.segments.B.clients + d.segments.C.clients).toBe(1000);
  });

  it('sorts rows that are not largest-first and recomputes the running share', () => {
    const rows: ParetoRow[] = [
      { name: 'small', share: 0.1, cumulativeShare: 0.1, segment: 'B' },
      { name: 'big', share: 0.7, cumulativeShare: 0.8, segment: 'A' },
      { name: 'mid', share: 0.2, cumulativeShare: 1, segment: 'A' },
    ];
    const d = paretoData(rows);
    expect(d.bars.map((b) => b.label)).toEqual(['big', 'mid', 'small']);
    expect(d.bars.map((b) => b.cumulative)).toEqual([0.7, 0.7 + 0.2, 0.7 + 0.2 + 0.1]);
  });

  it('truncates names to 18 characters with an ellipsis and keeps duplicates apart', () => {
    expect(shortName('ИП Иванов Иван Иванович')).toBe('ИП Иванов Иван Ив…');
    expect(Array.from(shortName('ИП Иванов Иван Иванович'))).toHaveLength(18);
    expect(shortName('  Globex \n Corp ')).toBe('Globex Corp');
    expect(shortName('   ')).toBe('(no name)');
    const rows: ParetoRow[] = [
      { name: 'Same', share: 0.6, cumulativeShare: 0.6, segment: 'A' },
      { name: 'Same', share: 0.4, cumulativeShare: 1, segment: 'A' },
    ];
    expect(paretoData(rows).bars.map((b) => b.key)).toEqual([0, 1]);
  });
});

describe('pareto chart', () => {
  it('renders a PNG with Cyrillic names (sample in /tmp/pareto.png)', async () => {
    const rows = abcRows(60);
    const t = performance.now();
    const png = await paretoChart(rows, PARETO_OPTS);
    const ms = performance.now() - t;
    writeFileSync('/tmp/pareto.png', png);
    expectChartPng(png, 30_000);
    const svg = await vegaLiteToSvg(paretoSpec(rows, PARETO_OPTS));
    expect(svg).toContain('ООО «Ромашка»');
    expect(svg).toContain('ИП Иванов Иван Ив…');
    expect(svg).toContain('others (20)');
    expect(svg).toContain('A / B boundary · 80%');
    expect(svg).toContain(`font-family="${CHART_FONT}"`);
    console.info(`pareto, 60 clients: ${ms.toFixed(0)} ms, ${png.length} bytes`);
  });

  it('renders 100,000 clients as 40 bars and one "others" bar', async () => {
    const rows = abcRows(100_000);
    const t = performance.now();
    const png = await paretoChart(rows, PARETO_OPTS);
    const ms = performance.now() - t;
    writeFileSync('/tmp/pareto-100k.png', png);
    expectChartPng(png, 30_000);
    expect(await vegaLiteToSvg(paretoSpec(rows, PARETO_OPTS))).toContain('others (99,960)');
    console.info(`pareto, 100,000 clients: ${ms.toFixed(0)} ms, ${png.length} bytes`);
  });

  it('renders one client, and shares that are all zero, without throwing', async () => {
    expectChartPng(await paretoChart([{ name: 'Единственный клиент', share: 1, cumulativeShare: 1, segment: 'A' }], PARETO_OPTS));
    const zeros: ParetoRow[] = [
      { name: 'a', share: 0, cumulativeShare: 0, segment: 'C' },
      { name: 'b', share: Number.NaN, cumulativeShare: Number.NaN, segment: 'C' },
    ];
    expectChartPng(await paretoChart(zeros, PARETO_OPTS), 5_000);
    expect(await vegaLiteToSvg(paretoSpec(zeros, PARETO_OPTS))).toContain('No data');
  });

  /** The y scale of the spec's layer drawing `mark` (bar, line or rule). */
  const yScaleOf = (spec: any, mark: string): any => {
    const walk = (l: any): any => (l.layer ? l.layer.map(walk).find(Boolean) : (l.mark?.type ?? l.mark) === mark ? l.encoding.y.scale : undefined);
    return walk(spec);
  };

  it('one client: its 100 % bar, the cumulative line and the cut-off rules share one 0–100 % scale', () => {
    const spec = paretoSpec([{ name: 'Only', share: 1, cumulativeShare: 1, segment: 'A' }], PARETO_OPTS);
    expect(yScaleOf(spec, 'bar').domain).toEqual([0, 1]);
    expect(yScaleOf(spec, 'bar').nice).toBe(false);
    expect(yScaleOf(spec, 'line').domain).toEqual([0, 1]);
    expect(yScaleOf(spec, 'rule').domain).toEqual([0, 1]);
  });

  it('a tall bar shares the 0–100 % scale; only slivers (largest share under 20 %) get their own zoomed axis', () => {
    expect(yScaleOf(paretoSpec(abcRows(10), PARETO_OPTS), 'bar').domain).toEqual([0, 1]);
    const even: ParetoRow[] = Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, share: 0.1, cumulativeShare: (i + 1) / 10, segment: i < 8 ? 'A' : 'B' }));
    const zoomed = yScaleOf(paretoSpec(even, PARETO_OPTS), 'bar');
    expect(zoomed.domain[1]).toBeLessThan(0.2);
    expect(yScaleOf(paretoSpec(even, PARETO_OPTS), 'line').domain).toEqual([0, 1]);
  });

  it("counts the caller's segment totals in the legend and the subtitle (clients without sales are C too)", async () => {
    const rows: ParetoRow[] = [
      { name: 'Big', share: 0.9, cumulativeShare: 0.9, segment: 'A' },
      { name: 'Small', share: 0.1, cumulativeShare: 1, segment: 'C' },
    ];
    const segments = { A: { clients: 1, share: 0.9 }, B: { clients: 0, share: 0 }, C: { clients: 17, share: 0.1 } };
    const svg = await vegaLiteToSvg(paretoSpec(rows, { ...PARETO_OPTS, segments }));
    expect(svg).toContain('C — 17 clients, 10.0% of revenue');
    expect(svg).toContain('A — 1 client, 90.0% of revenue');
    expect(svg).toContain('18 clients · share of revenue');
  });

  it("draws the caller's summed rest as one others bar, stacked by its segments", () => {
    const rows: ParetoRow[] = [{ name: 'Big', share: 0.7, cumulativeShare: 0.7, segment: 'A' }];
    const d = paretoData(rows, 40, { clients: 30, parts: [{ segment: 'B', clients: 10, share: 0.2 }, { segment: 'C', clients: 20, share: 0.1 }], cumulativeShare: 1 });
    expect(d.bars.map((b) => b.label)).toEqual(['Big', 'others (30)']);
    expect(d.bars[1]!.parts).toEqual([{ segment: 'B', share: 0.2 }, { segment: 'C', share: 0.1 }]);
    expect(d.bars[1]!.cumulative).toBe(1);
    expect(d.others).toBe(30);
    expect(d.clients).toBe(31);
    expect(d.segments).toEqual({ A: { clients: 1, share: 0.7 }, B: { clients: 10, share: 0.2 }, C: { clients: 20, share: 0.1 } });
  });

  it('renders "No data" for no clients', async () => {
    const png = await paretoChart([], PARETO_OPTS);
    expectChartPng(png, 5_000);
    expect(await vegaLiteToSvg(paretoSpec([], PARETO_OPTS))).toContain('No data');
  });
});

describe('funnel chart', () => {
  it('renders a PNG with counts and conversions (sample in /tmp/funnel.png)', async () => {
    const opts = { title: 'Sales funnel — Q3 2025' };
    const t = performance.now();
    const png = await funnelChart(FUNNEL, opts);
    const ms = performance.now() - t;
    writeFileSync('/tmp/funnel.png', png);
    expectChartPng(png, 15_000);
    const svg = await vegaLiteToSvg(funnelSpec(FUNNEL, opts));
    for (const text of ['1,240', '612', '49.4%', '93.3%', '7.8%', 'Qualified', 'From previous', '1,240 lead → 97 won: 7.8% overall']) expect(svg).toContain(text);
    console.info(`funnel: ${ms.toFixed(0)} ms, ${png.length} bytes`);
  });

  it("uses the caller's conversions (one per step, null as a dash) and Cyrillic titles", async () => {
    const stages = [
      { stage: 'lead', reached: 10 },
      { stage: 'qualified', reached: 0 },
      { stage: 'won', reached: 1 },
    ];
    const opts = { title: 'Воронка продаж', subtitle: 'Владелец: Иванов И.И.', conversions: [0.25, null] };
    const png = await funnelChart(stages, opts);
    writeFileSync('/tmp/funnel-short.png', png);
    expectChartPng(png);
    const svg = await vegaLiteToSvg(funnelSpec(stages, opts));
    expect(svg).toContain('Воронка продаж');
    expect(svg).toContain('25.0%');
    expect(svg).toContain('—');
  });

  it('renders "No data" for no stages or nothing reached', async () => {
    for (const stages of [[], [{ stage: 'lead', reached: 0 }, { stage: 'won', reached: 0 }]]) {
      expectChartPng(await funnelChart(stages, { title: 'Sales funnel' }), 5_000);
      expect(await vegaLiteToSvg(funnelSpec(stages, { title: 'Sales funnel' }))).toContain('No data');
    }
  });
});
