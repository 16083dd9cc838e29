/**
 * Retention and look-alikes (SPEC §7): account reviews, quiet spells alerted, and the reads the
 * fit model, `/abc profile`, the reviews digest and `/funnel`'s repeat business need.
 */
import { sql } from 'drizzle-orm';
import { clientReviews } from '../../db/schema/index.ts';
import type { ClientSize } from '../domain/fit.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { recordAudit } from './audit.ts';
import { rowsOf, runSql, type Tx } from './store.ts';

export type ReviewRow = typeof clientReviews.$inferSelect;

/** Log an account review, with its audit event (the client's history shows it). */
export async function insertReview(tx: Tx, r: { clientId: number; reviewedOn: string; note: string; actor: string; at: number }): Promise<ReviewRow> {
  const [row] = await tx.insert(clientReviews).values({ clientId: r.clientId, reviewedOn: r.reviewedOn, note: r.note, reviewedBy: r.actor, createdAt: r.at }).returning();
  await recordAudit(tx, { actor: r.actor, entity: 'client', entityId: r.clientId, clientId: r.clientId, action: 'reviewed', before: null, after: { reviewId: row!.id, reviewedOn: r.reviewedOn, note: r.note }, at: r.at });
  return row!;
}

/** One group of classified clients with sales in the ABC period, alike in segment and attributes. */
export interface FitGroup {
  segment: Segment;
  industry: string | null;
  region: string | null;
  size: ClientSize | null;
  clients: number;
}

/**
 * The fit model's training set (SPEC §7): clients with a segment and sales in the ABC period
 * (the latest recompute's revenue above 0), grouped by segment and attributes in SQL so the card
 * and the list read a few hundred rows, not one per client.
 */
export async function fitTraining(tx: Tx): Promise<FitGroup[]> {
  return rowsOf<FitGroup>(
    tx,
    sql`SELECT c.segment, c.industry, c.region, c.size, count(*) AS clients
          FROM clients c JOIN segment_snapshots s ON s.client_id = c.id
         WHERE c.segment IS NOT NULL AND s.revenue_minor > 0
         GROUP BY c.segment, c.industry, c.region, c.size`,
  );
}

export interface FitCandidate {
  id: number;
  name: string;
  ownerId: string;
  segment: Segment | null;
  stage: Stage | null;
  industry: string | null;
  region: string | null;
  size: ClientSize | null;
}

/** What a client review or reminder needs of each client. */
export interface ReviewSubjectRow {
  clientId: number;
  name: string;
  ownerId: string;
  segment: Segment | null;
  createdAt: number;
  lastReviewOn: string | null;
}

/** Every client (or one owner's) with the day of its latest review. */
export async function reviewSubjects(tx: Tx, ownerId?: string): Promise<ReviewSubjectRow[]> {
  return rowsOf<ReviewSubjectRow>(
    tx,
    sql`SELECT c.id AS "clientId", c.name, c.owner_id AS "ownerId", c.segment, c.created_at AS "createdAt", r.last AS "lastReviewOn"
          FROM clients c LEFT JOIN (SELECT client_id, max(reviewed_on) AS last FROM client_reviews GROUP BY client_id) r ON r.client_id = c.id
         ${ownerId === undefined ? sql`` : sql`WHERE c.owner_id = ${ownerId}`}
         ORDER BY c.id`,
  );
}

export interface QuietInvoiceRow {
  clientId: number;
  issueDate: string;
  amountMinor: number;
  currency: string;
}

/** The whole invoice history of the A and B clients (or of one owner's): what the quiet rule reads. */
export async function quietInvoices(tx: Tx, ownerId?: string): Promise<QuietInvoiceRow[]> {
  return rowsOf<QuietInvoiceRow>(
    tx,
    sql`SELECT i.client_id AS "clientId", i.issue_date AS "issueDate", i.amount_minor AS "amountMinor", i.currency
          FROM invoices i JOIN clients c ON c.id = i.client_id
         WHERE c.segment IN ('A', 'B') ${ownerId === undefined ? sql`` : sql`AND c.owner_id = ${ownerId}`}
         ORDER BY i.client_id, i.issue_date`,
  );
}

/** The latest quiet spell alerted per client. */
export async function alertedSpells(tx: Tx): Promise<Map<number, string>> {
  const rows = await rowsOf<{ clientId: number; spell: string }>(tx, sql`SELECT client_id AS "clientId", max(spell_from) AS spell FROM quiet_alerts GROUP BY client_id`);
  return new Map(rows.map((r) => [r.clientId, r.spell]));
}

/**
 * Record that a quiet spell was alerted; false when it already was. The unique (client, spell)
 * index is the guard: two digests racing (two instances, a retried job) alert once.
 */
export async function recordQuietAlert(tx: Tx, clientId: number, spell: string, at: number): Promise<boolean> {
  const n = await runSql(tx, sql`INSERT INTO quiet_alerts (client_id, spell_from, alerted_at) VALUES (${clientId}, ${spell}, ${at}) ON CONFLICT (client_id, spell_from) DO NOTHING`);
  return n > 0;
}

/** `/abc profile`: every classified client with its attributes. */
export async function profileClients(tx: Tx): Promise<{ clientId: number; segment: Segment; industry: string | null; region: string | null; size: string | null }[]> {
  return rowsOf(tx, sql`SELECT id AS "clientId", segment, industry, region, size FROM clients WHERE segment IS NOT NULL ORDER BY id`);
}

/** `/abc profile`: the invoices issued in the ABC period (both ends included, as ABC's). */
export async function profileInvoices(tx: Tx, from: string, to: string): Promise<{ clientId: number; amountMinor: number; currency: string; issueDate: string; dueDate: string }[]> {
  return rowsOf(
    tx,
    sql`SELECT client_id AS "clientId", amount_minor AS "amountMinor", currency, issue_date AS "issueDate", due_date AS "dueDate"
          FROM invoices WHERE issue_date >= ${from} AND issue_date <= ${to} AND amount_minor > 0`,
  );
}

