/** Money is integer minor units with an ISO 4217 code, never a float (SPEC §2). */

const SUPPORTED = new Set<string>(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && SUPPORTED.has(code);
}

/** Minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) digitsCache.set(currency, (d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2));
  return d;
}

const digitsCache = new Map<string, number>();

/** A whole or decimal amount in major units (as a policy gives it) in minor units: 20000 JPY → 20000, 20000 EUR → 2000000, 1.5 KWD → 1500. */
export function majorToMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

// Largest amount we accept: well inside Number.MAX_SAFE_INTEGER in minor units of any currency.
export const MAX_MINOR = 10n ** 15n;

export type AmountRefusal = { kind: 'not-a-number'; text: string } | { kind: 'too-many-decimals'; digits: number } | { kind: 'not-positive' } | { kind: 'too-large' };

/**
 * Read an amount as people type it: `12500`, `12,500.50`, `12 500,50`, `12.500,50`, `1'250.5`.
 * With both `.` and `,` present the last one is the decimal mark and the other groups
 * thousands. A lone `,` before exactly three digits groups thousands (en: `1,500`), except in
 * a currency with three decimals, where bg/fr/de write `0,001`; a lone `.` is a decimal mark.
 * Thousands groups must be well formed (`1,234,567`), so `1.2.3` or `1,,2` are refused.
 */
export function parseAmount(text: string, currency: string): { ok: true; minor: number } | { ok: false; refusal: AmountRefusal } {
  const simple = plainAmount(text, currency);
  return simple !== undefined ? { ok: true, minor: simple } : readAmount(text, currency);
}

/** parseAmount's general reading, which its fast path for plain amounts must agree with (test/domain/money.test.ts). */
export function readAmount(text: string, currency: string): { ok: true; minor: number } | { ok: false; refusal: AmountRefusal } {
  const nan = { ok: false as const, refusal: { kind: 'not-a-number' as const, text } };
  const s = text.trim().replace(/[\s\u00a0\u202f']/g, '').replace(/^\+/, '');
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return nan;
  const digits = currencyDigits(currency);
  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  let decimalMark: string | undefined;
  let groupMark: string | undefined;
  if (dots > 0 && commas > 0) {
    decimalMark = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    groupMark = decimalMark === '.' ? ',' : '.';
    if ((decimalMark === '.' ? dots : commas) !== 1) return nan;
  } else if (dots + commas > 1) {
    groupMark = dots > 0 ? '.' : ',';
  } else if (commas === 1) {
    const after = s.slice(s.indexOf(',') + 1);
    if (after.length === 3 && digits !== 3 && wellGrouped(s.split(','))) groupMark = ',';
    else decimalMark = ',';
  } else if (dots === 1) decimalMark = '.';
  const [intText = '', frac = '', ...extra] = decimalMark ? s.split(decimalMark) : [s];
  if (extra.length > 0 || !/^\d*$/.test(frac)) return nan;
  let intDigits = intText;
  if (groupMark && intText.includes(groupMark)) {
    const groups = intText.split(groupMark);
    if (!wellGrouped(groups)) return nan;
    intDigits = groups.join('');
  }
  if (!/^\d*$/.test(intDigits) || (intDigits === '' && frac === '')) return nan;
  const trimmedFrac = frac.replace(/0+$/, '');
  if (trimmedFrac.length > digits) return { ok: false, refusal: { kind: 'too-many-decimals', digits } };
  const minor = BigInt(intDigits || '0') * 10n ** BigInt(digits) + BigInt((trimmedFrac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (minor <= 0n) return { ok: false, refusal: { kind: 'not-positive' } };
  if (minor > MAX_MINOR) return { ok: false, refusal: { kind: 'too-large' } };
  return { ok: true, minor: Number(minor) };
}

// Digits with at most one `.` or `,` and no spaces: how books write amounts, a hundred thousand to a file.
const PLAIN = /^(\d{1,11})(?:([.,])(\d+))?$/;

/**
 * parseAmount's reading of a plain positive amount (`12500`, `12500,5`, `0.75`), without its
 * general work (BigInt, splits); undefined for anything else, which the general reading decides:
 * a lone `,` before three digits (`1,500` may group thousands), more decimals than the currency
 * has, zero, or more than 11 integer digits (beyond those, minor units may pass 2^53).
 */
function plainAmount(text: string, currency: string): number | undefined {
  const m = PLAIN.exec(text);
  if (!m) return undefined;
  const digits = currencyDigits(currency);
  const int = m[1]!;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (m[2] === ',' && m[3]!.length === 3 && digits !== 3 && int.length <= 3) return undefined;
  if (frac.length > digits) return undefined;
  const minor = Number(int) * 10 ** digits + (digits === 0 ? 0 : Number(frac.padEnd(digits, '0')));
  return minor > 0 ? minor : undefined;
}

/** `1,234,567`: a first group of 1–3 digits, then groups of exactly three. */
function wellGrouped(groups: string[]): boolean {
  const [first = '', ...rest] = groups;
  return /^\d{1,3}$/.test(first) && rest.length > 0 && rest.every((g) => /^\d{3}$/.test(g));
}

/** Minor units as a plain decimal string: 1250050 EUR → "12500.50". */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const neg = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  const out = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${out}` : out;
}

/** Formatted for people, e.g. "€12,500.50"; exact, since Intl formats the decimal string. */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  return formatter(locale, currency).format(minorToDecimal(minor, currency) as unknown as number);
}

// Building an Intl.NumberFormat is costly; digests format thousands of amounts.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return f;
}
