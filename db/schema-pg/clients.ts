import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SEGMENTS } from '../../src/domain/stages.ts';
import type { CLIENT_SIZES } from '../../src/domain/fit.ts';
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
    industry: text('industry'),
    region: text('region'),
    size: text('size').$type<(typeof CLIENT_SIZES)[number]>(),
    createdBy: text('created_by').notNull(),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('clients_name_key_uq').on(t.nameKey),
    index('clients_owner_idx').on(t.ownerId),
    uniqueIndex('clients_eik_uq').on(t.eik).where(sql`eik IS NOT NULL`),
  ],
);

export const clientReviews = pgTable(
  'client_reviews',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    reviewedOn: text('reviewed_on').notNull(),
    note: text('note').notNull(),
    reviewedBy: text('reviewed_by').notNull(),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [index('client_reviews_client_idx').on(t.clientId, t.reviewedOn)],
);

export const quietAlerts = pgTable(
  'quiet_alerts',
  {
    id: id(),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    spellFrom: text('spell_from').notNull(),
    alertedAt: int8('alerted_at').notNull(),
  },
  (t) => [uniqueIndex('quiet_alerts_client_spell_uq').on(t.clientId, t.spellFrom)],
);
