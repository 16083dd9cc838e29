import {
  addWorkingHours,
  canResubmit,
  canSign,
  checkTerms,
  decide,
  FUNCTIONS,
  isOpen,
  MANUAL_STAGES,
  stageRank,
  type ContractStatus,
  type ContractTerms,
  type Decision,
  type Fn,
  type Stage,
  type TermsField,
} from '../domain/index.ts';
import { recordAudit, type Tx } from '../repos/audit.ts';
import { changeStage, dealsOfClient, findClientById, insertDeal, type DealRow } from '../repos/clients.ts';
import { currencyConverter } from '../domain/abc.ts';
import { checkNewDocumentCurrency } from '../domain/euro.ts';
import { localDate } from '../domain/dates.ts';
import { exceptionKey, loyaltyExceptions, toConfirm, type LoyaltyException } from '../domain/loyalty.ts';
import { termsException } from '../domain/terms.ts';
import type { Segment } from '../domain/stages.ts';
import { loyaltyFor } from '../policy.ts';
import { owedByCurrency } from '../repos/analytics.ts';
import {
  activeContractOfDeal,
  allApprovals,
  allVersions,
  dealOf,
  insertApprovals,
  insertContract,
  insertVersion,
  listContracts as listContractRows,
  loadSnapshot,
  markReminded,
  overdueApprovals,
  recordDecision,
  setDealValue,
  setStatus,
  type ApprovalRow,
  type ContractListRow,
  type ContractSnapshot,
  type VersionRow,
} from '../repos/contracts.ts';
import type { Store } from '../repos/store.ts';
import { enqueue } from '../repos/outbox.ts';
import { mustChange, writeOrStale } from '../repos/tx.ts';
import type { ClientRef } from '../domain/names.ts';
import { resolveClient } from './clients.ts';
import { createChecklist } from './delivery.ts';
import type { Ctx } from './context.ts';
import type { Notice } from './notices.ts';
import { ok, refuse, type Refusal, type Result } from './refusals.ts';

/** Terms as typed: any of them may still be missing (then the modal asks). */
export type DraftTerms = Partial<ContractTerms>;

export const REQUIRED_TERMS = ['subject', 'amountMinor', 'currency', 'netDays', 'kind'] as const satisfies readonly TermsField[];

export function missingTerms(t: DraftTerms): TermsField[] {
  return REQUIRED_TERMS.filter((k) => t[k] === undefined);
}

export function complete(t: DraftTerms): ContractTerms | undefined {
  if (missingTerms(t).length > 0) return undefined;
  return {
    subject: t.subject!,
    amountMinor: t.amountMinor!,
    currency: t.currency!,
    netDays: t.netDays!,
    kind: t.kind!,
    discountBp: t.discountBp ?? 0,
    settlement: t.settlement ?? null,
    delivery: t.delivery ?? null,
    afterSales: t.afterSales ?? null,
    special: t.special ?? null,
  };
}

function dueDates(ctx: Ctx): Record<Fn, number> {
  const w = { ...ctx.policy.workingTime, startMinute: ctx.policy.workingTime.start, endMinute: ctx.policy.workingTime.end, tz: ctx.tz };
  return {
    legal: addWorkingHours(ctx.now, ctx.policy.approvals.deadlineWorkingHours.legal, w),
    finance: addWorkingHours(ctx.now, ctx.policy.approvals.deadlineWorkingHours.finance, w),
  };
}

/**
 * Where these terms go beyond the client's loyalty policy (SPEC §3), and payment terms beyond
 * the statutory 60 days (SPEC §5), for finance to confirm.
 */
async function exceptionsFor(ctx: Ctx, tx: Tx, client: { id: number; segment: Segment | null }, terms: ContractTerms): Promise<LoyaltyException[]> {
  const loyalty = loyaltyFor(ctx.policy, client.segment);
  const base = ctx.policy.abc.baseCurrency;
  const convert = currencyConverter(base, ctx.policy.abc.rates, ctx.policy.currency.changeover);
  let exposure: number | null = convert(terms.amountMinor, terms.currency);
  for (const o of await owedByCurrency(tx, client.id)) {
    const c = convert(o.owedMinor, o.currency);
    exposure = exposure === null || c === null ? null : exposure + c;
  }
  const statutory = termsException(terms.netDays);
  return [...loyaltyExceptions(terms, loyalty, exposure === null ? null : { minor: Math.round(exposure), currency: base }), ...(statutory ? [statutory] : [])];
}

