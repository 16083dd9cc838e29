import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { SEGMENTS } from '../../src/domain/stages.ts';
import { CLIENT_SIZES } from '../../src/domain/fit.ts';

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
    /** What the look-alike model compares with segment A (SPEC §7): free text, compared case-insensitively. */
    industry: text('industry'),
    region: text('region'),
    size: text('size', { enum: CLIENT_SIZES }),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('clients_name_key_uq').on(t.nameKey),
    index('clients_owner_idx').on(t.ownerId),
    uniqueIndex('clients_eik_uq').on(t.eik).where(sql`${t.eik} IS NOT NULL`),
  ],
);

/** Account reviews (SPEC §7): the owner's `/client review`; the latest sets the next by the segment's cadence. */
export const clientReviews = sqliteTable(
  'client_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    /** The calendar day of the review in the workspace's zone. */
    reviewedOn: text('reviewed_on').notNull(),
    note: text('note').notNull(),
    reviewedBy: text('reviewed_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('client_reviews_client_idx').on(t.clientId, t.reviewedOn)],
);

/**
 * Quiet spells alerted (SPEC §7), one row per client and spell (named by the last invoice day
 * before the silence): the unique index makes two digests racing alert once.
 */
export const quietAlerts = sqliteTable(
  'quiet_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: integer('client_id')
      .notNull()
      .references(() => clients.id),
    spellFrom: text('spell_from').notNull(),
    alertedAt: integer('alerted_at').notNull(),
  },
  (t) => [uniqueIndex('quiet_alerts_client_spell_uq').on(t.clientId, t.spellFrom)],
);
