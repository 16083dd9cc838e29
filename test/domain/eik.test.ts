import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { egnBirthDate, validateEik, validateVat, vatMatchesEik } from '../../src/domain/eik.ts';

// An independent oracle, written from the Registry Agency's description with plain loops over
// character codes: the check digit a prefix calls for.
function oracleCheck(prefix: string, w1: number[], w2: number[], offset: number): number {
  let s = 0;
  for (let i = 0; i < w1.length; i++) s += (prefix.charCodeAt(offset + i) - 48) * w1[i]!;
  if (s % 11 < 10) return s % 11;
  s = 0;
  for (let i = 0; i < w2.length; i++) s += (prefix.charCodeAt(offset + i) - 48) * w2[i]!;
  return s % 11 < 10 ? s % 11 : 0;
}
const check9 = (first8: string) => oracleCheck(first8, [1, 2, 3, 4, 5, 6, 7, 8], [3, 4, 5, 6, 7, 8, 9, 10], 0);
const check13 = (first12: string) => oracleCheck(first12, [2, 7, 3, 5], [4, 9, 5, 7], 8);
function oracleEik(s: string): boolean {
  if (!/^\d{9}$|^\d{13}$/.test(s)) return false;
  if (check9(s.slice(0, 8)) !== Number(s[8])) return false;
  return s.length === 9 || check13(s.slice(0, 12)) === Number(s[12]);
}
/** The ЕГН check digit of 9 digits: a remainder of 10 becomes 0. */
const egnCheck = (first9: string) => ([2, 4, 8, 5, 10, 9, 7, 3, 6].reduce((a, w, i) => a + w * Number(first9[i]), 0) % 11) % 10;
function oracleEgn(s: string): boolean {
  if (egnCheck(s) !== Number(s[9])) return false;
  const mm = Number(s.slice(2, 4));
  const year = (mm > 40 ? 2000 : mm > 20 ? 1800 : 1900) + Number(s.slice(0, 2));
  const month = mm % 20;
  const d = new Date(Date.UTC(year, month - 1, Number(s.slice(4, 6))));
  return mm <= 52 && month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === Number(s.slice(4, 6));
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const validEik9 = digits(8).map((p) => p + check9(p));
const validEik13 = validEik9.chain((e) => digits(3).map((t) => e + t + check13(e + t)));

describe('ЕИК', () => {
  it('accepts numbers by the checksum, including both fallbacks, and keeps leading zeros', () => {
    for (const eik of [
      '175074752', // the first weights
      '000695324', // leading zeros
      '123456786',
      '000000047', // remainder 10: the second weights give 7
      '000002810', // remainder 10 twice: the check digit is 0
      '1750747520004', // 13 digits: a branch of 175074752
      '1750747521234',
      '1750747520154', // 13 digits, remainder 10: the second weights
      '1750747520360', // 13 digits, remainder 10 twice
    ]) {
      expect(oracleEik(eik), eik).toBe(true);
      expect(validateEik(eik)).toEqual({ ok: true, value: eik });
    }
  });

  it('trims spaces typed around and inside the number', () => {
    expect(validateEik('  175 074 752 ')).toEqual({ ok: true, value: '175074752' });
    expect(validateEik('\u00a0000695324\t')).toEqual({ ok: true, value: '000695324' });
  });

  it('refuses lengths other than 9 and 13, non-digits and empty input, naming the field', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).filter((n) => n !== 9 && n !== 13),
        fc.nat(),
        (n, seed) => {
          const s = String(seed).padStart(n, '7').slice(0, n);
          expect(validateEik(s)).toEqual({ ok: false, refusal: { kind: 'bad-eik-length', field: 'eik', length: n } });
        },
      ),
    );
    expect(validateEik('17507475X')).toEqual({ ok: false, refusal: { kind: 'not-digits', field: 'eik', text: '17507475X' } });
    expect(validateEik('BG175074752')).toMatchObject({ ok: false, refusal: { kind: 'not-digits', field: 'eik' } });
    expect(validateEik('   ')).toEqual({ ok: false, refusal: { kind: 'empty', field: 'eik' } });
    expect(validateEik('175074753')).toEqual({ ok: false, refusal: { kind: 'bad-eik-checksum', field: 'eik' } });
    expect(validateEik('1750747520005')).toEqual({ ok: false, refusal: { kind: 'bad-eik-checksum', field: 'eik' } });
  });

  it('agrees with the oracle on any 9 or 13 digits', () => {
    fc.assert(
      fc.property(fc.oneof(digits(9), digits(13), validEik9, validEik13), (s) => {
        expect(validateEik(s).ok).toBe(oracleEik(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a 13-digit number whose first 9 digits are no ЕИК, even with a good last digit', () => {
    const bad9 = '175074753';
    const s = bad9 + '000' + check13(bad9 + '000');
    expect(validateEik(s)).toEqual({ ok: false, refusal: { kind: 'bad-eik-checksum', field: 'eik' } });
  });

  it('refuses every change of the check digit, and of any digit while no remainder falls to 10', () => {
    const oneDigitChange = (s: string) =>
      fc.record({ i: fc.integer({ min: 0, max: s.length - 1 }), d: fc.integer({ min: 1, max: 9 }) }).map(({ i, d }) => ({
        i,
        changed: s.slice(0, i) + ((Number(s[i]) + d) % 10) + s.slice(i + 1),
      }));
    // The first-weights remainder over the 8 data digits (or 4 for the 13-digit check).
    const r1 = (s: string, len: number) => (len === 9 ? [...s.slice(0, 8)].reduce((a, c, i) => a + Number(c) * (i + 1), 0) : [2, 7, 3, 5].reduce((a, w, i) => a + w * Number(s[8 + i]), 0)) % 11;
    fc.assert(
      fc.property(
        fc.oneof(validEik9, validEik13).chain((s) => oneDigitChange(s).map((c) => ({ s, ...c }))),
        ({ s, i, changed }) => {
          const isCheckDigit = i === 8 || i === 12;
          // A weighted mod-11 sum changes whenever one digit does (weights 1–10 are prime to 11),
          // so only a remainder of 10, which swaps in the second weights or 0, can hide a change.
          const noFallback = r1(s, 9) !== 10 && r1(changed, 9) !== 10 && (s.length === 9 || (r1(s, 13) !== 10 && r1(changed, 13) !== 10));
          if (isCheckDigit || noFallback) expect(validateEik(changed).ok, `${s} → ${changed}`).toBe(false);
          else expect(validateEik(changed).ok).toBe(oracleEik(changed));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is, as published, blind to some single-digit changes through the remainder-10 fallback', () => {
    // 000000047 takes the second weights (→ 7); 800000047's first remainder is 7 itself.
    expect(validateEik('000000047').ok).toBe(true);
    expect(validateEik('800000047').ok).toBe(true);
    expect(oracleEik('800000047')).toBe(true);
  });
});

describe('VAT number', () => {
  it('accepts BG + a valid ЕИК or a valid ЕГН, any case, with spaces', () => {
    expect(validateVat('BG175074752')).toEqual({ ok: true, value: 'BG175074752' });
    expect(validateVat(' bg 175 074 752')).toEqual({ ok: true, value: 'BG175074752' });
    expect(validateVat('BG000695324')).toEqual({ ok: true, value: 'BG000695324' });
    for (const egn of ['7501010010', '7523169263', '0041010002', '8002290006', '0442290005']) {
      expect(oracleEgn(egn), egn).toBe(true);
      expect(validateVat(`BG${egn}`)).toEqual({ ok: true, value: `BG${egn}` });
    }
  });

  it('refuses a missing prefix, wrong lengths, non-digits and bad checksums', () => {
    expect(validateVat('175074752')).toEqual({ ok: false, refusal: { kind: 'bad-vat-prefix', field: 'vat' } });
    expect(validateVat('DE175074752')).toEqual({ ok: false, refusal: { kind: 'bad-vat-prefix', field: 'vat' } });
    expect(validateVat('BG1750747520004')).toEqual({ ok: false, refusal: { kind: 'bad-vat-length', field: 'vat', length: 13 } });
    expect(validateVat('BG12345678')).toEqual({ ok: false, refusal: { kind: 'bad-vat-length', field: 'vat', length: 8 } });
    expect(validateVat('BG17507475O')).toEqual({ ok: false, refusal: { kind: 'not-digits', field: 'vat', text: '17507475O' } });
    expect(validateVat('')).toEqual({ ok: false, refusal: { kind: 'empty', field: 'vat' } });
    expect(validateVat('BG175074753')).toEqual({ ok: false, refusal: { kind: 'bad-vat-checksum', field: 'vat' } });
    expect(validateVat('BG7501010011')).toEqual({ ok: false, refusal: { kind: 'bad-vat-checksum', field: 'vat' } });
  });

  it('refuses an ЕГН whose checksum holds but whose date does not exist', () => {
    // 75-02-30: no 30 February; month 13 is no month; 2001 is no leap year (month 42 = 2000s February).
    for (const first9 of ['750230001', '751301001', '014229001']) {
      const egn = first9 + egnCheck(first9);
      expect(validateVat(`BG${egn}`), egn).toEqual({ ok: false, refusal: { kind: 'bad-egn-date', field: 'vat' } });
    }
  });

  it('agrees with the oracle on any 10 digits, with or without a good checksum', () => {
    const withChecksum = digits(9).map((p) => p + egnCheck(p));
    fc.assert(
      fc.property(fc.oneof(digits(10), withChecksum), (s) => {
        expect(validateVat(`BG${s}`).ok).toBe(oracleEgn(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the date of birth with the century offsets', () => {
    expect(egnBirthDate('7501010010')).toBe('1975-01-01');
    expect(egnBirthDate('7523169263')).toBe('1875-03-16');
    expect(egnBirthDate('0041010004')).toBe('2000-01-01');
    expect(egnBirthDate('0442290000')).toBe('2004-02-29');
    expect(egnBirthDate('0542290000')).toBe(null);
    expect(egnBirthDate('0061010000')).toBe(null);
  });

  it('matches a company VAT number with its ЕИК, a branch with its company', () => {
    expect(vatMatchesEik('175074752', 'BG175074752')).toBe(true);
    expect(vatMatchesEik('1750747520004', 'BG175074752')).toBe(true);
    expect(vatMatchesEik('000695324', 'BG175074752')).toBe(false);
    expect(vatMatchesEik('175074752', 'BG7501010010')).toBe(true);
  });
});
