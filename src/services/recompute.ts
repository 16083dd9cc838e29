import { segmentChanges } from '../domain/abc.ts';
import { clientNames, writeSegments } from '../repos/analytics.ts';
import { computeAbc, type AbcSummary, type SegmentChange } from './analytics.ts';
import type { Ctx } from './context.ts';

/**
 * The recompute the nightly job and /abc share: classify by the policy's default criterion,
 * store every client's segment and figures (only those that differ from what is stored), and
 * queue the alert of the changes (A→B, C→A …) in the same transaction as the changes, so a
 * crash records both or neither. A first segment is stored, not alerted.
 */
export async function recomputeAndAlert(ctx: Ctx): Promise<{ summary: AbcSummary; changes: SegmentChange[]; written: number }> {
  const { store, policy } = ctx;
  const by = policy.abc.defaultCriterion;
  const { summary, rows, segments } = await computeAbc(store, policy, by, ctx.now, ctx.tz);
  // Every change is recorded; only those from an earlier segment are alerted, with names.
  // Changes come in the order of `rows`, so one walk finds each change's row.
  let j = 0;
  const recorded = segmentChanges(segments, rows).map((c) => {
    while (rows[j]!.clientId !== c.clientId) j++;
    const r = rows[j]!;
    const figures = { revenueMinor: r.revenueMinor, marginMinor: r.marginMinor, assortment: r.assortment, daysLate: r.daysLate, share: r.share, baseCurrency: policy.abc.baseCurrency, criterion: by };
    return { clientId: c.clientId, from: c.from, to: c.to, figures };
  });
  const names = await store.read((tx) => clientNames(tx, recorded.filter((c) => c.from !== null).map((c) => c.clientId)));
  const withNames = recorded.map((c): SegmentChange => ({ ...c, ...(names.get(c.clientId) ?? { name: '', ownerId: '' }) }));
  const run = { criterion: by, periodFrom: summary.period.from, periodTo: summary.period.to, baseCurrency: policy.abc.baseCurrency };
  // Only the changes this run recorded are alerted (another process may have recorded some first).
  const { written, applied } = await writeSegments(store, run, rows, withNames, ctx.now, (changes) => ctx.render([{ kind: 'segment-changes', changes }]));
  return { summary, changes: applied, written };
}
