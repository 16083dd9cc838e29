import type { Logger } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { backoffMs } from '../domain/outbox.ts';
import { claim, countUndelivered, dueRows, findMessage, markFailed, markRetry, markSent, nextDueAt, postFor, type OutboxRow } from '../repos/outbox.ts';
import { outsideTransaction, type Store, type Tx } from '../repos/store.ts';
import { hasOpenedHome } from '../repos/home.ts';
import { drawChart } from '../workers/client.ts';
import { outboxAttemptFailed, slackFetch } from '../ops/metrics.ts';
import type { ChartUpload } from '../charts/spec.ts';

const CHART_ERROR = 'dealdesk_chart_error';
/** How long a delivered message's record may wait for another process's write lock. */
const RECORD_SENT_WAIT_MS = 10 * 60_000;

export interface SenderOptions {
  /** Slack allows about one chat.postMessage per second per channel. */
  perChannelMs?: number;
  /** How long a claimed row is ours before another sender may take it over. */
  leaseMs?: number;
  /** How often to look for rows written by other processes or due for retry. */
  pollMs?: number;
  /** Give up on a row after this many failed attempts (it stays in the table as failed). */
  maxAttempts?: number;
  /** Republishes a user's App Home (`home` rows); without it those rows are dropped. */
  publishHome?: (userId: string) => Promise<void>;
}


/**
 * Delivers the outbox to Slack: in order per channel, paced per channel, honouring
 * Retry-After on 429, retrying 5xx and network errors with backoff, and recording each
 * posted message's ts so updates and thread replies find it.
 */
