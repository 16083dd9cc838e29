/** Dates: whole days since 1970-01-01 (UTC), relative to asOf. */
import { SeedError } from './options.ts';
import type { Rng } from './rng.ts';

export const DAY_MS = 86_400_000;

export class Calendar {
  readonly today: number;
  private readonly cache = new Map<number, string>();
  constructor(asOf: string) {
    const ms = Date.parse(`${asOf}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(ms)) throw new SeedError(`asOf must be a date like 2026-11-27, not ${asOf}`);
    this.today = Math.round(ms / DAY_MS);
  }
  /** `YYYY-MM-DD` of a day relative to today (0 = asOf, -1 = the day before). */
  date(rel: number): string {
    let s = this.cache.get(rel);
    if (s === undefined) this.cache.set(rel, (s = new Date((this.today + rel) * DAY_MS).toISOString().slice(0, 10)));
    return s;
  }
  /** A time during working hours (07:00–16:00 UTC) of a relative day. */
  at(rel: number, r: Rng): number {
    return (this.today + rel) * DAY_MS + 7 * 3_600_000 + Math.floor(r() * 9 * 3_600_000);
  }
  weekend(rel: number): boolean {
    const dow = (((this.today + rel + 4) % 7) + 7) % 7; // 0 = Sunday
    return dow === 0 || dow === 6;
  }
}
