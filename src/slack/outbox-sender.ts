import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { backoffMs } from '../domain/outbox.ts';
import {
  channelHeads,
  channelRows,
  claim,
  countUndelivered,
  findMessage,
  markFailed,
  markRetry,
  markSent,
  pauseChannel,
  paceFrom,
  postFor,
  releaseChannel,
  renewLease,
  takeChannel,
  takeTurn,
  type ChannelHead,
  type OutboxRow,
} from '../repos/outbox.ts';
import { outsideTransaction, type Store, type Tx } from '../repos/store.ts';
import { hasOpenedHome } from '../repos/home.ts';
import { drawChart } from '../workers/client.ts';
import { outboxAttemptFailed, slackFetch } from '../ops/metrics.ts';
import type { ChartUpload } from '../charts/spec.ts';

const CHART_ERROR = 'dealdesk_chart_error';
/** How long a delivered message's record may wait for another process's write lock. */
const RECORD_SENT_WAIT_MS = 10 * 60_000;
/** How many channels one pass looks at, and how many of a channel's rows one lease goes through. */
const CHANNELS_PER_PASS = 200;
const ROWS_PER_LEASE = 50;

export interface SenderOptions {
  /** Slack allows about one chat.postMessage per second per channel. */
  perChannelMs?: number;
  /**
   * How long a channel (and the row in flight) stays ours without a renewal: renewed every
   * third of it while we deliver, so it lapses only when this instance is gone (killed, or cut
   * off from the database); then another instance takes over.
   */
  leaseMs?: number;
  /** This sender's name in the channel leases (config.instanceId); default a random id. Unique per instance. */
  holder?: string;
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
 *
 * Several instances may share one database (SPEC §8). A sender delivers to a channel only while
 * it holds the channel's lease (outbox_channels: one guarded upsert takes it, a timer renews it
 * during the Slack call, it is released after), so one instance at a time goes through a
 * channel's rows, oldest first, and a row waiting for its retry holds back the ones behind it.
 * The channel's pace (next_post_at) and a 429's Retry-After (paused_until) live in the same
 * row, so every instance keeps them. Each row is also claimed with a guarded update, so it is
 * never sent by two senders at once even outside the leases.
 *
 * Delivery is exactly once except for one edge, which is at least once: an instance that dies
 * (or loses the database for longer than the lease) after Slack took a message but before the
 * record of it committed leaves the row `sending`; when the lease lapses another instance sends
 * it again — one duplicate at most, never a loss.
 */
