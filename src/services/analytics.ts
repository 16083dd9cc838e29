import { classify, currencyConverter, segmentChanges, type AbcCriterion, type AbcPolicy, type AbcRow, type ClientFigures } from '../domain/abc.ts';
import { addDays, localDate } from '../domain/dates.ts';
import type { Segment } from '../domain/stages.ts';
import type { Policy } from '../policy.ts';
import { allClients, invoiceAggregates, writeSegments, type ClientBrief, type SnapshotRow } from '../repos/analytics.ts';
import type { Db } from '../repos/db.ts';

export interface AbcPeriod {
  from: string;
  to: string;
}

export function abcPeriod(policy: Policy, now: number, tz: string): AbcPeriod {
  const to = localDate(now, tz);
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - policy.abc.periodMonths);
  return { from: addDays(d.toISOString().slice(0, 10), 1), to };
}

export function abcPolicy(policy: Policy): AbcPolicy {
  return { thresholds: policy.abc.thresholds, weights: policy.abc.weights, baseCurrency: policy.abc.baseCurrency, rates: policy.abc.rates };
}

/**
 * Every client's figures over the period, from SQL aggregates per client and currency
 * (the same definitions as domain/abc clientFigures, which a test holds them to).
 */
export function figuresFromDb(db: Db, policy: Policy, period: AbcPeriod, clients: ClientBrief[]): ClientFigures[] {
  const convert = currencyConverter(policy.abc.baseCurrency, policy.abc.rates);
  const byClient = new Map<number, { revenue: number; margin: number; late: number; weight: number; invoices: number; unconvertible: Set<string>; lines: Set<string> }>();
  for (const a of invoiceAggregates(db, period.from, period.to, period.to)) {
    let f = byClient.get(a.clientId);
    if (!f) byClient.set(a.clientId, (f = { revenue: 0, margin: 0, late: 0, weight: 0, invoices: 0, unconvertible: new Set(), lines: new Set() }));
    const revenue = convert(a.revenueMinor, a.currency);
    if (revenue === null) {
      f.unconvertible.add(a.currency);
      continue;
    }
    // Assortment counts lines across currencies (but not an unconvertible one's), like clientFigures.
    for (const line of JSON.parse(a.lines) as (string | null)[]) if (line) f.lines.add(line);
    f.revenue += revenue;
    f.margin += convert(a.marginMinor, a.currency) ?? 0;
    f.late += convert(a.lateWeighted, a.currency) ?? 0;
    f.weight += revenue > 0 ? revenue : 0;
    f.invoices += a.invoices;
  }
  return clients.map((c) => {
    const f = byClient.get(c.id);
    return {
      clientId: c.id,
      revenueMinor: Math.round(f?.revenue ?? 0),
      marginMinor: Math.round(f?.margin ?? 0),
      assortment: f?.lines.size ?? 0,
      daysLate: f && f.weight > 0 ? f.late / f.weight : 0,
      invoices: f?.invoices ?? 0,
      unconvertible: f ? [...f.unconvertible].sort() : [],
    };
  });
}

export interface AbcSegmentSummary {
  segment: Segment;
  clients: number;
  share: number;
  top: string[];
}

export interface AbcSummary {
  by: AbcCriterion;
  period: AbcPeriod;
  baseCurrency: string;
  segments: AbcSegmentSummary[];
  clientsWithSales: number;
  unconvertible: string[];
  /** Top of the Pareto chart: the 40 largest, then the rest as one bar. */
  pareto: { name: string; share: number; cumulativeShare: number; segment: Segment }[];
  thresholds: { a: number; b: number };
}

