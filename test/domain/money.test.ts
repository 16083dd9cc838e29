import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount, readAmount } from '../../src/domain/money.ts';

describe('parseAmount', () => {
  it('its fast path for plain amounts reads every text as the general reading does', () => {
    const text = fc.oneof(
      fc.stringMatching(/^\d{1,14}([.,]\d{0,5})?$/),
      fc.array(fc.constantFrom('0', '1', '5', '9', '.', ',', ' '), { minLength: 1, maxLength: 16 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF', 'BGN'), (t, currency) => {
        expect(parseAmount(t, currency)).toEqual(readAmount(t, currency));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the usual amounts of the books', () => {
    expect(parseAmount('1234,56', 'EUR')).toEqual({ ok: true, minor: 123456 });
    expect(parseAmount('1,500', 'EUR')).toEqual({ ok: true, minor: 150000 });
    expect(parseAmount('1,500', 'KWD')).toEqual({ ok: true, minor: 1500 });
    expect(parseAmount('0.75', 'EUR')).toEqual({ ok: true, minor: 75 });
    expect(parseAmount('12', 'JPY')).toEqual({ ok: true, minor: 12 });
    expect(parseAmount('0,00', 'EUR')).toEqual({ ok: false, refusal: { kind: 'not-positive' } });
    expect(parseAmount('1.234', 'EUR')).toEqual({ ok: false, refusal: { kind: 'too-many-decimals', digits: 2 } });
  });
});