export class OutboxSender {
  private readonly client: WebClient;
  private readonly perChannelMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly publishHome: ((userId: string) => Promise<void>) | undefined;
  readonly holder: string;
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
    this.holder = opts.holder ?? randomUUID();
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
      const heads = await this.store.read((tx) => channelHeads(tx, CHANNELS_PER_PASS));
      const now = Date.now();
      for (const h of heads) next = Math.min(next ?? Infinity, this.gate(h, now));
    } catch (err) {
      this.logger.error('outbox: could not read when the next row is due', err);
    }
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = next === undefined ? this.pollMs : Math.max(20, Math.min(this.pollMs, next - Date.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** When the channel of `h` (its oldest undelivered row) may move next, as the database has it. */
  private gate(h: ChannelHead, now: number): number {
    let at = Math.max(h.nextAttemptAt, h.pausedUntil ?? 0);
    if (h.op === 'post' || h.op === 'upload') at = Math.max(at, h.nextPostAt ?? 0);
    // Another instance is at it; look again when its lease would lapse (or at the next poll).
    if (h.holder !== null && h.holder !== this.holder && (h.leaseUntil ?? 0) >= now) at = Math.max(at, h.leaseUntil! + 1);
    return at;
  }

  private async pass(): Promise<void> {
    for (const head of await this.store.read((tx) => channelHeads(tx, CHANNELS_PER_PASS))) {
      if (this.stopped) return;
      if (this.gate(head, Date.now()) <= Date.now()) await this.deliverChannel(head.channel);
    }
  }

  /**
   * Take the channel's lease and go through its rows in order while they may go: a row not yet
   * due (waiting for its retry), a thread reply whose root is not in Slack yet, the pace, a 429
   * pause or a lost lease stop it there. Released after, for whichever instance comes next.
   */
  private async deliverChannel(channel: string): Promise<void> {
    const t0 = Date.now();
    if (!(await this.write((tx) => takeChannel(tx, channel, this.holder, t0, t0 + this.leaseMs)))) return;
    let inFlight: number | undefined;
    let lost = false;
    let beating: Promise<void> = Promise.resolve();
    const beat = setInterval(() => {
      const until = Date.now() + this.leaseMs;
      const row = inFlight;
      beating = this.write((tx) => renewLease(tx, channel, this.holder, until, row)).then(
        (ok) => {
          if (!ok) lost = true;
        },
        (err: unknown) => this.logger.warn(`outbox: could not renew the lease on ${channel}`, err),
      );
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    beat.unref();
    try {
      for (const row of await this.store.read((tx) => channelRows(tx, channel, ROWS_PER_LEASE))) {
        if (this.stopped || lost) return;
        // Order within a channel matters (a reply after its root, updates in sequence).
        const t = Date.now();
        if (row.nextAttemptAt > t) return;
        const target = await this.targetOf(row);
        if (target === 'wait') return;
        const paced = row.op === 'post' || row.op === 'upload';
        const turn = (at: number) =>
          this.write(
            async (tx) =>
              (await takeTurn(tx, channel, this.holder, at, at + this.leaseMs, paced ? at + this.perChannelMs : undefined)) &&
              (await claim(tx, row.id, at, at + this.leaseMs, this.holder)),
          );
        let mine = await turn(t);
        // The channel's pace (kept in the database) is not up yet: it is due within one pace, so
        // wait for it here, holding the lease, rather than until the next poll.
        for (let tries = 0; !mine && paced && tries < 2 && !this.stopped && !lost; tries++) {
          await new Promise((r) => setTimeout(r, Math.ceil(this.perChannelMs / 2) + 5));
          mine = await turn(Date.now());
        }
        if (!mine) return;
        if (target === 'lost-root') {
          await this.write((tx) => markFailed(tx, row.id, this.holder, 'the message it refers to could not be delivered', row.attempts));
          continue;
        }
        inFlight = row.id;
        const ok = await this.deliver(row, target);
        inFlight = undefined;
        if (!ok) return;
      }
    } finally {
      clearInterval(beat);
      await beating;
      await this.write((tx) => releaseChannel(tx, channel, this.holder)).catch((err: unknown) => this.logger.warn(`outbox: could not release the lease on ${channel}`, err));
    }
  }

  /** A write that waits for another process's lock with the event loop running (SQLite). */
  private write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(fn, { background: true });
  }

  /** Where a row goes: its thread or message must exist first. */
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
    /**
     * The channel's next post not before perChannelMs after this call's answer: Slack got the
     * call at the latest then, so the next instance's post cannot land closer to it, however
     * long the call was queued or on its way. Written with the row's outcome, before the lease
     * is released.
     */
    const paced = row.op === 'post' || row.op === 'upload';
    const pace = (tx: Tx, answeredAt: number) => (paced ? paceFrom(tx, row.channel, answeredAt + this.perChannelMs) : Promise.resolve());
    try {
      sent = await this.send(row, target);
    } catch (err) {
      outboxAttemptFailed(row.op, err);
      const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
      const now = Date.now();
      if (e.code === ErrorCode.RateLimitedError) {
        const waitMs = Math.max(1, e.retryAfter ?? 1) * 1000;
        // Kept with the channel, so every instance leaves it alone for as long as Slack asked.
        await this.write(async (tx) => {
          await pauseChannel(tx, row.channel, now + waitMs);
          await pace(tx, now);
          await markRetry(tx, row.id, this.holder, now + waitMs, `rate limited; Retry-After ${e.retryAfter ?? '?'} s`, attempts);
        });
        this.logger.warn(`Slack rate-limited a message to ${row.channel}; retrying in ${waitMs} ms`);
        return false;
      }
      const transient = e.code === ErrorCode.RequestError || e.code === CHART_ERROR || (e.code === ErrorCode.HTTPError && (e.statusCode ?? 0) >= 500);
      const error = e.code === ErrorCode.PlatformError ? `slack error: ${e.data?.error ?? 'unknown'}` : `${e.code ?? 'error'}: ${e.statusCode ?? ''} ${(e.message ?? '').slice(0, 200)}`;
      if (transient && attempts < this.maxAttempts) {
        await this.write(async (tx) => {
          await pace(tx, now);
          await markRetry(tx, row.id, this.holder, now + backoffMs(attempts), error, attempts);
        });
        this.logger.warn(`could not deliver outbox #${row.id} (${error}); attempt ${attempts}, retrying`);
      } else {
        await this.write(async (tx) => {
          await pace(tx, now);
          await markFailed(tx, row.id, this.holder, error, attempts);
        });
        this.logger.error(`gave up delivering outbox #${row.id} to ${row.channel}: ${error}`);
      }
      return false;
    }
    // Slack has it: record that, however long another process holds the lock (a message
    // marked failed, or left to be sent again, would be worse than a late record).
    const answeredAt = Date.now();
    try {
      await this.store.write(
        async (tx) => {
          await pace(tx, answeredAt);
          await markSent(tx, row, sent, answeredAt);
        },
        { background: true, maxWaitMs: RECORD_SENT_WAIT_MS },
      );
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
    const r = await this.client.chat.postMessage({ ...payload, channel: target.channel, ...(target.threadTs ? { thread_ts: target.threadTs } : {}) } as never);
    return { channel: String(r.channel), ts: String(r.ts) };
  }
}

