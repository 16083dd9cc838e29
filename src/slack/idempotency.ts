import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import Database from 'better-sqlite3';
import { cacheStatements, type Db } from '../repos/db.ts';
import { recordTaken, takeKey, wasTaken } from '../repos/requests.ts';
import type { Store } from '../repos/store.ts';
import { isBusy } from '../repos/tx.ts';
import type { Deps } from './deps.ts';
import { markDuplicate } from '../ops/requests.ts';

const ALREADY = 'This request was already received; nothing was done twice.';

/** The identity of one delivery from Slack: the same for a retry or a replay of it. */
export function requestKey(body: Record<string, any>): string | undefined {
  if (body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions' && body.trigger_id) return `action:${body.trigger_id}:${body.actions?.[0]?.action_ts ?? ''}`;
  if (body.type === 'view_submission' && body.trigger_id) return `view:${body.trigger_id}`;
  if (body.command && body.trigger_id) return `command:${body.trigger_id}`;
  return undefined;
}

/** Keys stay in memory this long; older replays are found in the database. */
const MEMORY_MS = 60 * 60 * 1000;
const RETRY_MS = 100;
/** Keys waiting for the lock, at most; past it the oldest are dropped (and said so). */
const MAX_PENDING = 50_000;

/**
 * Which requests were taken. A key is recorded in `processed_requests` before its request is
 * handled (INSERT … ON CONFLICT DO NOTHING: of two processes, or two identical requests at
 * once, exactly one takes it), on a connection of its own that never waits for the write lock
 * and does not fsync each key (a key is not money; WAL reaches the disk with the next FULL
 * commit, so only an OS crash in between could forget one). When another process holds the
 * lock (the analytics process writing segments) the key is taken in memory, checked against
 * the table, and written as soon as the lock is free, instead of stalling the event loop.
 * On PostgreSQL the key is one INSERT on the shared pool: every instance sees every key.
 */
export class RequestLedger {
  private readonly seen = new Map<string, number>();
  private pending: { key: string; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writer: Database.Database | undefined;
  private readonly ownWriter: boolean;
  private readonly db: Db | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    path: string,
    private readonly logger: { warn(...a: unknown[]): void; error(...a: unknown[]): void },
  ) {
    this.db = store.sqlite;
    this.ownWriter = this.db !== undefined && path !== ':memory:';
    // With the same statement cache as every connection: a key is written on each request.
    this.writer = this.db === undefined ? undefined : this.ownWriter ? cacheStatements(new Database(path, { fileMustExist: true })) : this.db.$client;
    if (this.ownWriter && this.writer) {
      this.writer.pragma('synchronous = NORMAL');
      this.writer.pragma('busy_timeout = 0');
    }
  }

  /** True the first time a key is seen; false for a retry or replay of it. */
  async take(key: string, at: number): Promise<boolean> {
    if (this.seen.has(key)) return false;
    this.forgetBefore(at - MEMORY_MS);
    this.seen.set(key, at);
    // One INSERT … ON CONFLICT DO NOTHING is atomic by itself: no BEGIN and COMMIT round trips around it.
    if (!this.db || !this.writer) return this.store.write((tx) => takeKey(tx, key, at), { autocommit: true });
    if (this.closed) return !wasTaken(this.db, key);
    try {
      return recordTaken(this.writer, [{ key, at }]) === 1;
    } catch (err) {
      if (!isBusy(err)) this.logger.error('could not record a request key; it is kept in memory', err);
      if (wasTaken(this.db, key)) return false;
      this.pending.push({ key, at });
      if (this.pending.length > MAX_PENDING) {
        const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
        this.logger.warn(`${dropped.length} request keys could not be written and were dropped (kept in memory for an hour)`);
      }
      this.retrySoon();
      return true;
    }
  }

  /** Write the keys that waited for the lock; false while it is still busy. */
  flush(): boolean {
    if (this.pending.length === 0 || !this.writer) return true;
    try {
      recordTaken(this.writer, this.pending);
      this.pending = [];
      return true;
    } catch (err) {
      if (!isBusy(err)) {
        this.logger.error(`could not write ${this.pending.length} request keys; they are kept in memory for an hour`, err);
        this.pending = [];
        return true;
      }
      this.retrySoon();
      return false;
    }
  }

  /** Write what is pending (trying for up to `ms`), then close the writer. */
  async close(ms = 5000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const until = Date.now() + ms;
    while (!this.flush() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) this.logger.warn(`${this.pending.length} request keys were not written before shutdown; a replay of those after the restart would be taken again`);
    this.pending = [];
    if (this.ownWriter && this.writer?.open) this.writer.close();
  }

  private retrySoon(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, RETRY_MS);
  }

  private forgetBefore(t: number): void {
    // Map order is insertion order, which is time order: drop from the front.
    for (const [k, at] of this.seen) {
      if (at >= t) break;
      this.seen.delete(k);
    }
  }
}

/**
 * Global middleware: every command, click, submission and event is taken once. A duplicate
 * is acknowledged (so Slack stops retrying) and goes no further.
 */
export function idempotency(deps: Deps, ledger: RequestLedger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Record<string, any>;
    const key = requestKey(body);
    if (!key || (await ledger.take(key, Date.now()))) return args.next();
    markDuplicate();
    deps.logger.info(`duplicate delivery ignored (${key.split(':')[0]})`);
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (!ack) return;
    if (body.command) await ack({ response_type: 'ephemeral', text: ALREADY });
    else await ack();
  };
}
