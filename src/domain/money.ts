/** Money is integer minor units with an ISO 4217 code, never a float (SPEC §2). */

const SUPPORTED = new Set<string>(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && SUPPORTED.has(code);
}

/** Minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

// Largest amount we accept: well inside Number.MAX_SAFE_INTEGER in minor units of any currency.
export const MAX_MINOR = 10n ** 15n;

export type AmountRefusal = { kind: 'not-a-number'; text: string } | { kind: 'too-many-decimals'; digits: number } | { kind: 'not-positive' } | { kind: 'too-large' };

/**
 * Read an amount as people type it: `12500`, `12,500.50`, `12 500,50`, `12.500,50`, `1'250.5`.
 * With both `.` and `,` present the last one is the decimal mark; a lone `,` followed by
 * exactly three digits is a thousands separator, otherwise a decimal mark.
 */
export function parseAmount(text: string, currency: string): { ok: true; minor: number } | { ok: false; refusal: AmountRefusal } {
  const raw = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\+?[0-9.,]+$/.test(raw) || !/[0-9]/.test(raw)) return { ok: false, refusal: { kind: 'not-a-number', text } };
  const s = raw.replace(/^\+/, '');
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let intPart: string;
  let frac = '';
  const split = (at: number) => {
    intPart = s.slice(0, at);
    frac = s.slice(at + 1);
  };
  if (lastDot >= 0 && lastComma >= 0) split(Math.max(lastDot, lastComma));
  else if (lastComma >= 0) {
    const groups = s.split(',');
    if (groups.length > 1 && groups.slice(1).every((g) => g.length === 3) && (groups[0] ?? '').length > 0) intPart = s;
    else split(lastComma);
  } else if (lastDot >= 0) {
    const groups = s.split('.');
    if (groups.length > 2 && groups.slice(1).every((g) => g.length === 3)) intPart = s;
    else split(lastDot);
  } else intPart = s;
  intPart = intPart!.replace(/[.,]/g, '');
  if (!/^\d*$/.test(frac) || (intPart === '' && frac === '')) return { ok: false, refusal: { kind: 'not-a-number', text } };
  const digits = currencyDigits(currency);
  const trimmedFrac = frac.replace(/0+$/, '');
  if (trimmedFrac.length > digits) return { ok: false, refusal: { kind: 'too-many-decimals', digits } };
  const minor = BigInt(intPart || '0') * 10n ** BigInt(digits) + BigInt((trimmedFrac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (minor <= 0n) return { ok: false, refusal: { kind: 'not-positive' } };
  if (minor > MAX_MINOR) return { ok: false, refusal: { kind: 'too-large' } };
  return { ok: true, minor: Number(minor) };
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
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return nf.format(minorToDecimal(minor, currency) as unknown as number);
}
