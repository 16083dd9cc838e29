import { localDate, clientStage, decideLost, decideMove, isOpen, MANUAL_STAGES, nameKey, stageRank, validateName, type Stage } from '../domain/index.ts';
import { clientAudit, countClientAudit, type AuditRow } from '../repos/audit.ts';
import {
  dealsOfClient,
  findClientById,
  findClientByEik,
  findClientByKey,
  insertClient,
  listClients as listClientRows,
  moveDealStage,
  openNewDeal,
  similarClientNames,
  updateClient,
  updateDealTerms,
  type ClientListFilter,
  type ClientListRow,
  type ClientRow,
  type ClientUpdate,
  type DealRow,
  type DealTerms,
  type StageWrite,
} from '../repos/clients.ts';
import type { Db } from '../repos/db.ts';
import { loyaltyFor, type Loyalty, type Policy } from '../policy.ts';
import { snapshotOf, type SnapshotRow } from '../repos/analytics.ts';
import { contractsOfClient, loadSnapshot, type ContractSnapshot } from '../repos/contracts.ts';
import { tasksOf, type TaskRow } from '../repos/delivery.ts';
import { openInvoices, type InvoiceWithClient } from '../repos/invoices.ts';
import type { ClientRef } from '../domain/names.ts';
import type { Ctx } from './context.ts';
import { ok, refuse, type Refusal, type Result } from './refusals.ts';
import { announce } from './announce.ts';

export interface ClientView {
  client: ClientRow;
  deals: DealRow[];
  stage: Stage | null;
  /** The deal moves and buttons act on: the most advanced open deal. */
  current: DealRow | undefined;
  historyCount: number;
  /** The client's latest contracts with their current version and approvals. */
  contracts: ContractSnapshot[];
  /** Invoices with something owed, oldest due first. */
  openInvoices: InvoiceWithClient[];
  /** Delivery tasks not done yet, across the client's contracts. */
  openTasks: TaskRow[];
  today: string;
  /** The latest recompute's figures behind `Segment:`. */
  snapshot: SnapshotRow | undefined;
  /** The loyalty terms of the client's segment (C terms until it has one). */
  loyalty: Loyalty;
  baseCurrency: string;
}

const CARD_CONTRACTS = 3;
const CARD_INVOICES = 8;

export function resolveClient(db: Db, ref: ClientRef): Result<ClientRow> {
  if ('id' in ref) {
    const c = findClientById(db, ref.id);
    return c ? ok(c) : refuse({ kind: 'unknown-client', ref: `#${ref.id}`, suggestions: [] });
  }
  if ('eik' in ref) {
    const c = findClientByEik(db, ref.eik);
    return c ? ok(c) : refuse({ kind: 'unknown-client', ref: `eik:${ref.eik}`, suggestions: [] });
  }
  const v = validateName(ref.name);
  const key = nameKey(v.ok ? v.name : ref.name);
  const c = findClientByKey(db, key);
  if (c) return ok(c);
  const display = v.ok ? v.name : ref.name;
  return refuse({ kind: 'unknown-client', ref: display, suggestions: key.length >= 2 && key.length <= 100 ? similarClientNames(db, key, 3) : [] });
}

/** One way to read a command's text: a client, and the rest of the text as typed (`12 500 EUR`). */
export interface Reading {
  ref: ClientRef;
  rest: string;
}

/**
 * The one reading that names a client. None: the refusal names every reading tried. More than
 * one, of different clients: refused, with each choice, since guessing could book money to the
 * wrong client.
 */
export function resolveReading<R extends Reading>(db: Db, readings: R[]): Result<{ client: ClientRow; reading: R }> {
  const found: { client: ClientRow; reading: R }[] = [];
  const misses: { refusal: Extract<Refusal, { kind: 'unknown-client' }>; reading: R }[] = [];
  for (const reading of readings) {
    const c = resolveClient(db, reading.ref);
    if (c.ok) {
      if (!found.some((f) => f.client.id === c.value.id)) found.push({ client: c.value, reading });
    } else if (c.refusal.kind === 'unknown-client') misses.push({ refusal: c.refusal, reading });
  }
  if (found.length === 1) return ok(found[0]!);
  if (found.length > 1) return refuse({ kind: 'ambiguous-client', choices: found.map((f) => ({ id: f.client.id, name: f.client.name, rest: f.reading.rest })) });
  const first = misses[0]?.refusal ?? { kind: 'unknown-client' as const, ref: '', suggestions: [] };
  if (misses.length < 2) return refuse(first);
  const suggestions = [...new Set(misses.flatMap((m) => m.refusal.suggestions))].slice(0, 3);
  return refuse({ ...first, suggestions, tried: misses.map((m) => ({ name: m.refusal.ref, rest: m.reading.rest })) });
}

function currentDeal(deals: DealRow[]): DealRow | undefined {
  return deals.filter((d) => isOpen(d.stage)).reduce<DealRow | undefined>((a, b) => (!a || stageRank(b.stage) > stageRank(a.stage) ? b : a), undefined);
}

