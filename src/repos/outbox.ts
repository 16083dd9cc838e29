import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { outbox, slackMessages } from '../../db/schema/index.ts';
import type { OutboxOp } from '../domain/outbox.ts';
import { changed, first, type Tx } from './store.ts';

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
export async function enqueue(tx: Tx, items: OutboxItem[], at: number): Promise<void> {
  // In chunks: one INSERT of thousands of rows would exceed SQLite's bound-variable limit.
  for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) await insertChunk(tx, items.slice(i, i + ENQUEUE_CHUNK), at);
}

const ENQUEUE_CHUNK = 200;

async function insertChunk(tx: Tx, items: OutboxItem[], at: number): Promise<void> {
  if (items.length === 0) return;
  await tx.insert(outbox)
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
    );
}

/** Rows ready to send, oldest first; a `sending` row whose lease ran out is ready again. */
export async function dueRows(tx: Tx, now: number, limit: number): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(outbox)
    .where(and(inArray(outbox.state, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

export async function nextDueAt(tx: Tx): Promise<number | undefined> {
  const r = await first(tx.select({ at: sql<number | null>`min(${outbox.nextAttemptAt})` }).from(outbox).where(inArray(outbox.state, ['pending', 'sending'])));
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

export async function countUndelivered(tx: Tx): Promise<number> {
  return Number((await first(tx.select({ n: sql<number>`count(*)` }).from(outbox).where(inArray(outbox.state, ['pending', 'sending']))))?.n ?? 0);
}

/**
 * Claim a row for sending until `leaseUntil`. Guarded so that two senders (two processes,
 * or a digest run beside the bot) never deliver the same row twice.
 */
export async function claim(tx: Tx, id: number, now: number, leaseUntil: number): Promise<boolean> {
  const r = await tx
    .update(outbox)
    .set({ state: 'sending', nextAttemptAt: leaseUntil })
    .where(and(eq(outbox.id, id), or(eq(outbox.state, 'pending'), eq(outbox.state, 'sending')), lte(outbox.nextAttemptAt, now)));
  return changed(r) === 1;
}

/** Record delivery and, for a post with a key, where the message lives (call inside one write). */
export async function markSent(tx: Tx, row: OutboxRow, result: { channel: string; ts: string }, at: number): Promise<void> {
  await tx.update(outbox).set({ state: 'sent', ts: result.ts, sentAt: at, lastError: null }).where(eq(outbox.id, row.id));
  if (row.op === 'post' && row.messageKey) {
    await tx
      .insert(slackMessages)
      .values({ key: row.messageKey, channel: result.channel, ts: result.ts })
      .onConflictDoUpdate({ target: slackMessages.key, set: { channel: result.channel, ts: result.ts } });
  }
}

export async function markRetry(tx: Tx, id: number, nextAttemptAt: number, error: string, attempts: number): Promise<void> {
  await tx.update(outbox).set({ state: 'pending', nextAttemptAt, lastError: error, attempts }).where(eq(outbox.id, id));
}

export async function markFailed(tx: Tx, id: number, error: string, attempts: number): Promise<void> {
  await tx.update(outbox).set({ state: 'failed', lastError: error, attempts }).where(eq(outbox.id, id));
}

export async function findMessage(tx: Tx, key: string): Promise<{ channel: string; ts: string } | undefined> {
  return first(tx.select({ channel: slackMessages.channel, ts: slackMessages.ts }).from(slackMessages).where(eq(slackMessages.key, key)));
}

/** The post that will create the message `key`, if it is still on its way (or failed). */
export async function postFor(tx: Tx, key: string): Promise<OutboxRow | undefined> {
  return first(tx.select().from(outbox).where(and(eq(outbox.op, 'post'), eq(outbox.messageKey, key))).orderBy(asc(outbox.id)).limit(1));
}
