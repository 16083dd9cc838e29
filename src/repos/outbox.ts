import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { outbox, slackMessages } from '../../db/schema/index.ts';
import type { OutboxOp } from '../domain/outbox.ts';
import type { Tx } from './audit.ts';
import type { Db } from './db.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** One Slack message to deliver after the change that caused it commits. */
export interface OutboxItem {
  op: OutboxOp;
  channel: string;
  messageKey?: string;
  threadKey?: string;
  /** chat.postMessage / chat.update arguments other than channel, ts and thread_ts. */
  payload: { text: string; blocks?: unknown[]; [k: string]: unknown };
}

/** Called inside the business change's transaction. */
export function enqueue(tx: Tx, items: OutboxItem[], at: number): void {
  // In chunks: one INSERT of thousands of rows would exceed SQLite's bound-variable limit.
  for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) insertChunk(tx, items.slice(i, i + ENQUEUE_CHUNK), at);
}

const ENQUEUE_CHUNK = 200;

function insertChunk(tx: Tx, items: OutboxItem[], at: number): void {
  if (items.length === 0) return;
  tx.insert(outbox)
    .values(
      items.map((i) => ({
        op: i.op,
        channel: i.channel,
        messageKey: i.messageKey ?? null,
        threadKey: i.threadKey ?? null,
        payload: i.payload,
        state: 'pending' as const,
        // Due at once. Retry times are the sender's wall clock, not the business clock `at`.
        nextAttemptAt: 0,
        createdAt: at,
      })),
    )
    .run();
}

/** Rows ready to send, oldest first; a `sending` row whose lease ran out is ready again. */
export function dueRows(db: Db, now: number, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.state, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

export function nextDueAt(db: Db): number | undefined {
  return db
    .select({ at: sql<number>`min(${outbox.nextAttemptAt})` })
    .from(outbox)
    .where(inArray(outbox.state, ['pending', 'sending']))
    .get()?.at ?? undefined;
}

export function countUndelivered(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(outbox).where(inArray(outbox.state, ['pending', 'sending'])).get()?.n ?? 0;
}

/**
 * Claim a row for sending until `leaseUntil`. Guarded so that two senders (two processes,
 * or a digest run beside the bot) never deliver the same row twice.
 */
export function claim(db: Db, id: number, now: number, leaseUntil: number): boolean {
  const r = db
    .update(outbox)
    .set({ state: 'sending', nextAttemptAt: leaseUntil })
    .where(and(eq(outbox.id, id), or(eq(outbox.state, 'pending'), eq(outbox.state, 'sending')), lte(outbox.nextAttemptAt, now)))
    .run();
  return r.changes === 1;
}

/** Record delivery and, for a post with a key, where the message lives, in one transaction. */
export function markSent(db: Db, row: OutboxRow, result: { channel: string; ts: string }, at: number): void {
  db.transaction((tx) => {
    tx.update(outbox).set({ state: 'sent', ts: result.ts, sentAt: at, lastError: null }).where(eq(outbox.id, row.id)).run();
    if (row.op === 'post' && row.messageKey) {
      tx.insert(slackMessages)
        .values({ key: row.messageKey, channel: result.channel, ts: result.ts })
        .onConflictDoUpdate({ target: slackMessages.key, set: { channel: result.channel, ts: result.ts } })
        .run();
    }
  });
}

export function markRetry(db: Db, id: number, nextAttemptAt: number, error: string, attempts: number): void {
  db.update(outbox).set({ state: 'pending', nextAttemptAt, lastError: error, attempts }).where(eq(outbox.id, id)).run();
}

export function markFailed(db: Db, id: number, error: string, attempts: number): void {
  db.update(outbox).set({ state: 'failed', lastError: error, attempts }).where(eq(outbox.id, id)).run();
}

export function findMessage(db: Db, key: string): { channel: string; ts: string } | undefined {
  return db.select({ channel: slackMessages.channel, ts: slackMessages.ts }).from(slackMessages).where(eq(slackMessages.key, key)).get();
}

/** The post that will create the message `key`, if it is still on its way (or failed). */
export function postFor(db: Db, key: string): OutboxRow | undefined {
  return db.select().from(outbox).where(and(eq(outbox.op, 'post'), eq(outbox.messageKey, key))).orderBy(asc(outbox.id)).get();
}
