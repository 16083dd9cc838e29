import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { dayNumber, isoFromDayNumber } from './civil.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Calendar dates (`YYYY-MM-DD`) as people in the workspace's time zone see them. */

export function isoDate(s: string): boolean {
  // Day-number arithmetic, not dayjs (~10 µs a call; a 100,000-row import reads 300,000 dates).
  // Years before 100 stay refused as they were: JavaScript dates read them as 19xx.
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && Number(s.slice(0, 4)) >= 100 && isoFromDayNumber(dayNumber(s)) === s;
}

/** A `<date>` as SPEC §3 takes it, `YYYY-MM-DD` or `DD.MM.YYYY`, as `YYYY-MM-DD`; undefined if it is not a calendar date. */
export function readDate(s: string): string | undefined {
  const t = s.trim();
  const bg = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/u.exec(t);
  const iso = bg ? `${bg[3]}-${bg[2]!.padStart(2, '0')}-${bg[1]!.padStart(2, '0')}` : t;
  return isoDate(iso) ? iso : undefined;
}

/** One formatter per time zone: building one (or dayjs.tz) costs ~0.1 ms, formatting ~2 µs. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

function wallClockParts(ms: number, tz: string): Record<string, string> {
  const p: Record<string, string> = {};
  for (const { type, value } of wallClock(tz).formatToParts(ms)) p[type] = value;
  return p;
}

/** The wall-clock time in `tz` as `YYYY-MM-DD HH:mm`. */
export function localDateTime(ms: number, tz: string): string {
  const p = wallClockParts(ms, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How far the wall clock in `tz` is ahead of UTC at `ms`, in milliseconds (whole minutes). */
export function utcOffset(ms: number, tz: string): number {
  const p = wallClockParts(ms, tz);
  const minute = ms - (((ms % MINUTE) + MINUTE) % MINUTE);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - minute;
}

/**
 * The first moment at which the wall clock in `tz` reads `minute` minutes past midnight of
 * `date` or later: that time itself; the first of the two in an autumn overlap; the moment the
 * clock jumps when it falls in a spring gap. Minutes past midnight are wall-clock minutes, so
 * 9:00 stays 9:00 on a day with a clock change.
 */
export function zonedInstant(date: string, minute: number, tz: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE;
  // The moment lies within UTC-12 … UTC+14 of `wall`; at most one clock change falls in between.
  const before = utcOffset(wall - 14 * HOUR, tz);
  const after = utcOffset(wall + 12 * HOUR, tz);
  const valid = [wall - before, wall - after].filter((t) => wall - utcOffset(t, tz) === t);
  if (valid.length > 0) return Math.min(...valid);
  // A spring gap: the clock jumps from before `wall` to after it between these two moments.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
    if (utcOffset(mid, tz) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** Per zone, per UTC day: the zone's offset all that day, or null on a day its clock changes. */
const dayOffsets = new Map<string, Map<number, number | null>>();
const DAY = 86_400_000;

/**
 * The calendar date in `tz` at `ms`. Asking the zone's wall clock costs microseconds, and the
 * funnel asks for tens of thousands of moments: the zone's offset is asked once per UTC day (at
 * its first and last millisecond) and, when the two agree, the date is the UTC date of the moment
 * shifted by it; on a day the clock changes the wall clock is asked itself.
 */
export function localDate(ms: number, tz: string): string {
  let days = dayOffsets.get(tz);
  if (!days || days.size > 100_000) dayOffsets.set(tz, (days = new Map()));
  const day = Math.floor(ms / DAY);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = utcOffset(day * DAY, tz);
    offset = first === utcOffset(day * DAY + DAY - 1, tz) ? first : null;
    days.set(day, offset);
  }
  const shifted = offset === null ? NaN : ms + offset;
  if (offset === null || !(shifted >= 0 && shifted < 253402300800000)) return localDateTime(ms, tz).slice(0, 10);
  return new Date(shifted).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day');
}