/** A contract (or a new version of one) is dated today: in a currency the changeover replaced, it is refused (SPEC §5). */
function currencyRefusal(ctx: Ctx, terms: ContractTerms): Refusal | undefined {
  const dated = localDate(ctx.now, ctx.tz);
  const c = checkNewDocumentCurrency(terms.currency, dated, ctx.policy.currency.changeover);
  return c.ok ? undefined : { ...c.refusal, document: 'contract', dated };
}

async function emit(ctx: Ctx, tx: Tx, notices: Notice[]): Promise<void> {
  await enqueue(tx, ctx.render(notices), ctx.now);
}

/** Check a client before the modal opens, so a typo is caught before anyone fills in a form. */
export async function checkClientForContract(store: Store, ref: ClientRef): Promise<Result<{ id: number; name: string }>> {
  const c = await store.read((tx) => resolveClient(tx, ref));
  if (!c.ok) return c;
  return ok({ id: c.value.id, name: c.value.name });
}

/** Submit a new contract: the deal moves to `contract`, both functions are asked to approve. */
export async function submitContract(ctx: Ctx, ref: ClientRef, terms: ContractTerms): Promise<Result<ContractSnapshot>> {
  const c = await ctx.store.read((tx) => resolveClient(tx, ref));
  if (!c.ok) return c;
  const client = c.value;
  const errors = checkTerms(terms);
  if (Object.keys(errors).length > 0) return refuse({ kind: 'bad-terms', errors });
  const replaced = currencyRefusal(ctx, terms);
  if (replaced) return refuse(replaced);
  return ctx.store.write(async (tx) => {
    const deals = await dealsOfClient(tx, client.id);
    const open = deals.filter((d) => isOpen(d.stage)).sort((a, b) => stageRank(b.stage) - stageRank(a.stage));
    // A deal already at contract with its contract in play gets a new version, not a second contract.
    for (const d of open) {
      const active = await activeContractOfDeal(tx, d.id);
      if (active) return refuse<ContractSnapshot>({ kind: 'contract-exists', client: client.name, contractId: active.id, status: active.status });
    }
    let deal: DealRow | undefined = open.find((d) => (MANUAL_STAGES as readonly Stage[]).includes(d.stage) || d.stage === 'contract');
    if (deal && deal.stage !== 'contract') {
      const moved = await changeStage(tx, { dealId: deal.id, clientId: client.id, from: deal.stage, to: 'contract', actor: ctx.actor, at: ctx.now });
      if (!moved.ok) return refuse<ContractSnapshot>({ kind: 'stale', client: client.name, now: deal.stage });
      deal = moved.deal;
    }
    // No deal in the sales stages (all closed, or the open one is past contract): a new engagement.
    deal ??= await insertDeal(tx, { clientId: client.id, stage: 'contract', ownerId: client.ownerId, title: terms.subject, actor: ctx.actor, at: ctx.now });
    const contract = await insertContract(tx, { dealId: deal.id, clientId: client.id, submittedBy: ctx.actor, at: ctx.now });
    await insertVersion(tx, contract.id, 1, terms, await exceptionsFor(ctx, tx, client, terms), ctx.actor, ctx.now);
    await setDealValue(tx, deal.id, terms.amountMinor, terms.currency, ctx.now);
    await insertApprovals(tx, contract.id, 1, dueDates(ctx), ctx.now);
    await recordAudit(tx, { actor: ctx.actor, entity: 'contract', entityId: contract.id, clientId: client.id, action: 'submitted', before: null, after: { version: 1, ...terms }, at: ctx.now });
    const snap = (await loadSnapshot(tx, contract.id))!;
    await emit(ctx, tx, [{ kind: 'approval-requested', snap }]);
    return ok(snap);
  });
}