export function viewClient(db: Db, client: ClientRow, today: string, policy: Policy): ClientView {
  const deals = dealsOfClient(db, client.id);
  const rows = contractsOfClient(db, client.id);
  const contracts = rows
    .slice(0, CARD_CONTRACTS)
    .map((c) => loadSnapshot(db, c.id))
    .filter((c): c is ContractSnapshot => c !== undefined);
  const openTasks = rows.flatMap((c) => tasksOf(db, c.id).filter((t) => t.doneAt === null));
  return {
    client,
    deals,
    stage: clientStage(deals),
    current: currentDeal(deals),
    historyCount: countClientAudit(db, client.id),
    contracts,
    openInvoices: openInvoices(db, client.id, CARD_INVOICES),
    openTasks,
    today,
    snapshot: snapshotOf(db, client.id),
    loyalty: loyaltyFor(policy, client.segment),
    baseCurrency: policy.abc.baseCurrency,
  };
}

export function addClient(ctx: Ctx, input: { name: string; owner?: string; contact?: string; eik?: string; vat?: string }): Result<ClientView> {
  const v = validateName(input.name);
  if (!v.ok) return refuse({ kind: 'bad-name', refusal: v.refusal });
  const written = insertClient(ctx.db, {
    name: v.name,
    nameKey: nameKey(v.name),
    ownerId: input.owner ?? ctx.actor,
    contact: input.contact ?? null,
    eik: input.eik ?? null,
    vat: input.vat ?? null,
    actor: ctx.actor,
    at: ctx.now,
  });
  if ('taken' in written) return refuse({ kind: 'name-taken', name: written.taken.name, id: written.taken.id });
  if ('eikTaken' in written) return refuse({ kind: 'eik-taken', eik: input.eik ?? '', name: written.eikTaken.name, id: written.eikTaken.id });
  announce(ctx, [{ kind: 'home', users: [written.client.ownerId] }]);
  return ok(viewClient(ctx.db, written.client, localDate(ctx.now, ctx.tz), ctx.policy));
}

export interface SetResult {
  view: ClientView;
  before: ClientUpdate;
  after: ClientUpdate;
  /** Open deals that moved to the new owner with the client. */
  dealIds: number[];
}

/** `/client set`: change what is given, audited with before and after; the same values change nothing. */
export function setClient(ctx: Ctx, ref: ClientRef, changes: ClientUpdate): Result<SetResult> {
  const c = resolveClient(ctx.db, ref);
  if (!c.ok) return c;
  const written = updateClient(ctx.db, { clientId: c.value.id, set: changes, actor: ctx.actor, at: ctx.now });
  if (!written.ok) {
    if ('missing' in written) return refuse({ kind: 'unknown-client', ref: `#${c.value.id}`, suggestions: [] });
    if ('eikTaken' in written) return refuse({ kind: 'eik-taken', eik: changes.eik ?? '', name: written.eikTaken.name, id: written.eikTaken.id });
    return refuse({ kind: 'nothing-to-change', client: written.unchanged.name, id: written.unchanged.id, fields: changes });
  }
  announce(ctx, [{ kind: 'home', users: [...new Set([c.value.ownerId, written.client.ownerId])] }]);
  const view = viewClient(ctx.db, written.client, localDate(ctx.now, ctx.tz), ctx.policy);
  return ok({ view, before: written.before, after: written.after, dealIds: written.dealIds });
}

export function showClient(db: Db, ref: ClientRef, today: string, policy: Policy): Result<ClientView> {
  const c = resolveClient(db, ref);
  return c.ok ? ok(viewClient(db, c.value, today, policy)) : c;
}

export interface MoveResult {
  view: ClientView;
  from: Stage | null;
  to: Stage;
  newDeal: boolean;
  /** The value and close date given with the move (or alone, at the deal's current stage). */
  terms: DealTerms;
}

export function moveClient(ctx: Ctx, ref: ClientRef, to: Stage, terms: DealTerms = {}): Result<MoveResult> {
  const c = resolveClient(ctx.db, ref);
  if (!c.ok) return c;
  const deal = currentDeal(dealsOfClient(ctx.db, c.value.id));
  // Naming the stage the deal is already at with a value or close date just sets those.
  if (deal && deal.stage === to && (terms.value || terms.close) && (MANUAL_STAGES as readonly Stage[]).includes(to)) return setTerms(ctx, c.value, deal, terms);
  return applyMove(ctx, c.value, deal, to, terms);
}

function setTerms(ctx: Ctx, client: ClientRow, deal: DealRow, terms: DealTerms): Result<MoveResult> {
  const written = updateDealTerms(ctx.db, { dealId: deal.id, clientId: client.id, stage: deal.stage, terms, actor: ctx.actor, at: ctx.now });
  return answerMove(ctx, client, written, { from: deal.stage, to: deal.stage, newDeal: false, terms });
}

