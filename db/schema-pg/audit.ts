import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import type { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../src/domain/audit.ts';
import { id, int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/audit.ts. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    actor: text('actor').notNull(),
    entity: text('entity').$type<(typeof AUDIT_ENTITIES)[number]>().notNull(),
    /** An id of one of the tables (integer ids), so integer like a foreign key. */
    entityId: integer('entity_id').notNull(),
    clientId: integer('client_id'),
    action: text('action').$type<(typeof AUDIT_ACTIONS)[number]>().notNull(),
    /** JSON as text: the model's json-mode columns parse it. */
    before: text('before'),
    after: text('after'),
    at: int8('at').notNull(),
  },
  (t) => [index('audit_events_entity_idx').on(t.entity, t.entityId), index('audit_events_client_idx').on(t.clientId)],
);
