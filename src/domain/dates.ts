import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Calendar dates (`YYYY-MM-DD`) as people in the workspace's time zone see them. */

export function isoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && dayjs.utc(s, 'YYYY-MM-DD').format('YYYY-MM-DD') === s;
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

/** The wall-clock time in `tz` as `YYYY-MM-DD HH:mm`. */
export function localDateTime(ms: number, tz: string): string {
  const p: Record<string, string> = {};
  for (const { type, value } of wallClock(tz).formatToParts(ms)) p[type] = value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function localDate(ms: number, tz: string): string {
  return localDateTime(ms, tz).slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day');
}
