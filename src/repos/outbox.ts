import { and, asc, eq, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import { outbox, outboxChannels, slackMessages } from '../../db/schema/index.ts';
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

export async function countUndelivered(tx: Tx): Promise<number> {
  return Number((await first(tx.select({ n: sql<number>`count(*)` }).from(outbox).where(inArray(outbox.state, ['pending', 'sending']))))?.n ?? 0);
}

/** Per channel, the oldest undelivered row (the only one that may go next) and the channel's shared state; oldest first. */
export interface ChannelHead {
  channel: string;
  id: number;
  op: OutboxOp;
  nextAttemptAt: number;
  holder: string | null;
  leaseUntil: number | null;
  nextPostAt: number | null;
  pausedUntil: number | null;
}

export async function channelHeads(tx: Tx, limit: number): Promise<ChannelHead[]> {
  const heads = tx.select({ id: sql<number>`min(${outbox.id})` }).from(outbox).where(inArray(outbox.state, ['pending', 'sending'])).groupBy(outbox.channel);
  return tx
    .select({
      channel: outbox.channel,
      id: outbox.id,
      op: outbox.op,
      nextAttemptAt: outbox.nextAttemptAt,
      holder: outboxChannels.holder,
      leaseUntil: outboxChannels.leaseUntil,
      nextPostAt: outboxChannels.nextPostAt,
      pausedUntil: outboxChannels.pausedUntil,
    })
    .from(outbox)
    .leftJoin(outboxChannels, eq(outboxChannels.channel, outbox.channel))
    .where(inArray(outbox.id, heads))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

/** A channel's undelivered rows in order (the head first). */
export async function channelRows(tx: Tx, channel: string, limit: number): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(outbox)
    .where(and(inArray(outbox.state, ['pending', 'sending']), eq(outbox.channel, channel)))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

/**
 * Take the channel for `holder` until `leaseUntil`, when nobody else holds it (a lapsed or
 * released lease counts as nobody): one guarded upsert, so two instances racing for it cannot
 * both win. Gives the channel's pace and pause, or undefined when another instance holds it.
 */
export async function takeChannel(tx: Tx, channel: string, holder: string, now: number, leaseUntil: number): Promise<{ nextPostAt: number; pausedUntil: number } | undefined> {
  const rows = await tx
    .insert(outboxChannels)
    .values({ channel, holder, leaseUntil })
    .onConflictDoUpdate({
      target: outboxChannels.channel,
      set: { holder, leaseUntil },
      setWhere: or(lt(outboxChannels.leaseUntil, now), eq(outboxChannels.holder, holder)),
    })
    .returning({ nextPostAt: outboxChannels.nextPostAt, pausedUntil: outboxChannels.pausedUntil });
  const r = rows[0];
  return r && { nextPostAt: Number(r.nextPostAt), pausedUntil: Number(r.pausedUntil) };
}

/**
 * The channel's next Slack call, for `holder` only while it still holds the channel: renews the
 * lease and, for a post (`paceUntil` given), takes the channel's next post slot. False when the
 * lease went to another instance, the channel is paused, or the pace says not yet.
 */
export async function takeTurn(tx: Tx, channel: string, holder: string, now: number, leaseUntil: number, paceUntil?: number): Promise<boolean> {
  const r = await tx
    .update(outboxChannels)
    .set(paceUntil === undefined ? { leaseUntil } : { leaseUntil, nextPostAt: paceUntil })
    .where(
      and(
        eq(outboxChannels.channel, channel),
        eq(outboxChannels.holder, holder),
        lte(outboxChannels.pausedUntil, now),
        paceUntil === undefined ? undefined : lte(outboxChannels.nextPostAt, now),
      ),
    );
  return changed(r) === 1;
}

/** Keep the channel (and the row in flight, if any) ours until `leaseUntil`; false when the channel went to another instance. */
export async function renewLease(tx: Tx, channel: string, holder: string, leaseUntil: number, rowId?: number): Promise<boolean> {
  const r = await tx.update(outboxChannels).set({ leaseUntil }).where(and(eq(outboxChannels.channel, channel), eq(outboxChannels.holder, holder)));
  if (rowId !== undefined) await tx.update(outbox).set({ nextAttemptAt: leaseUntil }).where(and(eq(outbox.id, rowId), eq(outbox.state, 'sending'), eq(outbox.claimedBy, holder)));
  return changed(r) === 1;
}

/** Let another instance take the channel at once. */
export async function releaseChannel(tx: Tx, channel: string, holder: string): Promise<void> {
  await tx.update(outboxChannels).set({ holder: null, leaseUntil: 0 }).where(and(eq(outboxChannels.channel, channel), eq(outboxChannels.holder, holder)));
}

/** No post to the channel before `at` (keeps a later time already there). */
export async function paceFrom(tx: Tx, channel: string, at: number): Promise<void> {
  await tx
    .update(outboxChannels)
    .set({ nextPostAt: sql`CASE WHEN ${outboxChannels.nextPostAt} < ${at} THEN ${at} ELSE ${outboxChannels.nextPostAt} END` })
    .where(eq(outboxChannels.channel, channel));
}

/** Slack said 429: no call to the channel, from any instance, before `until`. */
export async function pauseChannel(tx: Tx, channel: string, until: number): Promise<void> {
  await tx
    .insert(outboxChannels)
    .values({ channel, pausedUntil: until })
    .onConflictDoUpdate({ target: outboxChannels.channel, set: { pausedUntil: sql`CASE WHEN ${outboxChannels.pausedUntil} < ${until} THEN ${until} ELSE ${outboxChannels.pausedUntil} END` } });
}

/**
 * Claim a row for sending until `leaseUntil`. Guarded so that two senders (two instances,
 * or a digest run beside the bot) never deliver the same row twice, whatever the channel lease.
 */
export async function claim(tx: Tx, id: number, now: number, leaseUntil: number, holder: string): Promise<boolean> {
  const r = await tx
    .update(outbox)
    .set({ state: 'sending', nextAttemptAt: leaseUntil, claimedBy: holder })
    .where(and(eq(outbox.id, id), or(eq(outbox.state, 'pending'), eq(outbox.state, 'sending')), lte(outbox.nextAttemptAt, now)));
  return changed(r) === 1;
}

/**
 * Record delivery and, for a post with a key, where the message lives (call inside one write).
 * Recorded even when the lease lapsed meanwhile (Slack has the message: better recorded late
 * than sent again), but only once: of two deliveries of one row, the first recorded stays.
 */
export async function markSent(tx: Tx, row: OutboxRow, result: { channel: string; ts: string }, at: number): Promise<void> {
  const r = await tx.update(outbox).set({ state: 'sent', ts: result.ts, sentAt: at, lastError: null }).where(and(eq(outbox.id, row.id), ne(outbox.state, 'sent')));
  if (changed(r) === 1 && row.op === 'post' && row.messageKey) {
    await tx
      .insert(slackMessages)
      .values({ key: row.messageKey, channel: result.channel, ts: result.ts })
      .onConflictDoUpdate({ target: slackMessages.key, set: { channel: result.channel, ts: result.ts } });
  }
}

/** Only while `holder` still has the row: after its lease lapsed another instance may have delivered it. */
const stillClaimed = (id: number, holder: string) => and(eq(outbox.id, id), eq(outbox.state, 'sending'), eq(outbox.claimedBy, holder));

export async function markRetry(tx: Tx, id: number, holder: string, nextAttemptAt: number, error: string, attempts: number): Promise<void> {
  await tx.update(outbox).set({ state: 'pending', nextAttemptAt, lastError: error, attempts }).where(stillClaimed(id, holder));
}

export async function markFailed(tx: Tx, id: number, holder: string, error: string, attempts: number): Promise<void> {
  await tx.update(outbox).set({ state: 'failed', lastError: error, attempts }).where(stillClaimed(id, holder));
}

export async function findMessage(tx: Tx, key: string): Promise<{ channel: string; ts: string } | undefined> {
  return first(tx.select({ channel: slackMessages.channel, ts: slackMessages.ts }).from(slackMessages).where(eq(slackMessages.key, key)));
}

/** The post that will create the message `key`, if it is still on its way (or failed). */
export async function postFor(tx: Tx, key: string): Promise<OutboxRow | undefined> {
  return first(tx.select().from(outbox).where(and(eq(outbox.op, 'post'), eq(outbox.messageKey, key))).orderBy(asc(outbox.id)).limit(1));
}
