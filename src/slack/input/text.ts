/** Shared pieces for reading slash-command text as Slack sends it. */
// The CSV import reads dates the same way, so the reader lives in the domain.
export { readDate } from '../../domain/dates.ts';

/** Slack escapes &, < and > in command text (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function unescapeSlack(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slash-command text is at most 4,000 characters in Slack; anything longer is not a person typing. */
export const MAX_COMMAND_TEXT = 4000;

export interface SplitOptions {
  /** Text before the first known `key:`; white space collapsed. */
  positional: string;
  /** Each known key's text, up to the next known key. */
  options: Map<string, string>;
  /** Keys given twice. */
  repeated: string[];
}

/**
 * Split `free text key:value key:more words` on the known keys only, so a value may contain
 * spaces and colons (`contact:Ivan Petrov, +359 2 123: ext. 4`) and a name may contain a colon
 * that is not one of the keys.
 */
export function splitOptions(text: string, keys: readonly string[]): SplitOptions {
  const pattern = new RegExp(`(?:^|\\s)(${keys.map(escapeRegExp).join('|')}):`, 'giu');
  const options = new Map<string, string>();
  const repeated: string[] = [];
  const marks: { key: string; start: number; valueStart: number }[] = [];
  for (const m of text.matchAll(pattern)) {
    const key = (m[1] ?? '').toLowerCase();
    const start = m.index ?? 0;
    marks.push({ key, start, valueStart: start + m[0].length });
  }
  const positional = text.slice(0, marks[0]?.start ?? text.length).replace(/\s+/gu, ' ').trim();
  marks.forEach((mark, i) => {
    const value = text.slice(mark.valueStart, marks[i + 1]?.start ?? text.length).replace(/\s+/gu, ' ').trim();
    if (options.has(mark.key)) repeated.push(mark.key);
    options.set(mark.key, value);
  });
  return { positional, options, repeated };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `<@U123|name>`, `<@U123>` (what Slack sends with should_escape) → `U123`. */
export function parseUserMention(s: string): string | undefined {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(s.trim());
  return m?.[1];
}

/** `#12` → 12. */
export function parseIdRef(s: string): number | undefined {
  const m = /^#(\d{1,9})$/.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}

/** First word and the rest. */
export function firstWord(s: string): [string, string] {
  const t = s.trim();
  const i = t.search(/\s/u);
  return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1).trim()];
}

/**
 * A list command's last bare word `export` (`/client list owner:me export`): taken off before
 * the options are split, since an option's value runs to the next option. `word`: as typed.
 * Only a bare word: `"Acme Export"` ends in a quote, so a quoted name keeps its last word.
 */
export function takeExport(text: string): { rest: string; exported: boolean; word?: string } {
  const m = /^(.*?)(?:^|\s+)(export)$/iu.exec(text.trim());
  return m ? { rest: m[1]!, exported: true, word: m[2]! } : { rest: text, exported: false };
}

/**
 * For a command that takes no free words (`/client list`, `/abc`): `export` anywhere among its
 * options (`/client list export owner:me`), since nothing else there could be that word.
 */
export function takeExportWord(text: string, keys: readonly string[]): { options: SplitOptions; exported: boolean } {
  const last = takeExport(text);
  const options = splitOptions(last.rest, keys);
  if (options.positional.toLowerCase() === 'export') return { options: { ...options, positional: '' }, exported: true };
  return { options, exported: last.exported };
}
