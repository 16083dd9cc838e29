import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { SEGMENTS } from '../../src/domain/stages.ts';

export const clients = sqliteTable(
  'clients',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Case-folded, NFKC-normalised name: what makes names unique (SQLite's NOCASE folds ASCII only). */
    nameKey: text('name_key').notNull(),
    ownerId: text('owner_id').notNull(),
    contact: text('contact'),
    segment: text('segment', { enum: SEGMENTS }),
    /** The Registry Agency's ЕИК (UIC), 9 or 13 digits, checksum-checked (SPEC §5); one client each. */
    eik: text('eik'),
    /** The VAT number, `BG` + 9 or 10 digits, checksum-checked (SPEC §5). */
    vat: text('vat'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('clients_name_key_uq').on(t.nameKey),
    index('clients_owner_idx').on(t.ownerId),
    uniqueIndex('clients_eik_uq').on(t.eik).where(sql`${t.eik} IS NOT NULL`),
  ],
);
