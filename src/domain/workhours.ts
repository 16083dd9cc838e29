import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export interface WorkingTime {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Working hours as minutes from local midnight, e.g. 9:00–17:00 → 540–1020. */
  startMinute: number;
  endMinute: number;
  tz: string;
}

/**
 * The moment `hours` working hours after `from` (SPEC: approval deadlines count working
 * time, so a contract sent on Friday evening is not late on Monday morning).
 */
export function addWorkingHours(from: number, hours: number, w: WorkingTime): number {
  let remaining = Math.round(hours * 60);
  let t = dayjs(from).tz(w.tz);
  // Walk day by day: at most one partial day at each end, whole days in between.
  for (let guard = 0; guard < 3660; guard++) {
    const dayStart = t.startOf('day');
    const open = dayStart.add(w.startMinute, 'minute');
    const close = dayStart.add(w.endMinute, 'minute');
    const iso = ((t.day() + 6) % 7) + 1;
    if (w.days.includes(iso) && t.isBefore(close)) {
      const begin = t.isAfter(open) ? t : open;
      const available = close.diff(begin, 'minute');
      if (remaining <= available) return begin.add(remaining, 'minute').valueOf();
      remaining -= available;
    }
    t = dayStart.add(1, 'day');
  }
  throw new Error('working time has no working hours');
}
