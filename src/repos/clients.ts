import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import { clients, deals, dealStageChanges } from '../../db/schema/index.ts';
import type { ClientSize } from '../domain/fit.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { recordAudit } from './audit.ts';
import { preparedAll } from './prepared.ts';
import { first, type Tx } from './store.ts';

export type ClientRow = typeof clients.$inferSelect;
export type DealRow = typeof deals.$inferSelect;
export type StageChangeRow = typeof dealStageChanges.$inferSelect;


/**
 * The SQL twin of domain/stages.ts clientStage, kept in SQL so list filters scale.
 * A client's stage: that of its most advanced open deal, else of its latest deal (SPEC §2).
 * Raw SQL with its own alias and a qualified `"clients"."id"`: drizzle drops the table name of a
 * single-table select's columns, which once turned the correlation into `client_id = id` on deals
 * alone and gave every client one stage. Correlated, so it is computed only for the rows a list
 * returns (the deals_client_idx finds a client's deals), never for the whole deals table.
 */
const CLIENT_STAGE = sql<Stage | null>`(SELECT d.stage FROM deals d WHERE d.client_id = "clients"."id"
  ORDER BY (d.stage IN ('won','lost')), CASE d.stage WHEN 'lead' THEN 0 WHEN 'qualified' THEN 1 WHEN 'proposal' THEN 2 WHEN 'contract' THEN 3
    WHEN 'delivery' THEN 4 WHEN 'payment' THEN 5 WHEN 'won' THEN 6 ELSE -1 END DESC, d.id DESC LIMIT 1)`;

export async function findClientById(tx: Tx, id: number): Promise<ClientRow | undefined> {
  return first(tx.select().from(clients).where(eq(clients.id, id)));
}

export async function findClientByKey(tx: Tx, nameKey: string): Promise<ClientRow | undefined> {
  const rows = await preparedAll(tx, 'findClientByKey', () => tx.select().from(clients).where(eq(clients.nameKey, sql.placeholder('nameKey'))).prepare(), { nameKey });
  return rows[0];
}

export async function findClientByEik(tx: Tx, eik: string): Promise<ClientRow | undefined> {
  return first(tx.select().from(clients).where(eq(clients.eik, eik)));
}

/** Names that contain `fragment` (already case-folded), for "did you mean". */
export async function similarClientNames(tx: Tx, keyFragment: string, limit: number): Promise<string[]> {
  const escaped = keyFragment.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await tx
    .select({ name: clients.name })
    .from(clients)
    .where(sql`${clients.nameKey} LIKE ${`%${escaped}%`} ESCAPE '\\'`)
    .orderBy(asc(clients.nameKey))
    .limit(limit);
  return rows.map((r) => r.name);
}

export async function dealsOfClient(tx: Tx, clientId: number): Promise<DealRow[]> {
  return preparedAll(tx, 'dealsOfClient', () => tx.select().from(deals).where(eq(deals.clientId, sql.placeholder('clientId'))).orderBy(asc(deals.id)).prepare(), { clientId });
}

export interface NewClient {
  name: string;
  nameKey: string;
  ownerId: string;
  contact: string | null;
  eik: string | null;
  vat: string | null;
  industry?: string | null;
  region?: string | null;
  size?: ClientSize | null;
  actor: string;
  at: number;
}

/**
 * Create a client with its first deal at `lead`, in one transaction. `taken`: the name is
 * another client's; `eikTaken`: the ЕИК is (an ЕИК belongs to one client, SPEC §5).
 */
export async function insertClient(tx: Tx, c: NewClient): Promise<{ client: ClientRow; deal: DealRow } | { taken: ClientRow } | { eikTaken: ClientRow }> {
  const existing = await first(tx.select().from(clients).where(eq(clients.nameKey, c.nameKey)));
  if (existing) return { taken: existing };
  const holder = c.eik === null ? undefined : await findClientByEik(tx, c.eik);
  if (holder) return { eikTaken: holder };
  const [client] = await tx
    .insert(clients)
    .values({ name: c.name, nameKey: c.nameKey, ownerId: c.ownerId, contact: c.contact, eik: c.eik, vat: c.vat, industry: c.industry ?? null, region: c.region ?? null, size: c.size ?? null, createdBy: c.actor, createdAt: c.at })
    .returning();
  await recordAudit(tx, { actor: c.actor, entity: 'client', entityId: client!.id, clientId: client!.id, action: 'created', before: null, after: client, at: c.at });
  const deal = await insertDeal(tx, { clientId: client!.id, title: client!.name, stage: 'lead', ownerId: c.ownerId, actor: c.actor, at: c.at });
  return { client: client!, deal };
}

/** The columns `/client set` changes. */
export type ClientUpdate = Partial<Pick<ClientRow, 'ownerId' | 'contact' | 'eik' | 'vat' | 'industry' | 'region' | 'size'>>;
/** An import from the books may also rename a client found by its ЕИК (`nameKey` with `name`). */
export type ClientRename = ClientUpdate & Partial<Pick<ClientRow, 'name' | 'nameKey'>>;

