import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateTime } from '../../src/domain/dates.ts';
import { addWorkingHours, type WorkingTime } from '../../src/domain/workhours.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

const SOFIA: WorkingTime = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60, tz: 'Europe/Sofia' };

/** A wall-clock time in a zone as epoch milliseconds. */
const at = (local: string, tz = SOFIA.tz) => dayjs.tz(local, tz).valueOf();
const deadline = (from: string, hours: number, w: WorkingTime = SOFIA) => localDateTime(addWorkingHours(at(from, w.tz), hours, w), w.tz);

describe('approval deadlines in working hours', () => {
  it('counts within one working day', () => {
    expect(deadline('2026-11-24 10:00', 3)).toBe('2026-11-24 13:00');
  });

  it('ends at closing time rather than the next morning when the hours fit exactly', () => {
    expect(deadline('2026-11-24 09:00', 8)).toBe('2026-11-24 17:00');
  });

  it('carries what is left of an evening over to the next morning', () => {
    expect(deadline('2026-11-24 16:00', 2)).toBe('2026-11-25 10:00');
    expect(deadline('2026-11-24 21:30', 1)).toBe('2026-11-25 10:00');
  });

  it('starts counting at opening time for a request sent before it', () => {
    expect(deadline('2026-11-24 06:45', 1.5)).toBe('2026-11-24 10:30');
  });

  it('skips the weekend: sent on Friday evening, a 24-hour deadline falls on Wednesday at closing time', () => {
    expect(deadline('2026-11-27 18:00', 24)).toBe('2026-12-02 17:00');
    expect(deadline('2026-11-28 12:00', 1)).toBe('2026-11-30 10:00');
  });

  it('keeps 9:00 local across the spring and autumn clock changes', () => {
    // Europe/Sofia: 2026-03-29 and 2026-10-25 are Sundays with a DST change.
    expect(deadline('2026-03-27 16:00', 2)).toBe('2026-03-30 10:00');
    expect(addWorkingHours(at('2026-03-27 16:00'), 2, SOFIA)).toBe(Date.parse('2026-03-30T07:00:00Z'));
    expect(deadline('2026-10-23 16:00', 2)).toBe('2026-10-26 10:00');
    expect(addWorkingHours(at('2026-10-23 16:00'), 2, SOFIA)).toBe(Date.parse('2026-10-26T08:00:00Z'));
  });

  it('reads working hours in the configured zone, not the server’s', () => {
    const from = Date.parse('2026-11-24T13:00:00Z'); // 15:00 in Sofia, 08:00 in New York
    expect(localDateTime(addWorkingHours(from, 3, SOFIA), 'Europe/Sofia')).toBe('2026-11-25 10:00');
    const ny = { ...SOFIA, tz: 'America/New_York' };
    expect(localDateTime(addWorkingHours(from, 3, ny), ny.tz)).toBe('2026-11-24 12:00');
  });

  it('follows the configured working days and hours', () => {
    const sunToThu: WorkingTime = { days: [7, 1, 2, 3, 4], startMinute: 8 * 60, endMinute: 16 * 60 + 30, tz: 'Asia/Dubai' };
    expect(deadline('2026-11-26 16:00', 1, sunToThu)).toBe('2026-11-29 08:30');
  });

  it('refuses working time that has no working hours at all', () => {
    expect(() => addWorkingHours(Date.UTC(2026, 0, 1), 1, { ...SOFIA, days: [] })).toThrow(/no working hours/);
  });

  it('keeps opening time on a working day that has a DST change', () => {
    // A seven-day week in Sofia: Sunday 2026-03-29 springs forward at 03:00, and 2026-10-25
    // falls back at 04:00. Opening and closing are wall-clock times, so they do not move.
    const everyDay = { ...SOFIA, days: [1, 2, 3, 4, 5, 6, 7] };
    expect(deadline('2026-03-29 06:00', 0.5, everyDay)).toBe('2026-03-29 09:30');
    expect(deadline('2026-03-29 06:00', 7.5, everyDay)).toBe('2026-03-29 16:30');
    expect(deadline('2026-10-25 05:00', 0.5, everyDay)).toBe('2026-10-25 09:30');
  });

  it('counts the real hours of a working day the clock change falls in', () => {
    // Working 01:00–09:00 in Sofia: the spring day has seven real hours, the autumn day nine.
    const night: WorkingTime = { days: [1, 2, 3, 4, 5, 6, 7], startMinute: 60, endMinute: 9 * 60, tz: SOFIA.tz };
    expect(deadline('2026-03-29 00:00', 7, night)).toBe('2026-03-29 09:00');
    expect(deadline('2026-03-29 00:00', 8, night)).toBe('2026-03-30 02:00');
    expect(deadline('2026-10-25 00:00', 9, night)).toBe('2026-10-25 09:00');
    expect(addWorkingHours(at('2026-10-25 00:00'), 2, night)).toBe(Date.parse('2026-10-25T00:00:00Z')); // the first 03:00
    expect(addWorkingHours(at('2026-10-25 00:00'), 3, night)).toBe(Date.parse('2026-10-25T01:00:00Z')); // 03:00 again
  });
});