/** Only the submitter, the client's owner or an admin may change a contract's terms. */
function mayEdit(ctx: Ctx, snap: ContractSnapshot, isAdmin: boolean): boolean {
  return isAdmin || ctx.actor === snap.contract.submittedBy || ctx.actor === snap.client.ownerId;
}

/** The terms to prefill the edit modal with, after checking the contract can be edited by this person. */
export async function contractForEdit(ctx: Ctx, id: number, isAdmin: boolean): Promise<Result<ContractSnapshot>> {
  const snap = await ctx.store.read(async (tx) => loadSnapshot(tx, id));
  if (!snap) return refuse({ kind: 'unknown-contract', id });
  const can = canResubmit(snap.contract.status);
  if (!can.ok) return refuse({ kind: 'not-editable', id, status: snap.contract.status });
  if (!mayEdit(ctx, snap, isAdmin)) return refuse({ kind: 'not-your-contract', id, submittedBy: snap.contract.submittedBy });
  return ok(snap);
}

/** A new version: both approvals start again, and both threads hear of it. */
export async function resubmitContract(ctx: Ctx, id: number, expectedVersion: number, terms: ContractTerms, isAdmin: boolean): Promise<Result<ContractSnapshot>> {
  const errors = checkTerms(terms);
  if (Object.keys(errors).length > 0) return refuse({ kind: 'bad-terms', errors });
  const replaced = currencyRefusal(ctx, terms);
  if (replaced) return refuse(replaced);
  return ctx.store.write(async (tx) => {
    const before = await loadSnapshot(tx, id);
    if (!before) return refuse<ContractSnapshot>({ kind: 'unknown-contract', id });
    if (!mayEdit(ctx, before, isAdmin)) return refuse<ContractSnapshot>({ kind: 'not-your-contract', id, submittedBy: before.contract.submittedBy });
    if (!canResubmit(before.contract.status).ok) return refuse<ContractSnapshot>({ kind: 'not-editable', id, status: before.contract.status });
    // Someone else resubmitted while this form was open: do not silently stack a version on theirs.
    if (before.contract.version !== expectedVersion) return refuse<ContractSnapshot>({ kind: 'version-moved', id, version: before.contract.version });
    const version = before.contract.version + 1;
    const moved = await setStatus(tx, { contractId: id, fromStatus: ['pending', 'changes_requested'], version: before.contract.version, to: 'pending', at: ctx.now, newVersion: version });
    if (!moved) return refuse<ContractSnapshot>({ kind: 'version-moved', id, version: before.contract.version });
    const clientRow = (await findClientById(tx, before.client.id))!;
    await insertVersion(tx, id, version, terms, await exceptionsFor(ctx, tx, clientRow, terms), ctx.actor, ctx.now);
    await setDealValue(tx, before.contract.dealId, terms.amountMinor, terms.currency, ctx.now);
    await insertApprovals(tx, id, version, dueDates(ctx), ctx.now);
    await recordAudit(tx, {
      actor: ctx.actor,
      entity: 'contract',
      entityId: id,
      clientId: before.client.id,
      action: 'resubmitted',
      before: { version: before.contract.version, status: before.contract.status },
      after: { version, ...terms },
      at: ctx.now,
    });
    const snap = (await loadSnapshot(tx, id))!;
    await emit(ctx, tx, [{ kind: 'version-submitted', snap, previous: before.terms, by: ctx.actor }]);
    return ok(snap);
  });
}

export interface DecisionRequest {
  contractId: number;
  version: number;
  fn: Fn;
  decision: Decision;
  comment: string | null;
  /** The loyalty exceptions finance ticked as confirmed (finance approvals only). */
  confirmed?: string[];
  /** Whether the actor is a configured approver of `fn` (resolved by the Slack layer, user groups included). */
  actorIsApprover: boolean;
}

