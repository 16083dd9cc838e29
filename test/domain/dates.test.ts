import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWeekday, localDate, localDateTime, utcOffset, zonedInstant } from '../../src/domain/dates.ts';

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

  it('give the UTC offset dayjs gives, in milliseconds', () => {
    const zones = ['Europe/Sofia', 'America/New_York', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/St_Johns'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, tz) => {
        expect(utcOffset(ms, tz)).toBe(dayjs(ms).tz(tz).utcOffset() * 60_000);
      }),
      { numRuns: 500 },
    );
  });

  it('turn a wall-clock time on a date into the first moment the clock reads it or later', () => {
    const zones = ['Europe/Sofia', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe'];
    const clock = (ms: number, tz: string) => localDateTime(ms, tz);
    // Any date and time, and as often the small hours of a day with a clock change in its zone
    // (Chatham by 45 minutes at 2:45/3:45, Lord Howe by 30 minutes at 2:00).
    const anyTime = fc.record({
      date: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
      m: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      tz: fc.constantFrom(...zones),
    });
    const changes: [string, string][] = [
      ['Europe/Sofia', '2026-03-29'], ['Europe/Sofia', '2026-10-25'], ['America/New_York', '2026-03-08'], ['America/New_York', '2026-11-01'],
      ['Pacific/Chatham', '2026-04-05'], ['Pacific/Chatham', '2026-09-27'], ['Australia/Lord_Howe', '2026-04-05'], ['Australia/Lord_Howe', '2026-10-04'],
    ];
    const nearChange = fc.record({ change: fc.constantFrom(...changes), m: fc.integer({ min: 60, max: 5 * 60 }) }).map(({ change: [tz, date], m }) => ({ date, m, tz }));
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(fc.oneof(anyTime, nearChange), ({ date, m, tz }) => {
        const wanted = `${date} ${hhmm(m)}`;
        const t = zonedInstant(date, m, tz);
        expect(clock(t, tz) >= wanted).toBe(true);
        // Every earlier moment reads less, also the first pass of an hour the clock goes through twice.
        for (const back of [1, 30, 60, 120]) expect(clock(t - back * 60_000, tz) < wanted).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keep wall-clock times on the days of a clock change in Sofia', () => {
    const sofia = (date: string, h: number, m = 0) => new Date(zonedInstant(date, h * 60 + m, 'Europe/Sofia')).toISOString();
    expect(sofia('2026-03-29', 9)).toBe('2026-03-29T06:00:00.000Z');
    expect(sofia('2026-10-25', 9)).toBe('2026-10-25T07:00:00.000Z');
    // Spring: 03:00–04:00 does not exist; 03:30 means the moment the clock jumps to 04:00.
    expect(sofia('2026-03-29', 3, 30)).toBe('2026-03-29T01:00:00.000Z');
    // Autumn: 03:00–04:00 happens twice; 03:30 is the first of the two.
    expect(sofia('2026-10-25', 3, 30)).toBe('2026-10-25T00:30:00.000Z');
  });

  it('number ISO weekdays from Monday 1 to Sunday 7', () => {
    expect(['2026-11-23', '2026-11-28', '2026-11-29'].map(isoWeekday)).toEqual([1, 6, 7]);
  });
});

describe('localDate (offsets cached per UTC day)', () => {
  it('is the wall clock’s date at any moment, on days the clock changes too', () => {
    const zones = ['Europe/Sofia', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (tz, ms) => {
        expect(localDate(ms, tz)).toBe(localDateTime(ms, tz).slice(0, 10));
      }),
      { numRuns: 3000 },
    );
    // Around Sofia's clock changes of 2026, minute by minute.
    for (const at of [Date.UTC(2026, 2, 29, 0, 0), Date.UTC(2026, 9, 25, 0, 0)]) {
      for (let ms = at - 3 * 3_600_000; ms < at + 3 * 3_600_000; ms += 60_000) expect(localDate(ms, 'Europe/Sofia')).toBe(localDateTime(ms, 'Europe/Sofia').slice(0, 10));
    }
  });
});