export type ClientWrite<U extends ClientUpdate = ClientUpdate> =
  | { ok: true; client: ClientRow; before: U; after: U; dealIds: number[] }
  | { ok: false; unchanged: ClientRow }
  /** The ЕИК given is another client's. */
  | { ok: false; eikTaken: ClientRow }
  /** The new name is another client's. */
  | { ok: false; nameTaken: ClientRow }
  | { ok: false; missing: true };

/**
 * Set a client's fields, in one transaction, comparing with the row as it is now (not as the
 * person last saw it): only what differs is written and audited, with before and after. A new
 * owner takes over the client's open deals that the old owner held, since the funnel and the
 * digests count deals by their owner; won and lost deals stay with whoever held them.
 */
export async function updateClient<U extends ClientRename = ClientUpdate>(tx: Tx, u: { clientId: number; set: U; actor: string; at: number }): Promise<ClientWrite<U>> {
  const current = await first(tx.select().from(clients).where(eq(clients.id, u.clientId)));
  if (!current) return { ok: false, missing: true };
  const set: ClientRename = u.set;
  const keys = (Object.keys(set) as (keyof ClientRename)[]).filter((k) => set[k] !== undefined && set[k] !== current[k]);
  if (keys.length === 0) return { ok: false, unchanged: current };
  const holder = keys.includes('eik') && set.eik ? await findClientByEik(tx, set.eik) : undefined;
  if (holder && holder.id !== current.id) return { ok: false, eikTaken: holder };
  const named = keys.includes('nameKey') && set.nameKey ? await findClientByKey(tx, set.nameKey) : undefined;
  if (named && named.id !== current.id) return { ok: false, nameTaken: named };
  const before = Object.fromEntries(keys.map((k) => [k, current[k]])) as U;
  const after = Object.fromEntries(keys.map((k) => [k, set[k]])) as U;
  const [client] = await tx.update(clients).set(after).where(eq(clients.id, u.clientId)).returning();
  await recordAudit(tx, { actor: u.actor, entity: 'client', entityId: client!.id, clientId: client!.id, action: 'updated', before, after, at: u.at });
  const dealIds: number[] = [];
  if (after.ownerId !== undefined) {
    const moved = await tx
      .update(deals)
      .set({ ownerId: after.ownerId, updatedAt: u.at })
      .where(and(eq(deals.clientId, client!.id), eq(deals.ownerId, current.ownerId), sql`${deals.stage} NOT IN ('won','lost')`))
      .returning();
    for (const d of moved) {
      dealIds.push(d.id);
      await recordAudit(tx, { actor: u.actor, entity: 'deal', entityId: d.id, clientId: client!.id, action: 'updated', before: { ownerId: current.ownerId }, after: { ownerId: d.ownerId }, at: u.at });
    }
  }
  return { ok: true, client: client!, before, after, dealIds };
}

export type StageWrite = { ok: true; deal: DealRow } | { ok: false; stale: true };

/** A deal's expected value and close date, as a seller states them (for the funnel and forecast). */
export interface DealTerms {
  value?: { minor: number; currency: string };
  close?: string;
}

function termColumns(t: DealTerms | undefined): Partial<Pick<DealRow, 'valueMinor' | 'currency' | 'expectedClose'>> {
  return { ...(t?.value ? { valueMinor: t.value.minor, currency: t.value.currency } : {}), ...(t?.close ? { expectedClose: t.close } : {}) };
}

export interface StageMove {
  dealId: number;
  clientId: number;
  from: Stage;
  to: Stage;
  actor: string;
  at: number;
  reason?: string;
  terms?: DealTerms;
}

/**
 * Move a deal from `from` to `to`. Guarded: the UPDATE only matches while the deal is still
 * in `from`, so two people moving the same deal at once cannot both win, and a click on an
 * old card after someone else moved it changes nothing.
 */
export async function changeStage(tx: Tx, m: StageMove): Promise<StageWrite> {
  const [deal] = await tx
    .update(deals)
    .set({ stage: m.to, updatedAt: m.at, ...termColumns(m.terms), ...(m.to === 'lost' ? { lostReason: m.reason ?? null } : {}) })
    .where(and(eq(deals.id, m.dealId), eq(deals.stage, m.from)))
    .returning();
  if (!deal) return { ok: false, stale: true };
  await tx.insert(dealStageChanges).values({ dealId: deal.id, fromStage: m.from, toStage: m.to, actor: m.actor, reason: m.reason ?? null, at: m.at });
  await recordAudit(tx, {
    actor: m.actor,
    entity: 'deal',
    entityId: deal.id,
    clientId: m.clientId,
    action: m.to === 'lost' ? 'lost' : 'stage-changed',
    before: { stage: m.from },
    after: m.to === 'lost' ? { stage: deal.stage, reason: m.reason } : { stage: deal.stage, ...termColumns(m.terms) },
    at: m.at,
  });
  return { ok: true, deal };
}