/** Pre-checks a click before a reason modal opens; the decision itself re-checks in its transaction. */
export async function checkDecision(ctx: Ctx, r: DecisionRequest): Promise<Result<ContractSnapshot>> {
  const snap = await ctx.store.read(async (tx) => loadSnapshot(tx, r.contractId));
  if (!snap) return refuse({ kind: 'unknown-contract', id: r.contractId });
  const d = decide({ contract: snap.contract, approvals: snap.approvals, fn: r.fn, decision: 'approved', actor: ctx.actor, actorIsApprover: r.actorIsApprover, clickedVersion: r.version, comment: null });
  if (!d.ok) return refuse({ kind: 'decision', contractId: r.contractId, refusal: d.refusal });
  return ok(snap);
}

export async function decideContract(ctx: Ctx, r: DecisionRequest): Promise<Result<{ snap: ContractSnapshot; status: ContractStatus }>> {
  return writeOrStale(
    ctx.store,
    async (tx) => {
      const snap = await loadSnapshot(tx, r.contractId);
      if (!snap) return refuse<{ snap: ContractSnapshot; status: ContractStatus }>({ kind: 'unknown-contract', id: r.contractId });
      const d = decide({
        contract: snap.contract,
        approvals: snap.approvals,
        fn: r.fn,
        decision: r.decision,
        actor: ctx.actor,
        actorIsApprover: r.actorIsApprover,
        clickedVersion: r.version,
        comment: r.comment,
        exceptions: toConfirm(snap.terms.exceptions).map(exceptionKey),
        confirmed: r.confirmed ?? null,
      });
      if (!d.ok) return refuse<{ snap: ContractSnapshot; status: ContractStatus }>({ kind: 'decision', contractId: r.contractId, refusal: d.refusal });
      const comment = r.comment?.trim() || null;
      const confirmed = r.fn === 'finance' && r.decision === 'approved' && toConfirm(snap.terms.exceptions).length > 0 ? toConfirm(snap.terms.exceptions).map(exceptionKey) : null;
      if (!await recordDecision(tx, { contractId: r.contractId, version: r.version, fn: r.fn, decision: r.decision, by: ctx.actor, at: ctx.now, comment, confirmed })) {
        // The race guard: two approvers of one function clicking at once (several instances, or
        // PostgreSQL's concurrent transactions) record one decision; the other is told it is stale.
        return refuse<{ snap: ContractSnapshot; status: ContractStatus }>({ kind: 'stale-contract', id: r.contractId });
      }
      const statusChanged = d.status !== snap.contract.status;
      if (statusChanged) mustChange(await setStatus(tx, { contractId: r.contractId, fromStatus: ['pending'], version: r.version, to: d.status, at: ctx.now }), `contract #${r.contractId} status`);
      // SPEC §3: one rejection sends the deal back to proposal, so sales can draft a new contract.
      const deal = d.status === 'rejected' ? await dealOf(tx, snap.contract.dealId) : undefined;
      if (deal?.stage === 'contract') mustChange((await changeStage(tx, { dealId: deal.id, clientId: snap.client.id, from: 'contract', to: 'proposal', actor: ctx.actor, at: ctx.now })).ok, `deal #${deal.id} back to proposal`);
      await recordAudit(tx, {
        actor: ctx.actor,
        entity: 'contract',
        entityId: r.contractId,
        clientId: snap.client.id,
        action: 'decided',
        before: { status: snap.contract.status },
        after: { fn: r.fn, decision: r.decision, version: r.version, comment, status: d.status, ...(confirmed ? { confirmedExceptions: confirmed } : {}) },
        at: ctx.now,
      });
      const after = (await loadSnapshot(tx, r.contractId))!;
      await emit(ctx, tx, [{ kind: 'decided', snap: after, fn: r.fn, decision: r.decision, by: ctx.actor, comment, statusChanged }]);
      return ok({ snap: after, status: d.status });
    },
    () => refuse<{ snap: ContractSnapshot; status: ContractStatus }>({ kind: 'stale-contract', id: r.contractId }),
  );
}

/**
 * Record the signature of an approved contract; the deal moves to `delivery` (SPEC §2).
 * Sales signs: the submitter, the client's owner or an admin, as for changing its terms.
 */
