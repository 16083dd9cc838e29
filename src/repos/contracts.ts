import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { approvals, clients, contracts, contractVersions, deals } from '../../db/schema/index.ts';
import type { ContractStatus, ContractTerms, Decision, Fn } from '../domain/contracts.ts';
import type { LoyaltyException } from '../domain/loyalty.ts';
import { changed, first, isPg, type Tx } from './store.ts';
import { prepared, preparedAll } from './prepared.ts';

export type ContractRow = typeof contracts.$inferSelect;
export type VersionRow = typeof contractVersions.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;

/** A contract as people see it: its current version's terms and approvals, and its client. */
export interface ContractSnapshot {
  contract: ContractRow;
  terms: VersionRow;
  approvals: ApprovalRow[];
  client: { id: number; name: string; ownerId: string };
}

export async function loadSnapshot(tx: Tx, id: number): Promise<ContractSnapshot | undefined> {
  if (isPg(tx)) return loadSnapshotPg(tx, id);
  const q = prepared(tx, 'loadSnapshot', () => {
    const contractId = sql.placeholder('contractId');
    const version = sql.placeholder('version');
    return {
      contract: tx.select().from(contracts).where(eq(contracts.id, contractId)).prepare(),
      terms: tx
        .select()
        .from(contractVersions)
        .where(and(eq(contractVersions.contractId, contractId), eq(contractVersions.version, version)))
        .prepare(),
      client: tx
        .select({ id: clients.id, name: clients.name, ownerId: clients.ownerId })
        .from(clients)
        .where(eq(clients.id, sql.placeholder('clientId')))
        .prepare(),
      approvals: tx
        .select()
        .from(approvals)
        .where(and(eq(approvals.contractId, contractId), eq(approvals.version, version)))
        .orderBy(asc(approvals.fn))
        .prepare(),
    };
  });
  const contract = q.contract.get({ contractId: id });
  if (!contract) return undefined;
  const terms = q.terms.get({ contractId: id, version: contract.version });
  const client = q.client.get({ clientId: contract.clientId });
  if (!terms || !client) throw new Error(`contract #${id} is missing its version or client`);
  const appr = q.approvals.all({ contractId: id, version: contract.version });
  return { contract, terms, approvals: appr, client };
}

async function loadSnapshotPg(tx: Tx, id: number): Promise<ContractSnapshot | undefined> {
  const contract = await first(tx.select().from(contracts).where(eq(contracts.id, id)));
  if (!contract) return undefined;
  // One after another: a transaction is one connection, which runs one query at a time.
  const terms = await first(tx.select().from(contractVersions).where(and(eq(contractVersions.contractId, id), eq(contractVersions.version, contract.version))));
  const client = await first(tx.select({ id: clients.id, name: clients.name, ownerId: clients.ownerId }).from(clients).where(eq(clients.id, contract.clientId)));
  const appr = await tx.select().from(approvals).where(and(eq(approvals.contractId, id), eq(approvals.version, contract.version))).orderBy(asc(approvals.fn));
  if (!terms || !client) throw new Error(`contract #${id} is missing its version or client`);
  return { contract, terms, approvals: appr, client };
}

export async function allVersions(tx: Tx, contractId: number): Promise<VersionRow[]> {
  return tx.select().from(contractVersions).where(eq(contractVersions.contractId, contractId)).orderBy(asc(contractVersions.version));
}

export async function allApprovals(tx: Tx, contractId: number): Promise<ApprovalRow[]> {
  return tx.select().from(approvals).where(eq(approvals.contractId, contractId)).orderBy(asc(approvals.version), asc(approvals.fn));
}

/** The contract of a deal that is still in play (not rejected), if any. */
export async function activeContractOfDeal(tx: Tx, dealId: number): Promise<ContractRow | undefined> {
  return first(
    tx
      .select()
      .from(contracts)
      .where(and(eq(contracts.dealId, dealId), inArray(contracts.status, ['pending', 'approved', 'changes_requested'])))
      .orderBy(desc(contracts.id))
      .limit(1),
  );
}

export async function contractsOfClient(tx: Tx, clientId: number): Promise<ContractRow[]> {
  return preparedAll(tx, 'contractsOfClient', () => tx.select().from(contracts).where(eq(contracts.clientId, sql.placeholder('clientId'))).orderBy(desc(contracts.id)).prepare(), { clientId });
}

export async function insertContract(tx: Tx, c: { dealId: number; clientId: number; submittedBy: string; at: number }): Promise<ContractRow> {
  const [row] = await tx
    .insert(contracts)
    .values({ dealId: c.dealId, clientId: c.clientId, version: 1, status: 'pending', submittedBy: c.submittedBy, createdAt: c.at, updatedAt: c.at })
    .returning();
  return row!;
}

