import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { approvals, clients, contracts, contractVersions, deals } from '../../db/schema/index.ts';
import type { ContractStatus, ContractTerms, Decision, Fn } from '../domain/contracts.ts';
import type { LoyaltyException } from '../domain/loyalty.ts';
import type { Tx } from './audit.ts';
import { prepared } from './prepared.ts';

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

export function loadSnapshot(tx: Tx, id: number): ContractSnapshot | undefined {
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

export function allVersions(tx: Tx, contractId: number): VersionRow[] {
  return tx.select().from(contractVersions).where(eq(contractVersions.contractId, contractId)).orderBy(asc(contractVersions.version)).all();
}

export function allApprovals(tx: Tx, contractId: number): ApprovalRow[] {
  return tx.select().from(approvals).where(eq(approvals.contractId, contractId)).orderBy(asc(approvals.version), asc(approvals.fn)).all();
}

/** The contract of a deal that is still in play (not rejected), if any. */
export function activeContractOfDeal(tx: Tx, dealId: number): ContractRow | undefined {
  return tx
    .select()
    .from(contracts)
    .where(and(eq(contracts.dealId, dealId), inArray(contracts.status, ['pending', 'approved', 'changes_requested'])))
    .orderBy(desc(contracts.id))
    .get();
}

export function contractsOfClient(tx: Tx, clientId: number): ContractRow[] {
  return prepared(tx, 'contractsOfClient', () =>
    tx
      .select()
      .from(contracts)
      .where(eq(contracts.clientId, sql.placeholder('clientId')))
      .orderBy(desc(contracts.id))
      .prepare(),
  ).all({ clientId });
}

export function insertContract(tx: Tx, c: { dealId: number; clientId: number; submittedBy: string; at: number }): ContractRow {
  return tx
    .insert(contracts)
    .values({ dealId: c.dealId, clientId: c.clientId, version: 1, status: 'pending', submittedBy: c.submittedBy, createdAt: c.at, updatedAt: c.at })
    .returning()
    .get();
}

export function insertVersion(tx: Tx, contractId: number, version: number, t: ContractTerms, exceptions: LoyaltyException[], by: string, at: number): VersionRow {
  return tx
    .insert(contractVersions)
    .values({ contractId, version, ...t, exceptions, submittedBy: by, submittedAt: at })
    .returning()
    .get();
}

export function insertApprovals(tx: Tx, contractId: number, version: number, due: Record<Fn, number>, at: number): void {
  tx.insert(approvals)
    .values((Object.keys(due) as Fn[]).map((fn) => ({ contractId, version, fn, requestedAt: at, dueAt: due[fn] })))
    .run();
}

/**
 * Record a decision. Guarded: only an undecided approval of the contract's current version
 * changes, so of twenty simultaneous clicks exactly one wins, and a click on a superseded
 * version's message finds nothing to change.
 */
export function recordDecision(
  tx: Tx,
  d: { contractId: number; version: number; fn: Fn; decision: Decision; by: string; at: number; comment: string | null; confirmed: string[] | null },
): boolean {
  const r = tx
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
    )
    .run();
  return r.changes === 1;
}

/** Move a contract's status, guarded by the status and version it is expected to have. */
export function setStatus(
  tx: Tx,
  s: { contractId: number; fromStatus: ContractStatus[]; version: number; to: ContractStatus; at: number; signedBy?: string; newVersion?: number },
): boolean {
  const r = tx
    .update(contracts)
    .set({
      status: s.to,
      updatedAt: s.at,
      ...(s.newVersion !== undefined ? { version: s.newVersion } : {}),
      ...(s.signedBy ? { signedBy: s.signedBy, signedAt: s.at } : {}),
    })
    .where(and(eq(contracts.id, s.contractId), eq(contracts.version, s.version), inArray(contracts.status, s.fromStatus)))
    .run();
  return r.changes === 1;
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

export function listContracts(tx: Tx, status: ContractStatus | undefined, limit: number): { rows: ContractListRow[]; total: number } {
  const where = status ? eq(contracts.status, status) : undefined;
  const rows = tx
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
    .limit(limit)
    .all();
  const total = tx.select({ n: sql<number>`count(*)` }).from(contracts).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** Undecided approvals of current, pending versions whose deadline has passed. */
export function overdueApprovals(tx: Tx, now: number): { approval: ApprovalRow; contractId: number }[] {
  return tx
    .select({ approval: approvals, contractId: contracts.id })
    .from(approvals)
    .innerJoin(contracts, and(eq(contracts.id, approvals.contractId), eq(contracts.version, approvals.version)))
    .where(and(isNull(approvals.decision), eq(contracts.status, 'pending'), lt(approvals.dueAt, now)))
    .orderBy(asc(approvals.dueAt))
    .all();
}

export function markReminded(tx: Tx, approvalId: number, at: number): void {
  tx.update(approvals).set({ remindedAt: at }).where(eq(approvals.id, approvalId)).run();
}

export function dealOf(tx: Tx, dealId: number) {
  return tx.select().from(deals).where(eq(deals.id, dealId)).get();
}

/** Set the deal's expected value from its contract (the funnel's value of the deal). */
export function setDealValue(tx: Tx, dealId: number, valueMinor: number, currency: string, at: number): void {
  tx.update(deals).set({ valueMinor, currency, updatedAt: at }).where(eq(deals.id, dealId)).run();
}
