import { addDays, isoWeekday, localDate, zonedInstant } from './dates.ts';

export interface WorkingTime {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Working hours as wall-clock minutes from local midnight, e.g. 9:00–17:00 → 540–1020. */
  startMinute: number;
  endMinute: number;
  tz: string;
}

const MINUTE = 60_000;

/**
 * The moment `hours` working hours after `from` (SPEC: approval deadlines count working
 * time, so a contract sent on Friday evening is not late on Monday morning). Opening and
 * closing are wall-clock times in `w.tz` on each date, also on a day with a clock change.
 */
export function addWorkingHours(from: number, hours: number, w: WorkingTime): number {
  let remaining = Math.round(hours * 60);
  let date = localDate(from, w.tz);
  // Walk day by day: at most one partial day at each end, whole days in between.
  for (let guard = 0; guard < 3660; guard++, date = addDays(date, 1)) {
    if (!w.days.includes(isoWeekday(date))) continue;
    const close = zonedInstant(date, w.endMinute, w.tz);
    if (from >= close) continue;
    const begin = Math.max(from, zonedInstant(date, w.startMinute, w.tz));
    const available = Math.floor((close - begin) / MINUTE);
    if (remaining <= available) return begin + remaining * MINUTE;
    remaining -= available;
  }
  throw new Error('working time has no working hours');
}