export async function signContract(ctx: Ctx, id: number, isAdmin: boolean): Promise<Result<ContractSnapshot>> {
  return await writeOrStale(
    ctx.store,
    async (tx) => {
      const snap = await loadSnapshot(tx, id);
      if (!snap) return refuse<ContractSnapshot>({ kind: 'unknown-contract', id });
      const can = canSign(snap.contract.status, snap.approvals);
      if (!can.ok) return refuse<ContractSnapshot>({ kind: 'not-signable', id, status: can.refusal.status, missing: can.refusal.missing });
      if (!mayEdit(ctx, snap, isAdmin)) return refuse<ContractSnapshot>({ kind: 'not-your-contract', id, submittedBy: snap.contract.submittedBy, to: 'sign' });
      if (!await setStatus(tx, { contractId: id, fromStatus: ['approved'], version: snap.contract.version, to: 'signed', at: ctx.now, signedBy: ctx.actor })) {
        return refuse<ContractSnapshot>({ kind: 'stale-contract', id });
      }
      const deal = (await dealsOfClient(tx, snap.client.id)).find((d) => d.id === snap.contract.dealId);
      if (deal?.stage === 'contract') mustChange((await changeStage(tx, { dealId: deal.id, clientId: snap.client.id, from: 'contract', to: 'delivery', actor: ctx.actor, at: ctx.now })).ok, `deal #${deal.id} to delivery`);
      await recordAudit(tx, { actor: ctx.actor, entity: 'contract', entityId: id, clientId: snap.client.id, action: 'signed', before: { status: 'approved' }, after: { status: 'signed', version: snap.contract.version }, at: ctx.now });
      const after = (await loadSnapshot(tx, id))!;
      const tasks = await createChecklist(ctx, tx, after);
      await emit(ctx, tx, [
        { kind: 'signed', snap: after, by: ctx.actor },
        { kind: 'checklist-created', snap: after, tasks },
      ]);
      return ok(after);
    },
    () => refuse<ContractSnapshot>({ kind: 'stale-contract', id: id }),
  );
}

export interface ContractDetail {
  snap: ContractSnapshot;
  versions: VersionRow[];
  approvals: ApprovalRow[];
}

export async function showContract(store: Store, id: number): Promise<Result<ContractDetail>> {
  return store.read(async (tx) => {
    const snap = await loadSnapshot(tx, id);
    if (!snap) return refuse<ContractDetail>({ kind: 'unknown-contract', id });
    return ok({ snap, versions: await allVersions(tx, id), approvals: await allApprovals(tx, id) });
  });
}

export const CONTRACT_LIST_LIMIT = 40;

export async function listContracts(store: Store, status: ContractStatus | undefined): Promise<{ rows: ContractListRow[]; total: number }> {
  return store.read(async (tx) => listContractRows(tx, status, CONTRACT_LIST_LIMIT));
}

/**
 * Remind each function of approvals past their deadline: a reply in each request's thread
 * and one list in the function's channel. Returns how many were reminded.
 */
export async function remindOverdueApprovals(ctx: Ctx): Promise<{ legal: number; finance: number }> {
  return ctx.store.write(async (tx) => {
    const overdue = await overdueApprovals(tx, ctx.now);
    const byFn: Record<Fn, { snap: ContractSnapshot; dueAt: number }[]> = { legal: [], finance: [] };
    const notices: Notice[] = [];
    for (const o of overdue) {
      const snap = (await loadSnapshot(tx, o.contractId))!;
      byFn[o.approval.fn].push({ snap, dueAt: o.approval.dueAt });
      notices.push({ kind: 'approval-overdue', snap, fn: o.approval.fn, dueAt: o.approval.dueAt });
      await markReminded(tx, o.approval.id, ctx.now);
    }
    for (const fn of FUNCTIONS) if (byFn[fn].length > 0) notices.push({ kind: 'overdue-approvals', fn, items: byFn[fn] });
    await emit(ctx, tx, notices);
    return { legal: byFn.legal.length, finance: byFn.finance.length };
  });
}
