import { daysLate, localDate, nextLadderStep, type DunningOutcome, type LadderState } from '../domain/index.ts';
import { recordAudit, type Tx } from '../repos/audit.ts';
import { contractsOfClient, loadSnapshot, type ContractSnapshot } from '../repos/contracts.ts';
import { findClientById } from '../repos/clients.ts';
import {
  addDunningEvent,
  claimsOfInvoice,
  decideClaim as decideClaimRow,
  dunningLog,
  findClaim,
  findInvoice,
  insertClaim,
  overdueInvoiceIds,
  overdueInvoicesAmong,
  type ClaimRow,
  type DunningRow,
  type InvoiceWithClient,
} from '../repos/invoices.ts';
import { enqueue } from '../repos/outbox.ts';
import type { Ctx } from './context.ts';
import { claimInterest, type ClaimInterest } from './interest.ts';
import type { DunningDigestItem, Notice } from './notices.ts';
import { ok, refuse, type Result } from './refusals.ts';

/** The ladder's state for one invoice, read from its dunning log. */
function ladderState(inv: InvoiceWithClient, log: DunningRow[], claims: ClaimRow[], today: string, tz: string): LadderState {
  const mine = log.filter((e) => e.invoiceId === inv.id);
  const sent = mine
    .filter((e) => e.event === 'sent' && e.rung !== null)
    .map((e) => {
      const logs = mine.filter((l) => l.event === 'logged' && l.rung === e.rung);
      return { rung: e.rung!, sentOn: e.day, loggedOn: logs.length > 0 ? logs[logs.length - 1]!.day : null };
    });
  const promises = mine.filter((e) => e.event === 'promise');
  const last = promises[promises.length - 1];
  const brokenNoticed = last !== undefined && mine.some((e) => e.event === 'promise-broken' && e.promiseDate === last.promiseDate && e.id > last.id);
  const returned = claims.filter((c) => c.status === 'returned');
  return {
    daysLate: daysLate(inv, today),
    today,
    sent,
    promise: last?.promiseDate ? { date: last.promiseDate, brokenNoticed } : null,
    claimOffered: claims.some((c) => c.status !== 'returned'),
    returnedOn: returned.length > 0 ? localDate(returned[0]!.decidedAt ?? 0, tz) : null,
  };
}

/** Who a rung goes to: the owner, or for tell-manager the owner's manager (null: the sales channel). */
function recipient(ctx: Ctx, inv: InvoiceWithClient, action: 'remind-owner' | 'call-client' | 'tell-manager'): string | null {
  if (action !== 'tell-manager') return inv.ownerId;
  return ctx.policy.dunning.managers[inv.ownerId] ?? null;
}

/** What legal reads in the claim pack: the client's ЕИК (SPEC §5), its invoices, their contracts and the dunning log. */
async function claimPack(ctx: Ctx, tx: Tx, claim: ClaimRow, invoiceIds: number[]): Promise<{ clientEik: string | null; invoices: InvoiceWithClient[]; interest: ClaimInterest; log: DunningRow[]; contracts: ContractSnapshot[] }> {
  const invoices: InvoiceWithClient[] = [];
  for (const id of invoiceIds) {
    const inv = await findInvoice(tx, id);
    if (inv) invoices.push(inv);
  }
  const contractIds = new Set(invoices.map((i) => i.contractId).filter((x): x is number => x !== null));
  const contracts: ContractSnapshot[] = [];
  for (const c of (await contractsOfClient(tx, claim.clientId)).filter((c) => contractIds.has(c.id))) contracts.push((await loadSnapshot(tx, c.id))!);
  // As of the day the claim was offered, so the pack legal decides on keeps its figures.
  const interest = await claimInterest(tx, ctx.policy.claims, invoices, localDate(claim.offeredAt, ctx.tz), ctx.policy.currency.changeover);
  return { clientEik: (await findClientById(tx, claim.clientId))?.eik ?? null, invoices, interest, log: await dunningLog(tx, invoiceIds), contracts };
}

/**
 * Invoices handled per transaction (~15 ms of work at bench size): the bot, another process,
 * waits for the write lock no longer than that, and the pause between pages is long enough
 * for its waiting writes (SQLite's busy handler retries every few ms) to get in.
 */
const PAGE = 100;
const BETWEEN_PAGES_MS = 15;

