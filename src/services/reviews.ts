/**
 * The `reviews` job (SPEC §7), run in the analytics process: each owner their reviews due and
 * their clients newly gone quiet, the sales channel each quiet client.
 */
import { localDate } from '../domain/dates.ts';
import { byOwner, quietAlerts } from '../domain/retention.ts';
import { enqueue } from '../repos/outbox.ts';
import { alertedSpells, quietInvoices, recordQuietAlert, reviewSubjects } from '../repos/retention.ts';
import type { Ctx } from './context.ts';
import { dueItems, invoicesByClient, quietItem, quietSubjects, type OwnerDigest, type QuietItem } from './retention.ts';

export interface ReviewsRun {
  owners: OwnerDigest[];
  due: number;
  quiet: QuietItem[];
}

/**
 * The `reviews` job (SPEC §7): each owner their reviews due and their clients newly gone quiet;
 * the sales channel each quiet client. Reads every client and the A and B clients' whole invoice
 * history (it runs in the analytics process). A quiet spell is alerted only when this run records
 * it: the guarded insert makes two runs racing alert it once.
 */
export async function runReviewsDigest(ctx: Ctx): Promise<ReviewsRun> {
  const today = localDate(ctx.now, ctx.tz);
  const { subjects, invoices, alerted } = await ctx.store.read(async (tx) => ({ subjects: await reviewSubjects(tx), invoices: await quietInvoices(tx), alerted: await alertedSpells(tx) }));
  const byId = new Map(subjects.map((r) => [r.clientId, r]));
  const due = dueItems(subjects, today, ctx.policy, ctx.tz);
  const candidates = quietAlerts(quietSubjects(subjects, invoicesByClient(invoices)), today, alerted, ctx.policy.retention.quietFactor, ctx.policy.currency.changeover).map((a) => quietItem(a, byId.get(a.clientId)!));
  // Only the insert decides what is alerted; the write may run again on PostgreSQL, so it returns what it did.
  return ctx.store.write(async (tx) => {
    const quiet: QuietItem[] = [];
    for (const q of candidates) if (await recordQuietAlert(tx, q.clientId, q.spell, ctx.now)) quiet.push(q);
    const dueBy = new Map(byOwner(due));
    const quietBy = new Map(byOwner(quiet));
    const owners = [...new Set([...dueBy.keys(), ...quietBy.keys()])].sort().map((ownerId) => ({ ownerId, due: dueBy.get(ownerId) ?? [], quiet: quietBy.get(ownerId) ?? [] }));
    const items = ctx.render([{ kind: 'reviews-digest', owners, quiet, today }]);
    await enqueue(tx, items, ctx.now);
    return { owners, due: due.length, quiet };
  });
}

