import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { clients, deals, dealStageChanges } from '../../db/schema/index.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { recordAudit, type Tx } from './audit.ts';
import { prepared } from './prepared.ts';
import { inTx } from './tx.ts';
import type { Db } from './db.ts';

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

export function findClientById(db: Tx, id: number): ClientRow | undefined {
  return db.select().from(clients).where(eq(clients.id, id)).get();
}

export function findClientByKey(db: Db, nameKey: string): ClientRow | undefined {
  return prepared(db, 'findClientByKey', () =>
    db
      .select()
      .from(clients)
      .where(eq(clients.nameKey, sql.placeholder('nameKey')))
      .prepare(),
  ).get({ nameKey });
}

export function findClientByEik(db: Tx, eik: string): ClientRow | undefined {
  return db.select().from(clients).where(eq(clients.eik, eik)).get();
}

/** Names that contain `fragment` (already case-folded), for "did you mean". */
export function similarClientNames(db: Db, keyFragment: string, limit: number): string[] {
  const escaped = keyFragment.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select({ name: clients.name })
    .from(clients)
    .where(sql`${clients.nameKey} LIKE ${`%${escaped}%`} ESCAPE '\\'`)
    .orderBy(asc(clients.nameKey))
    .limit(limit)
    .all()
    .map((r) => r.name);
}

export function dealsOfClient(db: Tx, clientId: number): DealRow[] {
  return prepared(db, 'dealsOfClient', () =>
    db
      .select()
      .from(deals)
      .where(eq(deals.clientId, sql.placeholder('clientId')))
      .orderBy(asc(deals.id))
      .prepare(),
  ).all({ clientId });
}

export interface NewClient {
  name: string;
  nameKey: string;
  ownerId: string;
  contact: string | null;
  eik: string | null;
  vat: string | null;
  actor: string;
  at: number;
}

/**
 * Create a client with its first deal at `lead`, in one transaction. `taken`: the name is
 * another client's; `eikTaken`: the ЕИК is (an ЕИК belongs to one client, SPEC §5).
 */
export function insertClient(db: Db, c: NewClient): { client: ClientRow; deal: DealRow } | { taken: ClientRow } | { eikTaken: ClientRow } {
  return inTx(db, (tx) => {
    const existing = tx.select().from(clients).where(eq(clients.nameKey, c.nameKey)).get();
    if (existing) return { taken: existing };
    const holder = c.eik === null ? undefined : findClientByEik(tx, c.eik);
    if (holder) return { eikTaken: holder };
    const client = tx
      .insert(clients)
      .values({ name: c.name, nameKey: c.nameKey, ownerId: c.ownerId, contact: c.contact, eik: c.eik, vat: c.vat, createdBy: c.actor, createdAt: c.at })
      .returning()
      .get();
    recordAudit(tx, { actor: c.actor, entity: 'client', entityId: client.id, clientId: client.id, action: 'created', before: null, after: client, at: c.at });
    const deal = insertDeal(tx, { clientId: client.id, title: client.name, stage: 'lead', ownerId: c.ownerId, actor: c.actor, at: c.at });
    return { client, deal };
  });
}

/** The columns `/client set` changes. */
export type ClientUpdate = Partial<Pick<ClientRow, 'ownerId' | 'contact' | 'eik' | 'vat'>>;

export type ClientWrite =
  | { ok: true; client: ClientRow; before: ClientUpdate; after: ClientUpdate; dealIds: number[] }
  | { ok: false; unchanged: ClientRow }
  /** The ЕИК given is another client's. */
  | { ok: false; eikTaken: ClientRow }
  | { ok: false; missing: true };

/**
 * Set a client's fields, in one transaction, comparing with the row as it is now (not as the
 * person last saw it): only what differs is written and audited, with before and after. A new
 * owner takes over the client's open deals that the old owner held, since the funnel and the
 * digests count deals by their owner; won and lost deals stay with whoever held them.
 */