/** Set an open deal's expected value and close date, guarded on the stage the seller saw. */
export async function updateDealTerms(tx: Tx, u: { dealId: number; clientId: number; stage: Stage; terms: DealTerms; actor: string; at: number }): Promise<StageWrite> {
  const before = await first(tx.select().from(deals).where(eq(deals.id, u.dealId)));
  const [deal] = await tx
    .update(deals)
    .set({ updatedAt: u.at, ...termColumns(u.terms) })
    .where(and(eq(deals.id, u.dealId), eq(deals.stage, u.stage)))
    .returning();
  if (!deal || !before) return { ok: false, stale: true } as const;
  const changed = termColumns(u.terms);
  const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof DealRow]]));
  await recordAudit(tx, { actor: u.actor, entity: 'deal', entityId: deal.id, clientId: u.clientId, action: 'updated', before: was, after: changed, at: u.at });
  return { ok: true, deal } as const;
}

export interface NewDeal {
  clientId: number;
  stage: Stage;
  ownerId: string;
  title: string;
  actor: string;
  at: number;
  terms?: DealTerms;
}

export async function insertDeal(tx: Tx, n: NewDeal): Promise<DealRow> {
  const [deal] = await tx
    .insert(deals)
    .values({ clientId: n.clientId, title: n.title, stage: n.stage, ownerId: n.ownerId, createdAt: n.at, updatedAt: n.at, ...termColumns(n.terms) })
    .returning();
  await tx.insert(dealStageChanges).values({ dealId: deal!.id, fromStage: null, toStage: n.stage, actor: n.actor, at: n.at });
  await recordAudit(tx, { actor: n.actor, entity: 'deal', entityId: deal!.id, clientId: n.clientId, action: 'created', before: null, after: deal, at: n.at });
  return deal!;
}

/**
 * Open a new deal for a client whose deals are all closed. Guarded the same way: it only
 * inserts while the client still has no open deal.
 */
export async function openNewDeal(tx: Tx, n: NewDeal): Promise<StageWrite> {
  const open = await first(
    tx
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.clientId, n.clientId), sql`${deals.stage} NOT IN ('won','lost')`))
      .limit(1),
  );
  if (open) return { ok: false, stale: true } as const;
  return { ok: true, deal: await insertDeal(tx, n) } as const;
}

export interface ClientListFilter {
  stage?: Stage;
  segment?: Segment;
  ownerId?: string;
}

export interface ClientListRow {
  id: number;
  name: string;
  ownerId: string;
  segment: Segment | null;
  stage: Stage | null;
}

function listWhere(f: ClientListFilter) {
  // The label and the stage: filter read the same expression.
  const conds = [
    f.segment ? eq(clients.segment, f.segment) : undefined,
    f.ownerId ? eq(clients.ownerId, f.ownerId) : undefined,
    f.stage ? sql`${CLIENT_STAGE} = ${f.stage}` : undefined,
  ].filter((c) => c !== undefined);
  return conds.length > 0 ? and(...conds) : undefined;
}

/** A page of the clients a list filter picks, whole rows in id order after `afterId` (for an export). */
export async function clientsPage(tx: Tx, f: ClientListFilter, afterId: number, limit: number): Promise<ClientRow[]> {
  return tx.select().from(clients).where(and(gt(clients.id, afterId), listWhere(f))).orderBy(asc(clients.id)).limit(limit);
}

export async function listClients(tx: Tx, f: ClientListFilter, limit: number): Promise<{ rows: ClientListRow[]; total: number }> {
  const where = listWhere(f);
  const rows = await tx
    .select({ id: clients.id, name: clients.name, ownerId: clients.ownerId, segment: clients.segment, stage: CLIENT_STAGE })
    .from(clients)
    .where(where)
    .orderBy(asc(clients.nameKey))
    .limit(limit);
  const total = (await first(tx.select({ n: count() }).from(clients).where(where)))?.n ?? 0;
  return { rows, total };
}

/** Every client the filter matches, with the attributes `sort:fit` scores (the ranking needs them all). */
export async function listClientsWithAttributes(tx: Tx, f: ClientListFilter): Promise<(ClientListRow & Pick<ClientRow, 'industry' | 'region' | 'size'>)[]> {
  return tx
    .select({ id: clients.id, name: clients.name, ownerId: clients.ownerId, segment: clients.segment, stage: CLIENT_STAGE, industry: clients.industry, region: clients.region, size: clients.size })
    .from(clients)
    .where(listWhere(f))
    .orderBy(asc(clients.id));
}

export async function stageChangesOfDeals(tx: Tx, dealIds: number[]): Promise<StageChangeRow[]> {
  if (dealIds.length === 0) return [];
  return tx.select().from(dealStageChanges).where(sql`${dealStageChanges.dealId} IN ${dealIds}`).orderBy(desc(dealStageChanges.at));
}
