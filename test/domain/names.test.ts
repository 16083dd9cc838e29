import { describe, expect, it } from 'vitest';
import { nameKey, validateName } from '../../src/domain/names.ts';

describe('client names', () => {
  it('fold case for any script, width and spacing', () => {
    expect(nameKey('Елит Строй ЕООД')).toBe(nameKey('елит   строй еоод'));
    expect(nameKey('ＡＣＭＥ Ltd')).toBe(nameKey('acme ltd'));
    expect(nameKey('Acme')).not.toBe(nameKey('Acme Ltd'));
  });
  it('strip one pair of typed quotes', () => {
    expect(validateName('"Acme Ltd"')).toEqual({ ok: true, name: 'Acme Ltd' });
    expect(validateName('„Балкан“')).toEqual({ ok: true, name: 'Балкан' });
  });
  it('refuse markup, control characters, # and overlong names', () => {
    expect(validateName('<@U1>')).toMatchObject({ ok: false, refusal: { kind: 'forbidden-character' } });
    expect(validateName('a\u0007b')).toMatchObject({ ok: false, refusal: { kind: 'forbidden-character' } });
    expect(validateName('#12')).toMatchObject({ ok: false, refusal: { kind: 'starts-with-hash' } });
    expect(validateName('x'.repeat(101))).toMatchObject({ ok: false, refusal: { kind: 'too-long', length: 101 } });
    expect(validateName('   ')).toMatchObject({ ok: false, refusal: { kind: 'empty' } });
  });
  it("keep apostrophes, ampersands and O'Neil", () => {
    expect(validateName("O'Neil & Sons, Ltd.")).toEqual({ ok: true, name: "O'Neil & Sons, Ltd." });
  });
});
