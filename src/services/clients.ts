import { localDate, clientStage, decideLost, decideMove, isOpen, MANUAL_STAGES, nameKey, stageRank, validateName, type Stage } from '../domain/index.ts';
import { clientAudit, countClientAudit, type AuditRow } from '../repos/audit.ts';
import {
  dealsOfClient,
  findClientById,
  findClientByEik,
  findClientByKey,
  insertClient,
  listClients as listClientRows,
  changeStage,
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
  type NewClient,
  type StageWrite,
} from '../repos/clients.ts';
import type { Store, Tx } from '../repos/store.ts';
import { loyaltyFor, type Loyalty, type Policy } from '../policy.ts';
import type { SnapshotRow } from '../repos/analytics.ts';
import { cardRows, type CardRows, type ClientWhere } from '../repos/card.ts';
import type { ContractSnapshot } from '../repos/contracts.ts';
import type { TaskRow } from '../repos/delivery.ts';
import type { InvoiceWithClient } from '../repos/invoices.ts';
import type { ClientRef } from '../domain/names.ts';
import type { Ctx } from './context.ts';
import { ok, refuse, type Refusal, type Result } from './refusals.ts';
import { announce } from './announce.ts';
import { cardRetention, type CardRetention } from './retention.ts';
import { insertReview, type ReviewRow } from '../repos/retention.ts';

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
  /** `Last review:`, `Next review:` and, at lead, qualified or proposal, `Fit:` (SPEC §7). */
  retention: CardRetention;
}

const CARD_CONTRACTS = 3;
const CARD_INVOICES = 8;

/** The row a reference names: by id, by ЕИК, or by its name's key (as resolveClient looks it up). */
function clientWhere(ref: ClientRef): ClientWhere {
  if ('id' in ref) return { id: ref.id };
  if ('eik' in ref) return { eik: ref.eik };
  const v = validateName(ref.name);
  return { nameKey: nameKey(v.ok ? v.name : ref.name) };
}

