import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import Database from 'better-sqlite3';
import type { Db } from '../repos/db.ts';
import { recordTaken, wasTaken } from '../repos/requests.ts';
import type { Deps } from './deps.ts';

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
const FLUSH_MS = 100;

/**
 * Which requests were taken. A key is taken in memory at once (synchronously, so two identical
 * requests at once cannot both pass) and written to `processed_requests` in batches a moment
 * later, so a replay after a restart is still refused. The writes use their own connection
 * that never waits for the write lock: when another process holds it (the analytics process
 * writing segments), the batch waits for the next tick instead of stalling the event loop.
 */
export class RequestLedger {
  private readonly seen = new Map<string, number>();
  private pending: { key: string; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writer: Database.Database;
  private readonly ownWriter: boolean;

  constructor(
    private readonly db: Db,
    path: string,
    private readonly onError: (err: unknown) => void,
  ) {
    this.ownWriter = path !== ':memory:';
    this.writer = this.ownWriter ? new Database(path, { fileMustExist: true }) : db.$client;
    if (this.ownWriter) {
      // A key is not money: the WAL reaches the disk with the next FULL commit of a change,
      // and only an OS crash in between could forget a key (never a change).
      this.writer.pragma('synchronous = NORMAL');
      this.writer.pragma('busy_timeout = 0');
    }
  }

  /** True the first time a key is seen; false for a retry or replay of it. */
  take(key: string, at: number): boolean {
    if (this.seen.has(key)) return false;
    this.forgetBefore(at - MEMORY_MS);
    const before = wasTaken(this.db, key);
    this.seen.set(key, at);
    if (before) return false;
    this.pending.push({ key, at });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, FLUSH_MS);
    return true;
  }

  /** Write the pending keys; false when the lock was busy and they wait for the next try. */
  flush(): boolean {
    if (this.pending.length === 0) return true;
    const batch = this.pending;
    try {
      recordTaken(this.writer, batch);
      this.pending = this.pending.slice(batch.length);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') this.onError(err);
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_MS);
      return false;
    }
  }

  /** Write what is pending (trying for up to `ms`), then close the writer. */
  async close(ms = 5000): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const until = Date.now() + ms;
    while (!this.flush() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ownWriter && this.writer.open) this.writer.close();
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
    if (!key || ledger.take(key, Date.now())) return args.next();
    deps.logger.info(`duplicate delivery ignored (${key.split(':')[0]})`);
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (!ack) return;
    if (body.command) await ack({ response_type: 'ephemeral', text: ALREADY });
    else await ack();
  };
}
