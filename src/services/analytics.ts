import { classify, currencyConverter, segmentChanges, type AbcCriterion, type AbcPolicy, type AbcRow, type ClientFigures } from '../domain/abc.ts';
import { addDays, localDate } from '../domain/dates.ts';
import type { Segment } from '../domain/stages.ts';
import type { Policy } from '../policy.ts';
import { syncAbcWindow } from '../repos/abc-totals.ts';
import { abcAggregates, clientNames, clientSegments, writeSegments } from '../repos/analytics.ts';
import type { Store, Tx } from '../repos/store.ts';

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
  return { thresholds: policy.abc.thresholds, weights: policy.abc.weights, baseCurrency: policy.abc.baseCurrency, rates: policy.abc.rates, changeover: policy.currency.changeover };
}

/**
 * Every client's figures over the period, from SQL aggregates per client and currency
 * (the same definitions as domain/abc clientFigures, which a test holds them to), in the order
 * of `clientIds`; a client without invoices in the period gets zeros.
 */
export async function figuresFromDb(tx: Tx, policy: Policy, period: AbcPeriod, clientIds: readonly number[]): Promise<ClientFigures[]> {
  // Per client and currency totals: the changeover currency converts by the fixed rule once per total, as clientFigures does.
  const convert = currencyConverter(policy.abc.baseCurrency, policy.abc.rates, policy.currency.changeover);
  // The aggregates come ordered by client: each client's figures are summed over its currencies,
  // then stored once, in that order.
  const found: ClientFigures[] = [];
  let id = NaN;
  let revenue = 0;
  let margin = 0;
  let late = 0;
  let weight = 0;
  let invoices = 0;
  let lineCount = 0; // of the first convertible currency's lines, unparsed
  let firstLines = '[]';
  let lines: Set<string> | undefined; // parsed only when a second currency adds lines
  let unconvertible: string[] = NONE;
  const flush = () => {
    if (Number.isNaN(id)) return;
    found.push({
      clientId: id,
      revenueMinor: Math.round(revenue),
      marginMinor: Math.round(margin),
      assortment: lines ? lines.size : lineCount,
      daysLate: weight > 0 ? late / weight : 0,
      invoices,
      unconvertible: unconvertible === NONE ? NONE : unconvertible.sort(),
    });
  };
  for (const [clientId, currency, revenueMinor, marginMinor, lateWeighted, lateWeight, count, json, jsonCount] of await abcAggregates(tx, period.from, period.to)) {
    if (clientId !== id) {
      flush();
      id = clientId;
      revenue = margin = late = weight = invoices = lineCount = 0;
      firstLines = '[]';
      lines = undefined;
      unconvertible = NONE;
    }
    const converted = convert(revenueMinor, currency);
    if (converted === null) {
      if (unconvertible === NONE) unconvertible = [];
      unconvertible.push(currency);
      continue;
    }
    // Assortment counts lines across currencies (but not an unconvertible one's), like clientFigures;
    // the usual client has one currency, whose count needs no parsing.
    if (invoices === 0) {
      firstLines = json;
      lineCount = jsonCount;
    } else if (jsonCount > 0) {
      lines ??= new Set(JSON.parse(firstLines) as string[]);
      for (const line of JSON.parse(json) as string[]) lines.add(line);
    }
    revenue += converted;
    margin += convert(marginMinor, currency) ?? 0;
    late += convert(lateWeighted, currency) ?? 0;
    // Credit notes carry no weight in the average days late, like clientFigures.
    weight += convert(lateWeight, currency) ?? 0;
    invoices += count;
  }
  flush();
  const none = (c: number): ClientFigures => ({ clientId: c, revenueMinor: 0, marginMinor: 0, assortment: 0, daysLate: 0, invoices: 0, unconvertible: NONE });
  // Clients in id order (as clientSegments reads them) are matched by one walk beside the aggregates.
  let ascending = true;
  for (let i = 1; i < clientIds.length && ascending; i++) ascending = clientIds[i - 1]! < clientIds[i]!;
  if (!ascending) {
    const byClient = new Map(found.map((f) => [f.clientId, f]));
    return clientIds.map((c) => byClient.get(c) ?? none(c));
  }
  const out = new Array<ClientFigures>(clientIds.length);
  let k = 0;
  for (let i = 0; i < clientIds.length; i++) {
    const c = clientIds[i]!;
    while (k < found.length && found[k]!.clientId < c) k++;
    out[i] = k < found.length && found[k]!.clientId === c ? found[k]! : none(c);
  }
  return out;
}