export function updateClient(db: Db, u: { clientId: number; set: ClientUpdate; actor: string; at: number }): ClientWrite {
  return inTx(db, (tx): ClientWrite => {
    const current = tx.select().from(clients).where(eq(clients.id, u.clientId)).get();
    if (!current) return { ok: false, missing: true };
    const keys = (Object.keys(u.set) as (keyof ClientUpdate)[]).filter((k) => u.set[k] !== undefined && u.set[k] !== current[k]);
    if (keys.length === 0) return { ok: false, unchanged: current };
    const holder = keys.includes('eik') && u.set.eik ? findClientByEik(tx, u.set.eik) : undefined;
    if (holder && holder.id !== current.id) return { ok: false, eikTaken: holder };
    const before = Object.fromEntries(keys.map((k) => [k, current[k]])) as ClientUpdate;
    const after = Object.fromEntries(keys.map((k) => [k, u.set[k]])) as ClientUpdate;
    const client = tx.update(clients).set(after).where(eq(clients.id, u.clientId)).returning().get()!;
    recordAudit(tx, { actor: u.actor, entity: 'client', entityId: client.id, clientId: client.id, action: 'updated', before, after, at: u.at });
    const dealIds: number[] = [];
    if (after.ownerId !== undefined) {
      const moved = tx
        .update(deals)
        .set({ ownerId: after.ownerId, updatedAt: u.at })
        .where(and(eq(deals.clientId, client.id), eq(deals.ownerId, current.ownerId), sql`${deals.stage} NOT IN ('won','lost')`))
        .returning()
        .all();
      for (const d of moved) {
        dealIds.push(d.id);
        recordAudit(tx, { actor: u.actor, entity: 'deal', entityId: d.id, clientId: client.id, action: 'updated', before: { ownerId: current.ownerId }, after: { ownerId: d.ownerId }, at: u.at });
      }
    }
    return { ok: true, client, before, after, dealIds };
  });
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
export function changeStage(tx: Tx, m: StageMove): StageWrite {
  const deal = tx
    .update(deals)
    .set({ stage: m.to, updatedAt: m.at, ...termColumns(m.terms), ...(m.to === 'lost' ? { lostReason: m.reason ?? null } : {}) })
    .where(and(eq(deals.id, m.dealId), eq(deals.stage, m.from)))
    .returning()
    .get();
  if (!deal) return { ok: false, stale: true };
  tx.insert(dealStageChanges).values({ dealId: deal.id, fromStage: m.from, toStage: m.to, actor: m.actor, reason: m.reason ?? null, at: m.at }).run();
  recordAudit(tx, {
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
export function updateDealTerms(db: Db, u: { dealId: number; clientId: number; stage: Stage; terms: DealTerms; actor: string; at: number }): StageWrite {
  return inTx(db, (tx) => {
    const before = tx.select().from(deals).where(eq(deals.id, u.dealId)).get();
    const deal = tx
      .update(deals)
      .set({ updatedAt: u.at, ...termColumns(u.terms) })
      .where(and(eq(deals.id, u.dealId), eq(deals.stage, u.stage)))
      .returning()
      .get();
    if (!deal || !before) return { ok: false, stale: true } as const;
    const changed = termColumns(u.terms);
    const was = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof DealRow]]));
    recordAudit(tx, { actor: u.actor, entity: 'deal', entityId: deal.id, clientId: u.clientId, action: 'updated', before: was, after: changed, at: u.at });
    return { ok: true, deal } as const;
  });
}

export function moveDealStage(db: Db, m: StageMove): StageWrite {
  return inTx(db, (tx) => changeStage(tx, m));
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

export function insertDeal(tx: Tx, n: NewDeal): DealRow {
  const deal = tx
    .insert(deals)
    .values({ clientId: n.clientId, title: n.title, stage: n.stage, ownerId: n.ownerId, createdAt: n.at, updatedAt: n.at, ...termColumns(n.terms) })
    .returning()
    .get();
  tx.insert(dealStageChanges).values({ dealId: deal.id, fromStage: null, toStage: n.stage, actor: n.actor, at: n.at }).run();
  recordAudit(tx, { actor: n.actor, entity: 'deal', entityId: deal.id, clientId: n.clientId, action: 'created', before: null, after: deal, at: n.at });
  return deal;
}

/**
 * Open a new deal for a client whose deals are all closed. Guarded the same way: it only
 * inserts while the client still has no open deal.
 */
export function openNewDeal(db: Db, n: NewDeal): StageWrite {
  return inTx(db, (tx) => {
    const open = tx
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.clientId, n.clientId), sql`${deals.stage} NOT IN ('won','lost')`))
      .get();
    if (open) return { ok: false, stale: true } as const;
    return { ok: true, deal: insertDeal(tx, n) } as const;
  });
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

export function listClients(db: Db, f: ClientListFilter, limit: number): { rows: ClientListRow[]; total: number } {
  // The label and the stage: filter read the same expression.
  const conds = [
    f.segment ? eq(clients.segment, f.segment) : undefined,
    f.ownerId ? eq(clients.ownerId, f.ownerId) : undefined,
    f.stage ? sql`${CLIENT_STAGE} = ${f.stage}` : undefined,
  ].filter((c) => c !== undefined);
  const where = conds.length > 0 ? and(...conds) : undefined;
  const rows = db
    .select({ id: clients.id, name: clients.name, ownerId: clients.ownerId, segment: clients.segment, stage: CLIENT_STAGE })
    .from(clients)
    .where(where)
    .orderBy(asc(clients.nameKey))
    .limit(limit)
    .all();
  const total = db.select({ n: count() }).from(clients).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function stageChangesOfDeals(db: Db, dealIds: number[]): StageChangeRow[] {
  if (dealIds.length === 0) return [];
  return db
    .select()
    .from(dealStageChanges)
    .where(sql`${dealStageChanges.dealId} IN ${dealIds}`)
    .orderBy(desc(dealStageChanges.at))
    .all();
}
