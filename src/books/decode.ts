/**
 * Bytes to text (SPEC §6): UTF-8 with or without a BOM, or Windows-1251 as Bulgarian accounting
 * software writes it; and which of `,`, `;` or tab separates the cells.
 */
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export type DecodeRefusal =
  | { kind: 'empty-file' }
  /** Not text: a spreadsheet workbook, a PDF, an archive or other binary data. */
  | { kind: 'not-text'; looksLike: 'xlsx' | 'xls' | 'pdf' | 'binary' };

export type Decoded = { ok: true; text: string; encoding: Encoding; bom: boolean } | { ok: false; refusal: DecodeRefusal };

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);

/** A spreadsheet saved as a workbook instead of CSV is the usual mistake; name it. */
function magic(b: Uint8Array): 'xlsx' | 'xls' | 'pdf' | undefined {
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) return 'xls';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  return undefined;
}

/** Control characters other than tab, CR and LF (and form feed, which some exports leave) mean binary data. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65536);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  return controls > sample.length / 100;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file. A BOM decides the encoding; otherwise bytes that are valid UTF-8 are
 * UTF-8 (Windows-1251 Cyrillic is almost never valid UTF-8: its letters are lone bytes ≥ 0xC0
 * followed by more letters, not continuation bytes), and anything else is Windows-1251.
 * Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) is read too.
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  const kind = magic(bytes);
  if (kind) return { ok: false, refusal: { kind: 'not-text', looksLike: kind } };
  let text: string;
  let encoding: Encoding;
  let bom = true;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) [text, encoding] = [iconv.decode(buf.subarray(3), 'utf-8', { stripBOM: false }), 'utf-8'];
  else if (startsWith(bytes, [0xff, 0xfe])) [text, encoding] = [iconv.decode(buf.subarray(2), 'utf-16le', { stripBOM: false }), 'utf-16le'];
  else if (startsWith(bytes, [0xfe, 0xff])) [text, encoding] = [iconv.decode(buf.subarray(2), 'utf-16be', { stripBOM: false }), 'utf-16be'];
  else {
    bom = false;
    try {
      [text, encoding] = [fatalUtf8.decode(bytes), 'utf-8'];
    } catch {
      [text, encoding] = [iconv.decode(buf, 'windows-1251'), 'windows-1251'];
    }
  }
  if (text.trim() === '') return { ok: false, refusal: { kind: 'empty-file' } };
  if (looksBinary(text)) return { ok: false, refusal: { kind: 'not-text', looksLike: 'binary' } };
  return { ok: true, text, encoding, bom };
}

/**
 * The separator the header line uses: whichever of `;`, tab and `,` occurs most often in it
 * outside quotes (a header `Име;Адрес, град` is `;`-separated). A header of one column has
 * none, and then `,` is as good as any.
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '\n' || ch === '\r') {
      if (content) break;
    } else if (counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
    if (ch.trim() !== '') content = true;
  }
  // Ties go to `;`, then tab: a Bulgarian header may hold a `,` by accident, rarely either of those.
  let best: Delimiter = ',';
  let most = 0;
  for (const d of [';', '\t', ','] as const) if (counts.get(d)! > most) [best, most] = [d, counts.get(d)!];
  return best;
}

/** Text in the encoding a file is written in. */
export function encodeText(text: string, encoding: 'utf-8' | 'windows-1251', bom: boolean): Buffer {
  const body = iconv.encode(text, encoding);
  return bom && encoding === 'utf-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** Whether a text survives Windows-1251 (it has no emoji, no Chinese, no `€`-less gaps…). */
export function fitsWindows1251(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'windows-1251'), 'windows-1251') === text;
}