export function summarise(by: AbcCriterion, period: AbcPeriod, policy: Policy, rows: AbcRow[], clients: Map<number, ClientBrief>): AbcSummary {
  const segments = (['A', 'B', 'C'] as const).map((segment) => {
    const inSeg = rows.filter((r) => r.segment === segment);
    return {
      segment,
      clients: inSeg.length,
      share: inSeg.reduce((s, r) => s + r.share, 0),
      top: inSeg.slice(0, 5).map((r) => clients.get(r.clientId)?.name ?? `#${r.clientId}`),
    };
  });
  const withShare = rows.filter((r) => r.share > 0);
  const top = withShare.slice(0, 40);
  const rest = withShare.slice(40);
  const pareto = top.map((r) => ({ name: clients.get(r.clientId)?.name ?? `#${r.clientId}`, share: r.share, cumulativeShare: r.cumulativeShare, segment: r.segment }));
  if (rest.length > 0) {
    const last = rest[rest.length - 1]!;
    pareto.push({ name: `others (${rest.length})`, share: rest.reduce((s, r) => s + r.share, 0), cumulativeShare: last.cumulativeShare, segment: 'C' });
  }
  return {
    by,
    period,
    baseCurrency: policy.abc.baseCurrency,
    segments,
    clientsWithSales: rows.filter((r) => r.revenueMinor > 0).length,
    unconvertible: [...new Set(rows.flatMap((r) => r.unconvertible))].sort(),
    pareto,
    thresholds: policy.abc.thresholds,
  };
}

export interface SegmentChange {
  clientId: number;
  name: string;
  ownerId: string;
  from: Segment | null;
  to: Segment;
  figures: { revenueMinor: number; marginMinor: number; assortment: number; daysLate: number; share: number; baseCurrency: string; criterion: AbcCriterion };
}

/** Classify by one criterion, read-only. */
export function computeAbc(db: Db, policy: Policy, by: AbcCriterion, now: number, tz: string): { summary: AbcSummary; rows: AbcRow[]; clients: ClientBrief[] } {
  const period = abcPeriod(policy, now, tz);
  const clients = allClients(db);
  const rows = classify(figuresFromDb(db, policy, period, clients), by, abcPolicy(policy));
  return { summary: summarise(by, period, policy, rows, new Map(clients.map((c) => [c.id, c]))), rows, clients };
}

/**
 * The recompute: classify by the policy's default criterion, store every client's segment and
 * figures, and return the changes (A→B, C→A …) to alert; a first segment is stored, not alerted.
 */
export function recomputeSegments(db: Db, policy: Policy, now: number, tz: string): { summary: AbcSummary; changes: SegmentChange[] } {
  const by = policy.abc.defaultCriterion;
  const { summary, rows, clients } = computeAbc(db, policy, by, now, tz);
  const brief = new Map(clients.map((c) => [c.id, c]));
  const before = new Map(clients.filter((c) => c.segment !== null).map((c) => [c.id, c.segment as Segment]));
  const all = segmentChanges(before, rows);
  const byId = new Map(rows.map((r) => [r.clientId, r]));
  const changes: SegmentChange[] = all.map((c) => {
    const r = byId.get(c.clientId)!;
    const b = brief.get(c.clientId)!;
    return {
      clientId: c.clientId,
      name: b.name,
      ownerId: b.ownerId,
      from: c.from,
      to: c.to,
      figures: { revenueMinor: r.revenueMinor, marginMinor: r.marginMinor, assortment: r.assortment, daysLate: r.daysLate, share: r.share, baseCurrency: policy.abc.baseCurrency, criterion: by },
    };
  });
  const snapshots: SnapshotRow[] = rows.map((r) => ({
    clientId: r.clientId,
    criterion: by,
    segment: r.segment,
    periodFrom: summary.period.from,
    periodTo: summary.period.to,
    revenueMinor: r.revenueMinor,
    marginMinor: r.marginMinor,
    baseCurrency: policy.abc.baseCurrency,
    assortment: r.assortment,
    daysLate: r.daysLate,
    share: r.share,
    cumulativeShare: r.cumulativeShare,
    rank: r.rank,
  }));
  writeSegments(db, snapshots, changes, now);
  return { summary, changes: changes.filter((c) => c.from !== null) };
}
