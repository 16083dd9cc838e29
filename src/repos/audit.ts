import { count, desc, eq, sql } from 'drizzle-orm';
import { preparedAll } from './prepared.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { AuditAction, AuditEntity } from '../domain/audit.ts';
import { first, type Tx } from './store.ts';

export type { Tx } from './store.ts';

export interface AuditInput {
  actor: string;
  entity: AuditEntity;
  entityId: number;
  clientId: number | null;
  action: AuditAction;
  before: unknown;
  after: unknown;
  at: number;
}

export async function recordAudit(tx: Tx, e: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values(e);
}

export type AuditRow = typeof auditEvents.$inferSelect;

/** The client's latest `limit` audit events, oldest first: a busy client's recent changes are the ones people look for. */
export async function clientAudit(tx: Tx, clientId: number, limit: number): Promise<AuditRow[]> {
  return (await tx.select().from(auditEvents).where(eq(auditEvents.clientId, clientId)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit)).reverse();
}

export async function countClientAudit(tx: Tx, clientId: number): Promise<number> {
  const rows = await preparedAll(tx, 'countClientAudit', () => tx.select({ n: count() }).from(auditEvents).where(eq(auditEvents.clientId, sql.placeholder('clientId'))).prepare(), { clientId });
  return rows[0]?.n ?? 0;
}
