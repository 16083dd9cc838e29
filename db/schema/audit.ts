import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../src/domain/audit.ts';

/** Every change: actor, entity, action, before and after, time (SPEC §2). */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actor: text('actor').notNull(),
    entity: text('entity', { enum: AUDIT_ENTITIES }).notNull(),
    entityId: integer('entity_id').notNull(),
    /** The client the change belongs to, so a client's history is one indexed query. */
    clientId: integer('client_id'),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_events_entity_idx').on(t.entity, t.entityId), index('audit_events_client_idx').on(t.clientId)],
);
