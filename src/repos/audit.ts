import { count, desc, eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { AuditAction, AuditEntity } from '../domain/audit.ts';
import type { Db } from './db.ts';

/** A transaction handle or the database itself: both run the same synchronous queries. */
export type Tx = Pick<Db, 'insert' | 'update' | 'select' | 'delete'>;

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

export function recordAudit(tx: Tx, e: AuditInput): void {
  tx.insert(auditEvents).values(e).run();
}

export type AuditRow = typeof auditEvents.$inferSelect;

/** The client's latest `limit` audit events, oldest first: a busy client's recent changes are the ones people look for. */
export function clientAudit(db: Db, clientId: number, limit: number): AuditRow[] {
  return db.select().from(auditEvents).where(eq(auditEvents.clientId, clientId)).orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit).all().reverse();
}

export function countClientAudit(db: Db, clientId: number): number {
  const q = prepared(db, 'countClientAudit', () =>
    db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.clientId, sql.placeholder('clientId')))
      .prepare(),
  );
  return q.get({ clientId })?.n ?? 0;
}
