/** Client names: unique case-insensitively, may hold spaces and any script (SPEC §2–§3). */

export const MAX_NAME_LENGTH = 100;

/** How a person names a client in a command: by `#id`, by name, or by its ЕИК (`eik:<ЕИК>`, SPEC §5; already valid). */
export type ClientRef = { id: number } | { name: string } | { eik: string };

export type NameRefusal =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number; max: number }
  | { kind: 'forbidden-character'; char: string }
  | { kind: 'starts-with-hash' };

// Characters that are Slack markup or would make the name ambiguous in a command line.
const FORBIDDEN = /[<>`*~|\u0000-\u001f\u007f]/u;

/** Collapse white space and strip the surrounding quotes a user may have typed (any number of pairs). */
export function cleanName(raw: string): string {
  let s = raw.replace(/\s+/gu, ' ').trim();
  for (let quoted = QUOTED.exec(s); quoted; quoted = QUOTED.exec(s)) s = (quoted[1] ?? '').trim();
  return s;
}

const QUOTED = /^["'“„«＂＇](.*)["'”“»＂＇]$/u;

export function validateName(raw: string): { ok: true; name: string } | { ok: false; refusal: NameRefusal } {
  const name = cleanName(raw);
  if (name.length === 0) return { ok: false, refusal: { kind: 'empty' } };
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) return { ok: false, refusal: { kind: 'too-long', length, max: MAX_NAME_LENGTH } };
  const bad = FORBIDDEN.exec(name);
  if (bad) return { ok: false, refusal: { kind: 'forbidden-character', char: bad[0] } };
  if (name.startsWith('#')) return { ok: false, refusal: { kind: 'starts-with-hash' } };
  return { ok: true, name };
}

/** The key that makes names unique regardless of case, width or spacing, for any script. */
export function nameKey(name: string): string {
  // NFKC first: it turns full-width quotes and spaces into plain ones for cleanName to fold.
  return cleanName(cleanName(name).normalize('NFKC')).toLowerCase();
}
