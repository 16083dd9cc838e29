import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Calendar dates (`YYYY-MM-DD`) as people in the workspace's time zone see them. */

export function isoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && dayjs.utc(s, 'YYYY-MM-DD').format('YYYY-MM-DD') === s;
}

export function localDate(ms: number, tz: string): string {
  return dayjs(ms).tz(tz).format('YYYY-MM-DD');
}

export function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day');
}