export class OutboxSender {
  private readonly client: WebClient;
  private readonly perChannelMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly publishHome: ((userId: string) => Promise<void>) | undefined;
  private readonly lastPostAt = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  /** A person's DM id from conversations.open, by user id (for file shares). */
  private readonly dms = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    token: string,
    apiUrl: string,
    private readonly logger: Logger,
    opts: SenderOptions = {},
  ) {
    // Retries are ours (kept in the table, so they survive a restart), not the client's.
    this.client = new WebClient(token, { slackApiUrl: apiUrl, logger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000, fetch: slackFetch });
    this.perChannelMs = opts.perChannelMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.maxAttempts = opts.maxAttempts ?? 12;
    this.publishHome = opts.publishHome;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Something was enqueued: deliver it now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Kicked from inside the change's transaction (its notices were just rendered): the sender's
    // reads and writes are its own, after that transaction, never part of it.
    this.running = outsideTransaction(() => this.loop()).finally(() => {
      this.running = undefined;
    });
  }

  /** Deliver everything that can be delivered within `timeoutMs`; true when nothing is left. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.running) await this.running;
      else await this.pass();
      if ((await this.store.read(countUndelivered)) === 0) return true;
      await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
    }
    return (await this.store.read(countUndelivered)) === 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pass();
      } catch (err) {
        // A database that stayed busy, say: the rows stay as they were and the next pass retries.
        this.logger.error('outbox pass failed', err);
      }
    } while (this.again && !this.stopped);
    await this.schedule();
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    let next: number | undefined;
    try {
      next = await this.store.read(nextDueAt);
    } catch (err) {
      this.logger.error('outbox: could not read when the next row is due', err);
    }
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const now = Date.now();
    const wait = next === undefined ? this.pollMs : Math.max(20, Math.min(this.pollMs, next - now, this.soonestUnpause(now) - now));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private soonestUnpause(now: number): number {
    let soonest = now + this.pollMs;
    for (const [ch, at] of this.lastPostAt) soonest = Math.min(soonest, Math.max(at + this.perChannelMs, this.pausedUntil.get(ch) ?? 0));
    return soonest;
  }

  private async pass(): Promise<void> {
    const now = Date.now();
    const blocked = new Set<string>();
    for (const row of await this.store.read((tx) => dueRows(tx, now, 200))) {
      if (this.stopped) return;
      // Order within a channel matters (a reply after its root, updates in sequence).
      if (blocked.has(row.channel)) continue;
      const t = Date.now();
      if ((this.pausedUntil.get(row.channel) ?? 0) > t || ((row.op === 'post' || row.op === 'upload') && (this.lastPostAt.get(row.channel) ?? 0) + this.perChannelMs > t)) {
        blocked.add(row.channel);
        continue;
      }
      const target = await this.targetOf(row);
      if (target === 'wait') {
        blocked.add(row.channel);
        continue;
      }
      if (!(await this.write((tx) => claim(tx, row.id, t, t + this.leaseMs)))) continue;
      if (target === 'lost-root') {
        await this.write((tx) => markFailed(tx, row.id, 'the message it refers to could not be delivered', row.attempts));
        continue;
      }
      const ok = await this.deliver(row, target);
      if (!ok) blocked.add(row.channel);
    }
  }

  /** Where a row goes: its thread or message must exist first. */
  /** A write that waits for another process's lock with the event loop running (SQLite), however long `maxWaitMs`. */
  private write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(fn, { background: true });
  }

  private async targetOf(row: OutboxRow): Promise<{ channel: string; ts?: string; threadTs?: string } | 'wait' | 'lost-root'> {
    const ref = row.op === 'update' ? row.messageKey : row.threadKey;
    if (!ref) return { channel: row.channel };
    const { msg, root } = await this.store.read(async (tx) => {
      const msg = await findMessage(tx, ref);
      return { msg, root: msg ? undefined : await postFor(tx, ref) };
    });
    if (msg) return row.op === 'update' ? { channel: msg.channel, ts: msg.ts } : { channel: msg.channel, threadTs: msg.ts };
    if (!root || root.state === 'failed') return 'lost-root';
    return 'wait';
  }

  private async deliver(row: OutboxRow, target: { channel: string; ts?: string; threadTs?: string }): Promise<boolean> {
    const attempts = row.attempts + 1;
    let sent: { channel: string; ts: string };
    try {
      sent = await this.send(row, target);
    } catch (err) {
      outboxAttemptFailed(row.op, err);
      const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
      const now = Date.now();
      if (e.code === ErrorCode.RateLimitedError) {
        const waitMs = Math.max(1, e.retryAfter ?? 1) * 1000;
        this.pausedUntil.set(row.channel, now + waitMs);
        await this.write((tx) => markRetry(tx, row.id, now + waitMs, `rate limited; Retry-After ${e.retryAfter ?? '?'} s`, attempts));
        this.logger.warn(`Slack rate-limited a message to ${row.channel}; retrying in ${waitMs} ms`);
        return false;
      }
      const transient = e.code === ErrorCode.RequestError || e.code === CHART_ERROR || (e.code === ErrorCode.HTTPError && (e.statusCode ?? 0) >= 500);
      const error = e.code === ErrorCode.PlatformError ? `slack error: ${e.data?.error ?? 'unknown'}` : `${e.code ?? 'error'}: ${e.statusCode ?? ''} ${(e.message ?? '').slice(0, 200)}`;
      if (transient && attempts < this.maxAttempts) {
        await this.write((tx) => markRetry(tx, row.id, now + backoffMs(attempts), error, attempts));
        this.logger.warn(`could not deliver outbox #${row.id} (${error}); attempt ${attempts}, retrying`);
      } else {
        await this.write((tx) => markFailed(tx, row.id, error, attempts));
        this.logger.error(`gave up delivering outbox #${row.id} to ${row.channel}: ${error}`);
      }
      return false;
    }
    // Slack has it: record that, however long another process holds the lock (a message
    // marked failed, or left to be sent again, would be worse than a late record).
    try {
      await this.store.write((tx) => markSent(tx, row, sent, Date.now()), { background: true, maxWaitMs: RECORD_SENT_WAIT_MS });
    } catch (err) {
      this.logger.error(`outbox #${row.id} was delivered to ${row.channel} but could not be recorded; it may be sent again when its lease ends`, err);
    }
    return true;
  }

  /**
   * The conversation to share a file in. chat.postMessage takes a user id for a DM, but
   * files.completeUploadExternal takes only conversation ids (C…, G…, D…): a person's DM is
   * opened (conversations.open, idempotent) and its id kept for the sender's life.
   */
  private async conversationOf(channel: string): Promise<string> {
    if (!/^[UW]/.test(channel)) return channel;
    const known = this.dms.get(channel);
    if (known) return known;
    const r = await this.client.conversations.open({ users: channel });
    const id = r.channel?.id;
    if (!id) throw Object.assign(new Error(`conversations.open gave no channel for ${channel}`), { code: ErrorCode.PlatformError, data: { error: 'no_channel' } });
    this.dms.set(channel, id);
    return id;
  }

  /** The Slack call for a row; what was sent, for threads and updates to find. */
  private async send(row: OutboxRow, target: { channel: string; ts?: string; threadTs?: string }): Promise<{ channel: string; ts: string }> {
    const payload = row.payload as Record<string, unknown>;
    if (row.op === 'home') {
      // Only for people who opened the Home tab; the view is built from current data.
      if (this.publishHome && (await this.store.read((tx) => hasOpenedHome(tx, row.channel)))) await this.publishHome(row.channel);
      return { channel: row.channel, ts: 'home' };
    }
    if (row.op === 'upload') {
      const p = payload as unknown as ChartUpload;
      // Drawn in a helper process: a PNG costs 0.1–0.3 s of CPU the event loop cannot spare.
      // A chart that could not be drawn is retried like a network error.
      const file = await drawChart(p.chart).catch((err: unknown) => {
        throw Object.assign(new Error(`the chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`), { code: CHART_ERROR });
      });
      const channel = await this.conversationOf(target.channel);
      this.lastPostAt.set(row.channel, Date.now());
      const r = await this.client.files.uploadV2(
        target.threadTs
          ? { channel_id: channel, thread_ts: target.threadTs, file, filename: p.filename, title: p.title }
          : { channel_id: channel, file, filename: p.filename, title: p.title },
      );
      return { channel, ts: (r as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0]?.id ?? 'uploaded' };
    }
    if (row.op === 'update') {
      const r = await this.client.chat.update({ ...payload, channel: target.channel, ts: target.ts! } as never);
      return { channel: String(r.channel ?? target.channel), ts: String(r.ts ?? target.ts) };
    }
    this.lastPostAt.set(row.channel, Date.now());
    const r = await this.client.chat.postMessage({ ...payload, channel: target.channel, ...(target.threadTs ? { thread_ts: target.threadTs } : {}) } as never);
    return { channel: String(r.channel), ts: String(r.ts) };
  }
}