export async function resolveClient(tx: Tx, ref: ClientRef): Promise<Result<ClientRow>> {
  if ('id' in ref) {
    const c = await findClientById(tx, ref.id);
    return c ? ok(c) : refuse({ kind: 'unknown-client', ref: `#${ref.id}`, suggestions: [] });
  }
  if ('eik' in ref) {
    const c = await findClientByEik(tx, ref.eik);
    return c ? ok(c) : refuse({ kind: 'unknown-client', ref: `eik:${ref.eik}`, suggestions: [] });
  }
  const v = validateName(ref.name);
  const key = nameKey(v.ok ? v.name : ref.name);
  const c = await findClientByKey(tx, key);
  if (c) return ok(c);
  const display = v.ok ? v.name : ref.name;
  return refuse({ kind: 'unknown-client', ref: display, suggestions: key.length >= 2 && key.length <= 100 ? await similarClientNames(tx, key, 3) : [] });
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
export async function resolveReading<R extends Reading>(tx: Tx, readings: R[]): Promise<Result<{ client: ClientRow; reading: R }>> {
  const found: { client: ClientRow; reading: R }[] = [];
  const misses: { refusal: Extract<Refusal, { kind: 'unknown-client' }>; reading: R }[] = [];
  for (const reading of readings) {
    const c = await resolveClient(tx, reading.ref);
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

const CARD_LIMITS = { contracts: CARD_CONTRACTS, invoices: CARD_INVOICES };

/** The card of `client` as the database has it now (repos/card.ts: one statement). */
export async function viewClient(tx: Tx, client: ClientRow, today: string, policy: Policy, tz: string): Promise<ClientView> {
  const rows = await cardRows(tx, { id: client.id }, CARD_LIMITS);
  if (!rows) throw new Error(`client #${client.id} is gone`);
  return cardView(tx, { ...rows, client }, today, policy, tz);
}

async function cardView(tx: Tx, rows: CardRows, today: string, policy: Policy, tz: string): Promise<ClientView> {
  const { client, deals } = rows;
  const stage = clientStage(deals);
  return {
    client,
    deals,
    stage,
    current: currentDeal(deals),
    historyCount: rows.historyCount,
    contracts: rows.snapshots,
    openInvoices: rows.openInvoices,
    openTasks: rows.openTasks,
    today,
    snapshot: rows.snapshot,
    loyalty: loyaltyFor(policy, client.segment),
    baseCurrency: policy.abc.baseCurrency,
    retention: await cardRetention(tx, client, stage, policy, tz, rows),
  };
}

export async function addClient(ctx: Ctx, input: NewClientFields): Promise<Result<ClientView>> {
  const v = validateName(input.name);
  if (!v.ok) return refuse({ kind: 'bad-name', refusal: v.refusal });
  const written = await ctx.store.write((tx) => insertClient(tx, newClientRow(ctx, { ...input, name: v.name })));
  if ('taken' in written) return refuse({ kind: 'name-taken', name: written.taken.name, id: written.taken.id });
  if ('eikTaken' in written) return refuse({ kind: 'eik-taken', eik: input.eik ?? '', name: written.eikTaken.name, id: written.eikTaken.id });
  await announce(ctx, [{ kind: 'home', users: [written.client.ownerId] }]);
  return ok(await ctx.store.read((tx) => viewClient(tx, written.client, localDate(ctx.now, ctx.tz), ctx.policy, ctx.tz)));
}

/** The row `/client add` and an import from the books write: without an owner, whoever adds it owns it. */
export function newClientRow(ctx: Pick<Ctx, 'actor' | 'now'>, c: NewClientFields): NewClient {
  return {
    name: c.name,
    nameKey: nameKey(c.name),
    ownerId: c.owner ?? ctx.actor,
    contact: c.contact ?? null,
    eik: c.eik ?? null,
    vat: c.vat ?? null,
    industry: c.industry ?? null,
    region: c.region ?? null,
    size: c.size ?? null,
    actor: ctx.actor,
    at: ctx.now,
  };
}

export type NewClientFields = { name: string; owner?: string; contact?: string; eik?: string; vat?: string } & Pick<ClientUpdate, 'industry' | 'region' | 'size'>;

export interface SetResult {
  view: ClientView;
  before: ClientUpdate;
  after: ClientUpdate;
  /** Open deals that moved to the new owner with the client. */
  dealIds: number[];
}

/** `/client set`: change what is given, audited with before and after; the same values change nothing. */
export async function setClient(ctx: Ctx, ref: ClientRef, changes: ClientUpdate): Promise<Result<SetResult>> {
  const c = await ctx.store.read((tx) => resolveClient(tx, ref));
  if (!c.ok) return c;
  const written = await ctx.store.write((tx) => updateClient(tx, { clientId: c.value.id, set: changes, actor: ctx.actor, at: ctx.now }));
  if (!written.ok) {
    if ('missing' in written) return refuse({ kind: 'unknown-client', ref: `#${c.value.id}`, suggestions: [] });
    if ('eikTaken' in written) return refuse({ kind: 'eik-taken', eik: changes.eik ?? '', name: written.eikTaken.name, id: written.eikTaken.id });
    if ('nameTaken' in written) return refuse({ kind: 'name-taken', name: written.nameTaken.name, id: written.nameTaken.id });
    return refuse({ kind: 'nothing-to-change', client: written.unchanged.name, id: written.unchanged.id, fields: changes });
  }
  await announce(ctx, [{ kind: 'home', users: [...new Set([c.value.ownerId, written.client.ownerId])] }]);
  const view = await ctx.store.read((tx) => viewClient(tx, written.client, localDate(ctx.now, ctx.tz), ctx.policy, ctx.tz));
  return ok({ view, before: written.before, after: written.after, dealIds: written.dealIds });
}

/** `tz` dates the day the client was added, from which a never-reviewed client's review counts. */
/**
 * `/client <name>`: the card in one statement when the client is found (repos/card.ts), else
 * resolveClient's refusal. One statement needs no transaction around it (autocommit: on
 * PostgreSQL no BEGIN and COMMIT round trips); the fit model and the suggestions of a miss are
 * statements of their own, which need no common snapshot with it.
 */
export async function showClient(store: Store, ref: ClientRef, today: string, policy: Policy, tz = 'UTC'): Promise<Result<ClientView>> {
  return store.read(
    async (tx) => {
      const rows = await cardRows(tx, clientWhere(ref), CARD_LIMITS);
      if (rows) return ok(await cardView(tx, rows, today, policy, tz));
      const c = await resolveClient(tx, ref);
      return c.ok ? ok(await viewClient(tx, c.value, today, policy, tz)) : c;
    },
    { autocommit: true },
  );
}

export interface MoveResult {
  view: ClientView;
  from: Stage | null;
  to: Stage;
  newDeal: boolean;
  /** The value and close date given with the move (or alone, at the deal's current stage). */
  terms: DealTerms;
}

export async function moveClient(ctx: Ctx, ref: ClientRef, to: Stage, terms: DealTerms = {}): Promise<Result<MoveResult>> {
  const found = await ctx.store.read(async (tx) => {
    const c = await resolveClient(tx, ref);
    return c.ok ? { c, deals: await dealsOfClient(tx, c.value.id) } : { c, deals: [] };
  });
  const c = found.c;
  if (!c.ok) return c;
  const deal = currentDeal(found.deals);
  // Naming the stage the deal is already at with a value or close date just sets those.
  if (deal && deal.stage === to && (terms.value || terms.close) && (MANUAL_STAGES as readonly Stage[]).includes(to)) return setTerms(ctx, c.value, deal, terms);
  return applyMove(ctx, c.value, deal, to, terms);
}

async function setTerms(ctx: Ctx, client: ClientRow, deal: DealRow, terms: DealTerms): Promise<Result<MoveResult>> {
  const written = await ctx.store.write((tx) => updateDealTerms(tx, { dealId: deal.id, clientId: client.id, stage: deal.stage, terms, actor: ctx.actor, at: ctx.now }));
  return answerMove(ctx, client, written, { from: deal.stage, to: deal.stage, newDeal: false, terms });
}

/** The card after a deal's write, or the stage it is at now when someone else moved it first. */
async function answerMove(ctx: Ctx, client: ClientRow, written: StageWrite, m: Omit<MoveResult, 'view'>): Promise<Result<MoveResult>> {
  const view = await ctx.store.read((tx) => viewClient(tx, client, localDate(ctx.now, ctx.tz), ctx.policy, ctx.tz));
  if (!written.ok) return refuse({ kind: 'stale', client: client.name, now: view.stage });
  await announce(ctx, [{ kind: 'home', users: [client.ownerId] }]);
  return ok({ view, ...m });
}

/** A move from a card's button: it names the deal and the stage the card showed. */
export async function moveFromCard(ctx: Ctx, m: { clientId: number; dealId: number; from: Stage; to: Stage }): Promise<Result<MoveResult>> {
  const found = await ctx.store.read(async (tx) => {
    const c = await findClientById(tx, m.clientId);
    return c ? { c, deals: await dealsOfClient(tx, c.id) } : undefined;
  });
  if (!found) return refuse({ kind: 'unknown-client', ref: `#${m.clientId}`, suggestions: [] });
  const { c, deals } = found;
  const deal = deals.find((d) => d.id === m.dealId);
  if (!deal || deal.stage !== m.from) return refuse({ kind: 'stale', client: c.name, now: clientStage(deals) });
  return applyMove(ctx, c, deal, m.to, {});
}

async function applyMove(ctx: Ctx, client: ClientRow, deal: DealRow | undefined, to: Stage, terms: DealTerms): Promise<Result<MoveResult>> {
  const from = deal?.stage ?? null;
  const d = decideMove(from, to);
  if (!d.ok) return refuse({ kind: 'move', client: client.name, refusal: d.refusal });
  const written = await ctx.store.write((tx) =>
    deal && !d.newDeal
      ? changeStage(tx, { dealId: deal.id, clientId: client.id, from: deal.stage, to, actor: ctx.actor, at: ctx.now, terms })
      : openNewDeal(tx, { clientId: client.id, stage: to, ownerId: client.ownerId, title: client.name, actor: ctx.actor, at: ctx.now, terms }),
  );
  return answerMove(ctx, client, written, { from, to, newDeal: d.newDeal, terms });
}

export async function loseClient(
  ctx: Ctx,
  readings: { ref: ClientRef; reason: string }[],
  whole: ClientRef,
): Promise<Result<{ view: ClientView; from: Stage; reason: string }>> {
  const found = await firstNamedReading(ctx, readings, whole, (c) => ({ kind: 'lost', client: c.name, refusal: { kind: 'reason-required' } }));
  return found.ok ? loseDeal(ctx, found.value.client, undefined, found.value.reading.reason) : found;
}

/**
 * The first reading of `<name> <text>` that names a client. None: when the whole text is a
 * client's name, the text after it is what is missing (`missing`), not the client.
 */
async function firstNamedReading<R extends { ref: ClientRef }>(ctx: Ctx, readings: R[], whole: ClientRef, missing: (client: ClientRow) => Refusal): Promise<Result<{ client: ClientRow; reading: R }>> {
  let firstMiss: Result<ClientRow> | undefined;
  for (const reading of readings) {
    const c = await ctx.store.read((tx) => resolveClient(tx, reading.ref));
    if (c.ok) return ok({ client: c.value, reading });
    firstMiss ??= c;
  }
  const named = await ctx.store.read((tx) => resolveClient(tx, whole));
  if (named.ok) return refuse(missing(named.value));
  return firstMiss && !firstMiss.ok ? firstMiss : named;
}

/** Mark the client's current deal lost; `expectDealId` pins it when the click came from a card. */
/** A client by the id a button or a modal carries; undefined when it no longer exists. */
export async function clientById(store: Store, id: number): Promise<ClientRow | undefined> {
  return store.read((tx) => findClientById(tx, id));
}

export async function loseDeal(ctx: Ctx, client: ClientRow, expectDealId: number | undefined, reason: string): Promise<Result<{ view: ClientView; from: Stage; reason: string }>> {
  const deals = await ctx.store.read((tx) => dealsOfClient(tx, client.id));
  const deal = currentDeal(deals);
  if (expectDealId !== undefined && deal?.id !== expectDealId) return refuse({ kind: 'stale', client: client.name, now: clientStage(deals) });
  const d = decideLost(deal?.stage ?? null, reason);
  if (!d.ok || !deal) return refuse({ kind: 'lost', client: client.name, refusal: d.ok ? { kind: 'no-open-deal' } : d.refusal });
  const written = await ctx.store.write((tx) => changeStage(tx, { dealId: deal.id, clientId: client.id, from: d.from, to: 'lost', reason: d.reason, actor: ctx.actor, at: ctx.now }));
  const view = await ctx.store.read((tx) => viewClient(tx, client, localDate(ctx.now, ctx.tz), ctx.policy, ctx.tz));
  if (!written.ok) return refuse({ kind: 'stale', client: client.name, now: view.stage });
  await announce(ctx, [{ kind: 'home', users: [client.ownerId] }]);
  return ok({ view, from: d.from, reason: d.reason });
}

/**
 * `/client review` (SPEC §7): log an account review on today's date, audited; the card then
 * counts the next review from it. The first reading of `<name> <note>` that names a client wins.
 */
export async function reviewClient(
  ctx: Ctx,
  readings: { ref: ClientRef; note: string }[],
  whole: ClientRef,
): Promise<Result<{ view: ClientView; review: ReviewRow }>> {
  const found = await firstNamedReading(ctx, readings, whole, (c) => ({ kind: 'review-note-required', client: c.name }));
  if (!found.ok) return found;
  const { client } = found.value;
  const { note } = found.value.reading;
  const today = localDate(ctx.now, ctx.tz);
  const review = await ctx.store.write((tx) => insertReview(tx, { clientId: client.id, reviewedOn: today, note, actor: ctx.actor, at: ctx.now }));
  await announce(ctx, [{ kind: 'home', users: [client.ownerId] }]);
  return ok({ view: await ctx.store.read((tx) => viewClient(tx, client, today, ctx.policy, ctx.tz)), review });
}

export const HISTORY_LIMIT = 40;

export async function clientHistory(store: Store, ref: ClientRef): Promise<Result<{ client: ClientRow; events: AuditRow[]; total: number }>> {
  return store.read(async (tx) => {
    const c = await resolveClient(tx, ref);
    if (!c.ok) return c;
    return ok({ client: c.value, events: await clientAudit(tx, c.value.id, HISTORY_LIMIT), total: await countClientAudit(tx, c.value.id) });
  });
}

export const LIST_LIMIT = 50;

export async function listClients(store: Store, filter: ClientListFilter): Promise<{ rows: ClientListRow[]; total: number }> {
  return store.read((tx) => listClientRows(tx, filter, LIST_LIMIT));
}
