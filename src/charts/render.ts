/**
 * Vega-Lite spec → PNG bytes, with no browser, no canvas and no system fonts.
 *
 *  vega-lite `compile` → vega `View` (renderer 'none', headless) → `toSVG()` → resvg-js → PNG.
 *
 * Text is always set in DejaVu Sans (shipped by the `dejavu-fonts-ttf` package, with Latin,
 * Cyrillic and Greek): the spec's `config.font` is forced to it and resvg loads only those
 * font files, so the output does not depend on what the host has installed.
 *
 * Without a canvas, vega guesses text widths as 0.8 em per character, which is a third too wide
 * for DejaVu Sans and throws off legends, axis titles and label truncation. On load this module
 * sets vega's `textMetrics.width` hook (the one vl-convert uses) to the real advance widths read
 * from the two DejaVu Sans TTF files. That hook is process-wide; it only makes vega's layout
 * match what resvg then draws.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const CHART_FONT = 'DejaVu Sans';
/** Width of every PNG, in pixels (the SVG is scaled to it, keeping its aspect ratio). */
export const PNG_WIDTH = 1200;

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES: readonly string[] = Object.freeze([join(fontDir, 'DejaVuSans.ttf'), join(fontDir, 'DejaVuSans-Bold.ttf')]);

/** Advance widths (em fraction) of the BMP characters a TrueType font maps, read from cmap + hmtx. */
export function readAdvances(ttf: Buffer): { advances: Float32Array; fallback: number } {
  const tables = new Map<string, number>();
  const numTables = ttf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(ttf.toString('latin1', rec, rec + 4), ttf.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  };
  const unitsPerEm = ttf.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = ttf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number): number => ttf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;

  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0, n = ttf.readUInt16BE(cmap + 2); i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = ttf.readUInt16BE(rec);
    const encoding = ttf.readUInt16BE(rec + 2);
    const at = cmap + ttf.readUInt32BE(rec + 4);
    if ((platform === 3 && encoding === 1) || platform === 0) {
      if (ttf.readUInt16BE(at) === 4) sub = at;
      if (platform === 3) break;
    }
  }
  if (sub < 0) throw new Error('font has no format-4 Unicode cmap');
  const advances = new Float32Array(0x10000).fill(NaN);
  const segX2 = ttf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  for (let s = 0; s < segX2; s += 2) {
    const end = ttf.readUInt16BE(ends + s);
    const start = ttf.readUInt16BE(starts + s);
    const delta = ttf.readUInt16BE(deltas + s);
    const rangeOffset = ttf.readUInt16BE(rangeOffsets + s);
    for (let c = start; c <= end && c < 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const g = ttf.readUInt16BE(rangeOffsets + s + rangeOffset + 2 * (c - start));
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) advances[c] = advanceOf(glyph);
    }
  }
  return { advances, fallback: advanceOf(0) };
}

const METRICS = FONT_FILES.map((f) => readAdvances(readFileSync(f)));

/** Width in pixels of one line of text set in DejaVu Sans (bold when `bold`), without kerning. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const { advances, fallback } = METRICS[bold ? 1 : 0]!;
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const a = c < 0x10000 ? advances[c]! : NaN;
    em += Number.isNaN(a) ? fallback : a;
  }
  return em * fontSize;
}

interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
  limit?: number | null;
}

const isBold = (w: TextItem['fontWeight']): boolean => w === 'bold' || w === 'bolder' || (w != null && Number(w) >= 600);

/**
 * vega's `textMetrics.width(item, text)`. vega calls it both for layout (where a label is cut to
 * `item.limit` with an ellipsis, so its width is at most the limit) and from inside its own
 * truncation search (which only compares the result with numbers below the limit), so capping
 * the measured width at the limit is right for both.
 */
function vegaTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  if (size <= 0 || s === '') return 0;
  const w = textWidth(s, size, isBold(item.fontWeight));
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(w, limit) : w;
}

(vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = vegaTextWidth;

type Config = Record<string, unknown>;

/** The spec with DejaVu Sans as the font of every text (titles, axes, legends, marks). */
function withFont(spec: object): TopLevelSpec {
  const s = spec as { config?: Config };
  const config: Config = { ...(s.config ?? {}), font: CHART_FONT };
  return { ...spec, config } as unknown as TopLevelSpec;
}

/** SVG of a Vega-Lite spec (exported for tests and debugging). */
export async function vegaLiteToSvg(spec: object): Promise<string> {
  const { spec: vg } = compile(withFont(spec));
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: 'width', value: PNG_WIDTH },
    background: 'white',
  });
  return resvg.render().asPng();
}

export async function renderVegaLite(spec: object): Promise<Buffer> {
  return svgToPng(await vegaLiteToSvg(spec));
}

/** Shared look: white background, DejaVu Sans, a bold left-aligned title with a grey subtitle. */
export const BASE_CONFIG = {
  background: 'white',
  padding: 16,
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 20, fontWeight: 'bold', color: '#1a1a1a', subtitleFontSize: 13, subtitleColor: '#555', subtitlePadding: 6, offset: 14 },
  axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#444', labelColor: '#333', domainColor: '#999', tickColor: '#999', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 12, symbolSize: 140, labelColor: '#333' },
} as const;

export function chartTitle(title: string, subtitle?: string): { text: string; subtitle?: string } {
  return subtitle ? { text: title, subtitle } : { text: title };
}

/** A chart-sized frame with a title and one grey message in the middle ("No data …"). */
export function messageSpec(title: string, subtitle: string | undefined, message: string): object {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chartTitle(title, subtitle),
    width: 1000,
    height: 420,
    config: BASE_CONFIG,
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 22, color: '#888', align: 'center', baseline: 'middle' },
    encoding: { text: { field: 'message' }, x: { value: 500 }, y: { value: 210 } },
  };
}
