import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate, localDateTime } from '../../src/domain/dates.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('wall-clock dates in a time zone', () => {
  it('agree with dayjs.tz for any instant in zones with DST, half-hour and 45-minute offsets', () => {
    const zones = ['Europe/Sofia', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, tz) => {
        expect(localDateTime(ms, tz)).toBe(dayjs(ms).tz(tz).format('YYYY-MM-DD HH:mm'));
        expect(localDate(ms, tz)).toBe(dayjs(ms).tz(tz).format('YYYY-MM-DD'));
      }),
      { numRuns: 2000 },
    );
  });

  it('give the local date across midnight and a DST change in Sofia', () => {
    expect(localDate(Date.UTC(2026, 10, 26, 21, 59), 'Europe/Sofia')).toBe('2026-11-26');
    expect(localDate(Date.UTC(2026, 10, 26, 22, 0), 'Europe/Sofia')).toBe('2026-11-27');
    // 2026-03-29 03:00 EET becomes 04:00 EEST.
    expect(localDateTime(Date.UTC(2026, 2, 29, 0, 59), 'Europe/Sofia')).toBe('2026-03-29 02:59');
    expect(localDateTime(Date.UTC(2026, 2, 29, 1, 0), 'Europe/Sofia')).toBe('2026-03-29 04:00');
  });
});
