import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { convertedOneByOne, forecast, funnel, type Forecast, type FunnelReport } from '../domain/funnel.ts';
import type { Policy } from '../policy.ts';
import { funnelDeals, unpaidTotals } from '../repos/funnel.ts';
import type { Store } from '../repos/store.ts';
import { addDays, localDate } from '../domain/dates.ts';
import { repeatBusiness, type RepeatBusiness } from './retention.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

export const FUNNEL_PERIODS = ['30d', '90d', 'quarter', 'year'] as const;
export type FunnelPeriod = (typeof FUNNEL_PERIODS)[number];

/** Which period a funnel covers, as a code and its figures; slack/ui names it in the reader's words. */
export type PeriodName = { kind: '30d' | '90d' } | { kind: 'quarter'; quarter: number; year: number } | { kind: 'year'; year: number };

/**
 * `30d`/`90d` end now; `quarter`/`year` are the calendar quarter or year so far, in the workspace's zone.
 */
export function periodRange(p: FunnelPeriod, now: number, tz: string): { from: number; to: number; period: PeriodName } {
  const t = dayjs(now).tz(tz);
  switch (p) {
    case '30d':
      return { from: t.subtract(30, 'day').valueOf(), to: now + 1, period: { kind: '30d' } };
    case '90d':
      return { from: t.subtract(90, 'day').valueOf(), to: now + 1, period: { kind: '90d' } };
    case 'quarter': {
      const start = t.startOf('month').subtract(t.month() % 3, 'month');
      const quarter = Math.floor(t.month() / 3) + 1;
      return { from: start.valueOf(), to: now + 1, period: { kind: 'quarter', quarter, year: t.year() } };
    }
    case 'year':
      return { from: t.startOf('year').valueOf(), to: now + 1, period: { kind: 'year', year: t.year() } };
  }
}

export interface FunnelResult {
  report: FunnelReport;
  forecast: Forecast;
  period: PeriodName;
  owner?: string;
  /** SPEC §7: won deals from existing clients, and clients kept per segment from the previous period. */
  repeat: RepeatBusiness;
}

export async function computeFunnel(store: Store, policy: Policy, period: FunnelPeriod, owner: string | undefined, now: number, tz: string): Promise<FunnelResult> {
  const range = periodRange(period, now, tz);
  // The same period in calendar days of the workspace's zone, half-open, for repeat business.
  const days = { from: localDate(range.from, tz), to: addDays(localDate(now, tz), 1) };
  const unit = period === 'quarter' || period === 'year' ? period : 'days';
  const opts = { baseCurrency: policy.abc.baseCurrency, rates: policy.abc.rates, changeover: policy.currency.changeover, probabilities: policy.funnel.stageProbabilities };
  // Closed deals come as lists of values (they count at their stage now only), unpaid invoices as
  // sums per currency and due date: the same figures as every deal's history and every invoice.
  const { deals, unpaid, repeat } = await store.read(async (tx) => ({
    deals: await funnelDeals(tx, owner, { from: range.from, to: range.to }, convertedOneByOne(opts)),
    unpaid: owner ? [] : await unpaidTotals(tx, convertedOneByOne(opts)),
    repeat: await repeatBusiness(tx, days, unit, tz, owner),
  }));
  const report = funnel(deals.deals, { from: range.from, to: range.to }, opts, deals.closed);
  // Open invoices share a few hundred due dates: each date's midnight in the zone is worked out once.
  const dueAt = new Map<string, number>();
  const midnight = (date: string) => {
    let at = dueAt.get(date);
    if (at === undefined) dueAt.set(date, (at = dayjs.tz(date, tz).valueOf()));
    return at;
  };
  const invoices = unpaid.flatMap((u) => {
    const dueAt = midnight(u.dueDate);
    return u.owedMinor.map((amountOwedMinor) => ({ amountOwedMinor, currency: u.currency, dueAt }));
  });
  return { report, forecast: forecast(deals.deals, invoices, now, { ...opts, tz }), period: range.period, ...(owner ? { owner } : {}), repeat };
}
