import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SEGMENTS } from '../../src/domain/stages.ts';
import { id, int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/clients.ts (held equal by test/schema-parity.test.ts). */
export const clients = pgTable(
  'clients',
  {
    id: id(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    ownerId: text('owner_id').notNull(),
    contact: text('contact'),
    segment: text('segment').$type<(typeof SEGMENTS)[number]>(),
    eik: text('eik'),
    vat: text('vat'),
    createdBy: text('created_by').notNull(),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('clients_name_key_uq').on(t.nameKey),
    index('clients_owner_idx').on(t.ownerId),
    uniqueIndex('clients_eik_uq').on(t.eik).where(sql`eik IS NOT NULL`),
  ],
);