export async function insertVersion(tx: Tx, contractId: number, version: number, t: ContractTerms, exceptions: LoyaltyException[], by: string, at: number): Promise<VersionRow> {
  const [row] = await tx
    .insert(contractVersions)
    .values({ contractId, version, ...t, exceptions, submittedBy: by, submittedAt: at })
    .returning();
  return row!;
}

export async function insertApprovals(tx: Tx, contractId: number, version: number, due: Record<Fn, number>, at: number): Promise<void> {
  await tx.insert(approvals).values((Object.keys(due) as Fn[]).map((fn) => ({ contractId, version, fn, requestedAt: at, dueAt: due[fn] })));
}

/**
 * Record a decision. Guarded: only an undecided approval of the contract's current version
 * changes, so of twenty simultaneous clicks exactly one wins, and a click on a superseded
 * version's message finds nothing to change.
 */
export async function recordDecision(
  tx: Tx,
  d: { contractId: number; version: number; fn: Fn; decision: Decision; by: string; at: number; comment: string | null; confirmed: string[] | null },
): Promise<boolean> {
  const r = await tx
    .update(approvals)
    .set({ decision: d.decision, decidedBy: d.by, decidedAt: d.at, comment: d.comment, confirmed: d.confirmed })
    .where(
      and(
        eq(approvals.contractId, d.contractId),
        eq(approvals.version, d.version),
        eq(approvals.fn, d.fn),
        isNull(approvals.decision),
        sql`${d.version} = (SELECT ${contracts.version} FROM ${contracts} WHERE ${contracts.id} = ${d.contractId})`,
      ),
    );
  return changed(r) === 1;
}

/** Move a contract's status, guarded by the status and version it is expected to have. */
export async function setStatus(
  tx: Tx,
  s: { contractId: number; fromStatus: ContractStatus[]; version: number; to: ContractStatus; at: number; signedBy?: string; newVersion?: number },
): Promise<boolean> {
  const r = await tx
    .update(contracts)
    .set({
      status: s.to,
      updatedAt: s.at,
      ...(s.newVersion !== undefined ? { version: s.newVersion } : {}),
      ...(s.signedBy ? { signedBy: s.signedBy, signedAt: s.at } : {}),
    })
    .where(and(eq(contracts.id, s.contractId), eq(contracts.version, s.version), inArray(contracts.status, s.fromStatus)));
  return changed(r) === 1;
}

export interface ContractListRow {
  id: number;
  status: ContractStatus;
  version: number;
  clientName: string;
  subject: string;
  amountMinor: number;
  currency: string;
  submittedBy: string;
  updatedAt: number;
}

export async function listContracts(tx: Tx, status: ContractStatus | undefined, limit: number): Promise<{ rows: ContractListRow[]; total: number }> {
  const where = status ? eq(contracts.status, status) : undefined;
  const rows = await tx
    .select({
      id: contracts.id,
      status: contracts.status,
      version: contracts.version,
      clientName: clients.name,
      subject: contractVersions.subject,
      amountMinor: contractVersions.amountMinor,
      currency: contractVersions.currency,
      submittedBy: contracts.submittedBy,
      updatedAt: contracts.updatedAt,
    })
    .from(contracts)
    .innerJoin(clients, eq(clients.id, contracts.clientId))
    .innerJoin(contractVersions, and(eq(contractVersions.contractId, contracts.id), eq(contractVersions.version, contracts.version)))
    .where(where)
    .orderBy(desc(contracts.updatedAt), desc(contracts.id))
    .limit(limit);
  const total = (await first(tx.select({ n: sql<number>`count(*)` }).from(contracts).where(where)))?.n ?? 0;
  return { rows, total };
}

/** Undecided approvals of current, pending versions whose deadline has passed. */
export async function overdueApprovals(tx: Tx, now: number): Promise<{ approval: ApprovalRow; contractId: number }[]> {
  return tx
    .select({ approval: approvals, contractId: contracts.id })
    .from(approvals)
    .innerJoin(contracts, and(eq(contracts.id, approvals.contractId), eq(contracts.version, approvals.version)))
    .where(and(isNull(approvals.decision), eq(contracts.status, 'pending'), lt(approvals.dueAt, now)))
    .orderBy(asc(approvals.dueAt));
}

export async function markReminded(tx: Tx, approvalId: number, at: number): Promise<void> {
  await tx.update(approvals).set({ remindedAt: at }).where(eq(approvals.id, approvalId));
}

export async function dealOf(tx: Tx, dealId: number) {
  return first(tx.select().from(deals).where(eq(deals.id, dealId)));
}

/** Set the deal's expected value from its contract (the funnel's value of the deal). */
export async function setDealValue(tx: Tx, dealId: number, valueMinor: number, currency: string, at: number): Promise<void> {
  await tx.update(deals).set({ valueMinor, currency, updatedAt: at }).where(eq(deals.id, dealId));
}