export interface DunningTotals {
  sent: number;
  broken: number;
  claims: number;
  paused: number;
}

/**
 * One daily run of the dunning ladder over every overdue invoice: at most one step each,
 * in order; claims are offered to legal per client once sales has exhausted its options.
 * Runs in pages of invoices, each its own transaction, yielding between pages, so a large
 * book of receivables never holds the event loop (or the write lock) for long.
 *
 * Each page records its dunning events (a rung sent, a promise broken) per invoice as before
 * and returns what it recorded; the people are told at the end, in one digest each for the
 * whole run (issue 15: 30,000 DMs for 8 owners at 100,000 clients was an hour of Slack's pace
 * and unreadable), queued in the last transaction with the claims and the App Home refreshes.
 */
export async function runDunning(ctx: Ctx): Promise<DunningTotals> {
  const today = localDate(ctx.now, ctx.tz);
  const toClaim = new Map<number, InvoiceWithClient[]>();
  const totals = { sent: 0, broken: 0, paused: 0 };
  // The ids once (tens of thousands of integers), then pages of them: paging with `id > last`
  // made SQLite walk every open invoice again for each page (17 s of a 26 s run at bench size).
  const ids = await ctx.store.read((tx) => overdueInvoiceIds(tx, today));
  // Each recipient's digest items for the whole run ('' is the sales channel), in ladder order.
  const digests = new Map<string, DunningDigestItem[]>();
  for (let at = 0; at < ids.length; at += PAGE) {
    // What one page did, kept apart until it commits: on PostgreSQL a page may run again.
    const page = await ctx.store.write(async (tx) => {
      const done = { sent: 0, broken: 0, paused: 0, claims: [] as InvoiceWithClient[], told: [] as { to: string | null; item: DunningDigestItem }[] };
      const overdue = await overdueInvoicesAmong(tx, today, ids.slice(at, at + PAGE));
      const log = await dunningLog(
        tx,
        overdue.map((i) => i.id),
      );
      for (const inv of overdue) {
        const step = nextLadderStep(ctx.policy.dunning.ladder, ladderState(inv, log, await claimsOfInvoice(tx, inv.id), today, ctx.tz), ctx.policy.dunning.lapseDays);
        switch (step.kind) {
          case 'paused':
            done.paused++;
            break;
          case 'promise-broken':
            if (await addDunningEvent(tx, { invoiceId: inv.id, event: 'promise-broken', promiseDate: step.promised, userId: inv.ownerId, day: today, at: ctx.now })) {
              done.broken++;
              done.told.push({ to: inv.ownerId, item: { kind: 'promise-broken', invoice: inv, promised: step.promised } });
              await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: inv.id, clientId: inv.clientId, action: 'dunning', before: null, after: { event: 'promise-broken', promised: step.promised }, at: ctx.now });
            }
            break;
          case 'send': {
            const to = recipient(ctx, inv, step.action);
            if (await addDunningEvent(tx, { invoiceId: inv.id, event: 'sent', rung: step.rung, action: step.action, userId: to ?? inv.ownerId, day: today, at: ctx.now })) {
              done.sent++;
              done.told.push({ to, item: { kind: 'step', invoice: inv, rung: step.rung, action: step.action } });
              await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: inv.id, clientId: inv.clientId, action: 'dunning', before: null, after: { event: 'sent', action: step.action, to }, at: ctx.now });
            }
            break;
          }
          case 'offer-claim':
            done.claims.push(inv);
            break;
          case 'wait':
            break;
        }
      }
      return done;
    });
    totals.sent += page.sent;
    totals.broken += page.broken;
    totals.paused += page.paused;
    for (const inv of page.claims) toClaim.set(inv.clientId, [...(toClaim.get(inv.clientId) ?? []), inv]);
    for (const t of page.told) {
      const key = t.to ?? '';
      const list = digests.get(key);
      if (list) list.push(t.item);
      else digests.set(key, [t.item]);
    }
    await new Promise((r) => setTimeout(r, BETWEEN_PAGES_MS));
  }
  // Claims and the digests last: a claim once per client with all its invoices that passed the gate in this run.
  await ctx.store.write(async (tx) => {
    const notices: Notice[] = [...digests].map(([to, items]) => ({ kind: 'dunning-digest' as const, to: to === '' ? null : to, items, today }));
    for (const [clientId, invs] of toClaim) {
      const claim = await insertClaim(
        tx,
        clientId,
        invs.map((i) => i.id),
        ctx.now,
      );
      for (const i of invs) await addDunningEvent(tx, { invoiceId: i.id, event: 'claim-offered', userId: ctx.actor, note: `claim #${claim.id}`, day: today, at: ctx.now });
      await recordAudit(tx, { actor: ctx.actor, entity: 'claim', entityId: claim.id, clientId, action: 'claim-offered', before: null, after: { invoices: invs.map((i) => i.number) }, at: ctx.now });
      const pack = await claimPack(
        ctx,
        tx,
        claim,
        invs.map((i) => i.id),
      );
      notices.push({ kind: 'claim-offered', claim, clientName: invs[0]!.clientName, ownerId: invs[0]!.ownerId, ...pack, today });
    }
    // One render for the run: the posts, then one App Home refresh per person concerned.
    await enqueue(tx, ctx.render(notices), ctx.now);
  });
  return { ...totals, claims: toClaim.size };
}