/** No unconvertible currency: one shared, frozen empty list instead of one per client. */
const NONE = Object.freeze([]) as unknown as string[];

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
  /** The Pareto chart: the 40 largest shares one by one, then the rest with a share summed per
   *  segment (clients without any share are in `segments`, not on the chart). */
  pareto: {
    rows: { name: string; share: number; cumulativeShare: number; segment: Segment }[];
    others?: { clients: number; parts: { segment: Segment; clients: number; share: number }[]; cumulativeShare: number };
  };
  thresholds: { a: number; b: number };
}

/**
 * The table and chart of one classification, in one walk over the rows. Names are asked for
 * only for the clients shown (each segment's top 5 and the chart's 40), not for all of them.
 */
export async function summarise(
  by: AbcCriterion,
  period: AbcPeriod,
  policy: Policy,
  rows: AbcRow[],
  namesOf: (clientIds: number[]) => Promise<ReadonlyMap<number, { name: string }>>,
): Promise<AbcSummary> {
  const counts = { A: 0, B: 0, C: 0 };
  const shares = { A: 0, B: 0, C: 0 };
  const tops: Record<Segment, AbcRow[]> = { A: [], B: [], C: [] };
  const withShare: AbcRow[] = [];
  let clientsWithSales = 0;
  const unconvertible = new Set<string>();
  for (const r of rows) {
    counts[r.segment]++;
    shares[r.segment] += r.share;
    if (tops[r.segment].length < 5) tops[r.segment].push(r);
    if (r.share > 0) withShare.push(r);
    if (r.revenueMinor > 0) clientsWithSales++;
    for (const c of r.unconvertible) unconvertible.add(c);
  }
  const top = withShare.slice(0, 40);
  const rest = withShare.slice(40);
  const names = await namesOf([...new Set([...tops.A, ...tops.B, ...tops.C, ...top].map((r) => r.clientId))]);
  const nameOf = (r: AbcRow) => names.get(r.clientId)?.name ?? `#${r.clientId}`;
  const segments = (['A', 'B', 'C'] as const).map((segment) => ({ segment, clients: counts[segment], share: shares[segment], top: tops[segment].map(nameOf) }));
  const pareto: AbcSummary['pareto'] = { rows: top.map((r) => ({ name: nameOf(r), share: r.share, cumulativeShare: r.cumulativeShare, segment: r.segment })) };
  if (rest.length > 0) {
    const parts = new Map<Segment, { segment: Segment; clients: number; share: number }>();
    for (const r of rest) {
      const p = parts.get(r.segment) ?? { segment: r.segment, clients: 0, share: 0 };
      p.clients++;
      p.share += r.share;
      parts.set(r.segment, p);
    }
    pareto.others = { clients: rest.length, parts: (['A', 'B', 'C'] as const).flatMap((g) => parts.get(g) ?? []), cumulativeShare: rest[rest.length - 1]!.cumulativeShare };
  }
  return {
    by,
    period,
    baseCurrency: policy.abc.baseCurrency,
    segments,
    clientsWithSales,
    unconvertible: [...unconvertible].sort(),
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

/** Classify by one criterion, read-only; `segments` are the ones stored before (clients that have one). */
export async function computeAbc(store: Store, policy: Policy, by: AbcCriterion, now: number, tz: string): Promise<{ summary: AbcSummary; rows: AbcRow[]; segments: Map<number, Segment> }> {
  const period = abcPeriod(policy, now, tz);
  // The running totals moved to this period first (a day later: one day out, one in).
  await syncAbcWindow(store, period);
  return store.read(async (tx) => {
    const { ids, segments } = await clientSegments(tx);
    const rows = classify(await figuresFromDb(tx, policy, period, ids), by, abcPolicy(policy));
    const stored = new Map<number, Segment>();
    for (let i = 0; i < ids.length; i++) if (segments[i] != null) stored.set(ids[i]!, segments[i]!);
    return { summary: await summarise(by, period, policy, rows, (clientIds) => clientNames(tx, clientIds)), rows, segments: stored };
  });
}

