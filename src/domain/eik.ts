/**
 * Bulgarian client identity (SPEC §5): the ЕИК (UIC) of the Registry Agency, 9 or 13 digits,
 * and the VAT number, `BG` + 9 digits (a company's ЕИК) or `BG` + 10 digits (a person's ЕГН),
 * each checked by its published checksum. Leading zeros are part of the number.
 */

export type IdentityField = 'eik' | 'vat';

export type IdentityRefusal =
  | { kind: 'empty'; field: IdentityField }
  /** Something other than digits (after `BG` for a VAT number). */
  | { kind: 'not-digits'; field: IdentityField; text: string }
  | { kind: 'bad-eik-length'; field: 'eik'; length: number }
  | { kind: 'bad-eik-checksum'; field: 'eik' }
  | { kind: 'bad-vat-prefix'; field: 'vat' }
  | { kind: 'bad-vat-length'; field: 'vat'; length: number }
  /** The 9 digits are not a valid ЕИК, or the 10 digits fail the ЕГН checksum. */
  | { kind: 'bad-vat-checksum'; field: 'vat' }
  /** 10 digits with a good checksum whose first six are not a date of birth. */
  | { kind: 'bad-egn-date'; field: 'vat' };

export type IdentityResult = { ok: true; value: string } | { ok: false; refusal: IdentityRefusal };

/** People paste numbers with spaces (`175 074 752`) or a no-break space; those go. */
function compact(raw: string): string {
  return raw.replace(/[\s\u00a0\u202f]/gu, '');
}

function digitsOf(s: string): number[] {
  return [...s].map(Number);
}

/** Σ digits[start + i] × weights[i] mod 11; if 10, again with the second weights; if 10 again, 0. */
function mod11(digits: number[], start: number, first: readonly number[], second: readonly number[]): number {
  const sum = (w: readonly number[]) => w.reduce((s, wi, i) => s + wi * digits[start + i]!, 0) % 11;
  const r = sum(first);
  if (r !== 10) return r;
  const r2 = sum(second);
  return r2 === 10 ? 0 : r2;
}

const EIK9_FIRST = [1, 2, 3, 4, 5, 6, 7, 8] as const;
const EIK9_SECOND = [3, 4, 5, 6, 7, 8, 9, 10] as const;
const EIK13_FIRST = [2, 7, 3, 5] as const;
const EIK13_SECOND = [4, 9, 5, 7] as const;
const EGN_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6] as const;

/** The Registry Agency's checksum over 9 or 13 digits (a 13-digit ЕИК's first 9 are an ЕИК). */
function eikChecksumOk(s: string): boolean {
  const d = digitsOf(s);
  if (mod11(d, 0, EIK9_FIRST, EIK9_SECOND) !== d[8]) return false;
  return s.length === 9 || mod11(d, 8, EIK13_FIRST, EIK13_SECOND) === d[12];
}

export function validateEik(raw: string): IdentityResult {
  const s = compact(raw);
  if (s === '') return { ok: false, refusal: { kind: 'empty', field: 'eik' } };
  if (!/^\d+$/.test(s)) return { ok: false, refusal: { kind: 'not-digits', field: 'eik', text: s } };
  if (s.length !== 9 && s.length !== 13) return { ok: false, refusal: { kind: 'bad-eik-length', field: 'eik', length: s.length } };
  if (!eikChecksumOk(s)) return { ok: false, refusal: { kind: 'bad-eik-checksum', field: 'eik' } };
  return { ok: true, value: s };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The date of birth an ЕГН encodes (`YYMMDD`, the month +20 for 1800–1899 and +40 for
 * 2000–2099), as `YYYY-MM-DD`, or null when the six digits are no date.
 */
export function egnBirthDate(egn: string): string | null {
  if (!/^\d{10}$/.test(egn)) return null;
  const yy = Number(egn.slice(0, 2));
  let month = Number(egn.slice(2, 4));
  const day = Number(egn.slice(4, 6));
  let century = 1900;
  if (month > 40) [century, month] = [2000, month - 40];
  else if (month > 20) [century, month] = [1800, month - 20];
  const year = century + yy;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function egnChecksumOk(s: string): boolean {
  const d = digitsOf(s);
  const r = EGN_WEIGHTS.reduce((sum, w, i) => sum + w * d[i]!, 0) % 11;
  return (r === 10 ? 0 : r) === d[9];
}

/** `BG` (any case) + a valid 9-digit ЕИК or a valid 10-digit ЕГН; the value is upper-cased. */
export function validateVat(raw: string): IdentityResult {
  const s = compact(raw).toUpperCase();
  if (s === '') return { ok: false, refusal: { kind: 'empty', field: 'vat' } };
  if (!s.startsWith('BG')) return { ok: false, refusal: { kind: 'bad-vat-prefix', field: 'vat' } };
  const n = s.slice(2);
  if (!/^\d+$/.test(n)) return { ok: false, refusal: { kind: 'not-digits', field: 'vat', text: n } };
  if (n.length !== 9 && n.length !== 10) return { ok: false, refusal: { kind: 'bad-vat-length', field: 'vat', length: n.length } };
  if (n.length === 9 ? !eikChecksumOk(n) : !egnChecksumOk(n)) return { ok: false, refusal: { kind: 'bad-vat-checksum', field: 'vat' } };
  if (n.length === 10 && egnBirthDate(n) === null) return { ok: false, refusal: { kind: 'bad-egn-date', field: 'vat' } };
  return { ok: true, value: s };
}

/**
 * A company's VAT number is `BG` + the first 9 digits of its ЕИК (a branch's 13-digit ЕИК
 * shares its company's). True when the two agree, and when the VAT number is a person's
 * (10 digits), which no ЕИК can confirm. Both must already be valid.
 */
export function vatMatchesEik(eik: string, vat: string): boolean {
  return vat.length !== 11 || vat.slice(2) === eik.slice(0, 9);
}