/** Local wall-clock minute of the day and ISO weekday of an instant. */
function wallClock(ms: number, tz: string): { iso: number; minute: number } {
  const d = dayjs(ms).tz(tz);
  return { iso: ((d.day() + 6) % 7) + 1, minute: d.hour() * 60 + d.minute() };
}

const workingTime = (tzs: string[], days: fc.Arbitrary<number[]>) =>
  fc
    .record({
      days,
      start: fc.integer({ min: 0, max: 19 * 60 }),
      length: fc.integer({ min: 4 * 60, max: 10 * 60 }),
      tz: fc.constantFrom(...tzs),
    })
    .map(({ days: d, start, length, tz }): WorkingTime => ({ days: d, startMinute: start, endMinute: Math.min(start + length, 24 * 60 - 1), tz }));

const anyDays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) });
const minutes = fc.integer({ min: 1, max: 80 * 60 });

// Zones without DST take any working week; zones with DST take Monday to Friday, which their
// clock changes (on Sundays) never touch, or any working week with opening at 05:00 or later,
// after every clock change of those zones (so opening and closing are never inside one).
const DST_ZONES = ['Europe/Sofia', 'America/New_York', 'Australia/Sydney', 'Europe/London'];
const noDst = workingTime(['UTC', 'Asia/Kolkata', 'Asia/Tokyo', 'America/Bogota'], anyDays);
const weekdaysWithDst = workingTime(DST_ZONES, fc.constant([1, 2, 3, 4, 5]));
const anyWeekWithDst = workingTime(DST_ZONES, anyDays).filter((w) => w.startMinute >= 5 * 60);
const policies = fc.oneof(noDst, weekdaysWithDst, anyWeekWithDst);

describe('working-hour deadlines (properties)', () => {
  it('never fall in non-working time: a working day, between opening and closing', () => {
    fc.assert(
      fc.property(policies, instant, minutes, (w, from, m) => {
        const { iso, minute } = wallClock(addWorkingHours(from, m / 60, w), w.tz);
        expect(w.days).toContain(iso);
        expect(minute).toBeGreaterThan(w.startMinute);
        expect(minute).toBeLessThanOrEqual(w.endMinute);
      }),
      { numRuns: 250 },
    );
  });

  it('are later than the start by at least the hours asked, and add up: a+b hours = a hours, then b', () => {
    fc.assert(
      fc.property(policies, instant, minutes, minutes, (w, from, a, b) => {
        const once = addWorkingHours(from, (a + b) / 60, w);
        expect(once - from).toBeGreaterThanOrEqual((a + b) * 60_000);
        expect(addWorkingHours(addWorkingHours(from, a / 60, w), b / 60, w)).toBe(once);
      }),
      { numRuns: 150 },
    );
  });

  it('never move earlier when the request comes later', () => {
    fc.assert(
      fc.property(policies, instant, fc.integer({ min: 0, max: 3 * 86_400_000 }), minutes, (w, from, later, m) => {
        expect(addWorkingHours(from + later, m / 60, w)).toBeGreaterThanOrEqual(addWorkingHours(from, m / 60, w));
      }),
      { numRuns: 150 },
    );
  });

  it('count exactly the working minutes a minute-by-minute walk counts (UTC)', () => {
    fc.assert(
      fc.property(workingTime(['UTC'], anyDays), instant, fc.integer({ min: 1, max: 20 * 60 }), (w, fromRaw, m) => {
        const from = fromRaw - (fromRaw % 60_000);
        let t = from;
        for (let left = m; left > 0; t += 60_000) {
          const d = new Date(t);
          const iso = ((d.getUTCDay() + 6) % 7) + 1;
          const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
          if (w.days.includes(iso) && minute >= w.startMinute && minute < w.endMinute) left--;
        }
        expect(addWorkingHours(from, m / 60, w)).toBe(t);
      }),
      { numRuns: 100 },
    );
  });
});