/** What the person asked to act logged: a call made, a promise, no answer. */
export async function logDunningOutcome(ctx: Ctx, invoiceId: number, rung: number, outcome: DunningOutcome, promiseDate?: string): Promise<Result<InvoiceWithClient>> {
  const today = localDate(ctx.now, ctx.tz);
  return ctx.store.write(async (tx) => {
    const inv = await findInvoice(tx, invoiceId);
    if (!inv) return refuse<InvoiceWithClient>({ kind: 'unknown-invoice', id: invoiceId });
    if (inv.paidDate !== null) return refuse<InvoiceWithClient>({ kind: 'invoice-paid', invoice: inv.number });
    const mayLog = ctx.actor === inv.ownerId || ctx.policy.dunning.managers[inv.ownerId] === ctx.actor || ctx.roles.admins.includes(ctx.actor) || ctx.roles.finance.includes(ctx.actor);
    if (!mayLog) return refuse<InvoiceWithClient>({ kind: 'not-owner', invoice: inv.number, ownerId: inv.ownerId });
    await addDunningEvent(tx, { invoiceId, event: 'logged', rung, outcome, userId: ctx.actor, day: today, at: ctx.now, note: null });
    if (outcome === 'promised' && promiseDate) await addDunningEvent(tx, { invoiceId, event: 'promise', promiseDate, userId: ctx.actor, day: today, at: ctx.now });
    await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: inv.id, clientId: inv.clientId, action: 'dunning', before: null, after: { event: 'logged', rung, outcome, promiseDate: promiseDate ?? null }, at: ctx.now });
    return ok(inv);
  });
}

/** Legal opens the claim or sends it back to sales; only legal approvers may, and only once. */
export async function decideClaim(ctx: Ctx, claimId: number, decision: 'opened' | 'returned', note: string | null, actorIsLegal: boolean): Promise<Result<ClaimRow>> {
  const today = localDate(ctx.now, ctx.tz);
  return ctx.store.write(async (tx) => {
    const found = await findClaim(tx, claimId);
    if (!found) return refuse<ClaimRow>({ kind: 'unknown-claim', id: claimId });
    if (!actorIsLegal) return refuse<ClaimRow>({ kind: 'not-legal' });
    if (!(await decideClaimRow(tx, claimId, decision, ctx.actor, ctx.now, note))) return refuse<ClaimRow>({ kind: 'claim-decided', id: claimId, status: found.claim.status, by: found.claim.decidedBy ?? '' });
    for (const id of found.invoiceIds) await addDunningEvent(tx, { invoiceId: id, event: decision === 'opened' ? 'claim-opened' : 'claim-returned', userId: ctx.actor, note, day: today, at: ctx.now });
    await recordAudit(tx, { actor: ctx.actor, entity: 'claim', entityId: claimId, clientId: found.claim.clientId, action: decision === 'opened' ? 'claim-opened' : 'claim-returned', before: { status: 'offered' }, after: { status: decision, note }, at: ctx.now });
    const claim = (await findClaim(tx, claimId))!.claim;
    const pack = await claimPack(ctx, tx, claim, found.invoiceIds);
    const first = pack.invoices[0]!;
    await enqueue(tx, ctx.render([{ kind: 'claim-decided', claim, clientName: first.clientName, ownerId: first.ownerId, ...pack, today }]), ctx.now);
    return ok(claim);
  });
}
