/**
 * The funnel as it was computed before src/repos/funnel.ts: every deal with its windowed history
 * (repos/analytics.ts dealsWithHistory), every unpaid invoice one by one (openInvoiceFacts), and
 * repeat business over every won deal and every sale (repos/retention.ts wonDeals, saleMarks,
 * salesIn). test/funnel-sql.test.ts holds computeFunnel to the same answers.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { addDays, localDate } from '../../src/domain/dates.ts';
import { forecast, funnel } from '../../src/domain/funnel.ts';
import { previousPeriod, repeatShare, retentionBySegment, type DatePeriod } from '../../src/domain/repeat.ts';
import type { Policy } from '../../src/policy.ts';
import { dealsWithHistory, openInvoiceFacts } from '../../src/repos/analytics.ts';
import { saleMarks, salesIn, wonDeals } from '../../src/repos/retention.ts';
import type { Store, Tx } from '../../src/repos/store.ts';
import { periodRange, type FunnelPeriod, type FunnelResult } from '../../src/services/funnel.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

async function repeatBusinessReference(tx: Tx, period: DatePeriod, unit: 'days' | 'quarter' | 'year', tz: string, ownerId?: string) {
  const deals = (await wonDeals(tx, ownerId)).map((d) => ({ dealId: d.dealId, clientId: d.clientId, openedOn: localDate(Number(d.createdAt), tz), wonOn: localDate(Number(d.wonAt), tz) }));
  const shift = (date: string, months: number) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
  };
  const previous = unit === 'days' ? previousPeriod(period) : { from: shift(period.from, unit === 'quarter' ? -3 : -12), to: period.from };
  const winners = [...new Set(deals.filter((d) => d.wonOn >= period.from && d.wonOn < period.to).map((d) => d.clientId))];
  const sales = (await saleMarks(tx, winners, ownerId)).map((s) => ({ ...s, amountMinor: Number(s.amountMinor) }));
  const marks = [...(await salesIn(tx, period, ownerId)), ...(await salesIn(tx, previous, ownerId))];
  const segments = new Map(marks.map((m) => [m.clientId, m.segment]));
  const presence = marks.map((m) => ({ clientId: m.clientId, dealId: null, issueDate: m.issueDate, amountMinor: Number(m.amountMinor) }));
  return { share: repeatShare(deals, sales, period), retention: retentionBySegment(presence, segments, period, previous), period, previous };
}

export async function funnelReference(store: Store, policy: Policy, period: FunnelPeriod, owner: string | undefined, now: number, tz: string): Promise<FunnelResult> {
  const range = periodRange(period, now, tz);
  const days = { from: localDate(range.from, tz), to: addDays(localDate(now, tz), 1) };
  const unit = period === 'quarter' || period === 'year' ? period : 'days';
  const { deals, facts, repeat } = await store.read(async (tx) => ({
    deals: await dealsWithHistory(tx, owner, { from: range.from, to: range.to }),
    facts: owner ? [] : await openInvoiceFacts(tx),
    repeat: await repeatBusinessReference(tx, days, unit, tz, owner),
  }));
  const opts = { baseCurrency: policy.abc.baseCurrency, rates: policy.abc.rates, changeover: policy.currency.changeover, probabilities: policy.funnel.stageProbabilities };
  const report = funnel(deals, { from: range.from, to: range.to }, opts);
  const invoices = facts.map((i) => ({ amountOwedMinor: Number(i.amountOwedMinor), currency: i.currency, dueAt: dayjs.tz(i.dueDate, tz).valueOf() }));
  return { report, forecast: forecast(deals, invoices, now, { ...opts, tz }), period: range.period, ...(owner ? { owner } : {}), repeat };
}
