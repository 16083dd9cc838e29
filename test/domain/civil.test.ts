import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoFromDayNumber } from '../../src/domain/civil.ts';

describe('calendar days as integers', () => {
  it('agree with Date for every day from 1000 to 9999, both ways', () => {
    const lo = Date.UTC(1000, 0, 1) / 86_400_000;
    const hi = Date.UTC(9999, 11, 31) / 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        expect(isoFromDayNumber(n)).toBe(iso);
        expect(dayNumber(iso)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('count leap days', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
    expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
    expect(isoFromDayNumber(dayNumber('2026-01-15') + 45)).toBe('2026-03-01');
  });
});