/** The card after a deal's write, or the stage it is at now when someone else moved it first. */
function answerMove(ctx: Ctx, client: ClientRow, written: StageWrite, m: Omit<MoveResult, 'view'>): Result<MoveResult> {
  const view = viewClient(ctx.db, client, localDate(ctx.now, ctx.tz), ctx.policy);
  if (!written.ok) return refuse({ kind: 'stale', client: client.name, now: view.stage });
  announce(ctx, [{ kind: 'home', users: [client.ownerId] }]);
  return ok({ view, ...m });
}

/** A move from a card's button: it names the deal and the stage the card showed. */
export function moveFromCard(ctx: Ctx, m: { clientId: number; dealId: number; from: Stage; to: Stage }): Result<MoveResult> {
  const c = findClientById(ctx.db, m.clientId);
  if (!c) return refuse({ kind: 'unknown-client', ref: `#${m.clientId}`, suggestions: [] });
  const deal = dealsOfClient(ctx.db, c.id).find((d) => d.id === m.dealId);
  if (!deal || deal.stage !== m.from) return refuse({ kind: 'stale', client: c.name, now: clientStage(dealsOfClient(ctx.db, c.id)) });
  return applyMove(ctx, c, deal, m.to, {});
}

function applyMove(ctx: Ctx, client: ClientRow, deal: DealRow | undefined, to: Stage, terms: DealTerms): Result<MoveResult> {
  const from = deal?.stage ?? null;
  const d = decideMove(from, to);
  if (!d.ok) return refuse({ kind: 'move', client: client.name, refusal: d.refusal });
  const written =
    deal && !d.newDeal
      ? moveDealStage(ctx.db, { dealId: deal.id, clientId: client.id, from: deal.stage, to, actor: ctx.actor, at: ctx.now, terms })
      : openNewDeal(ctx.db, { clientId: client.id, stage: to, ownerId: client.ownerId, title: client.name, actor: ctx.actor, at: ctx.now, terms });
  return answerMove(ctx, client, written, { from, to, newDeal: d.newDeal, terms });
}

export function loseClient(
  ctx: Ctx,
  readings: { ref: ClientRef; reason: string }[],
  whole: ClientRef,
): Result<{ view: ClientView; from: Stage; reason: string }> {
  let found: { client: ClientRow; reason: string } | undefined;
  let firstMiss: Result<ClientRow> | undefined;
  for (const r of readings) {
    const c = resolveClient(ctx.db, r.ref);
    if (c.ok) {
      found = { client: c.value, reason: r.reason };
      break;
    }
    firstMiss ??= c;
  }
  if (!found) {
    // The whole text is a client's name: the reason is what is missing, not the client.
    const named = resolveClient(ctx.db, whole);
    if (named.ok) return refuse({ kind: 'lost', client: named.value.name, refusal: { kind: 'reason-required' } });
    return firstMiss && !firstMiss.ok ? firstMiss : named;
  }
  return loseDeal(ctx, found.client, undefined, found.reason);
}

/** Mark the client's current deal lost; `expectDealId` pins it when the click came from a card. */
/** A client by the id a button or a modal carries; undefined when it no longer exists. */
export function clientById(db: Db, id: number): ClientRow | undefined {
  return findClientById(db, id);
}

export function loseDeal(ctx: Ctx, client: ClientRow, expectDealId: number | undefined, reason: string): Result<{ view: ClientView; from: Stage; reason: string }> {
  const deals = dealsOfClient(ctx.db, client.id);
  const deal = currentDeal(deals);
  if (expectDealId !== undefined && deal?.id !== expectDealId) return refuse({ kind: 'stale', client: client.name, now: clientStage(deals) });
  const d = decideLost(deal?.stage ?? null, reason);
  if (!d.ok || !deal) return refuse({ kind: 'lost', client: client.name, refusal: d.ok ? { kind: 'no-open-deal' } : d.refusal });
  const written = moveDealStage(ctx.db, { dealId: deal.id, clientId: client.id, from: d.from, to: 'lost', reason: d.reason, actor: ctx.actor, at: ctx.now });
  const view = viewClient(ctx.db, client, localDate(ctx.now, ctx.tz), ctx.policy);
  if (!written.ok) return refuse({ kind: 'stale', client: client.name, now: view.stage });
  announce(ctx, [{ kind: 'home', users: [client.ownerId] }]);
  return ok({ view, from: d.from, reason: d.reason });
}

export const HISTORY_LIMIT = 40;

export function clientHistory(db: Db, ref: ClientRef): Result<{ client: ClientRow; events: AuditRow[]; total: number }> {
  const c = resolveClient(db, ref);
  if (!c.ok) return c;
  return ok({ client: c.value, events: clientAudit(db, c.value.id, HISTORY_LIMIT), total: countClientAudit(db, c.value.id) });
}

export const LIST_LIMIT = 50;

export function listClients(db: Db, filter: ClientListFilter): { rows: ClientListRow[]; total: number } {
  return listClientRows(db, filter, LIST_LIMIT);
}
