/**
 * The one way to the database: `store.read(async tx => …)` and `store.write(async tx => …)`.
 * Two adapters behind it: SQLite (one file, one connection) and PostgreSQL (a pool). Repos take
 * the `tx` and build their queries from the one model in db/schema; on PostgreSQL drizzle's
 * node-postgres driver runs the same query objects (db/schema-pg is that dialect's DDL, held
 * equal to the model by test/schema-parity.test.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { isBusy } from './busy.ts';
import { BUSY_TIMEOUT_MS, closeDb, type Db } from './db.ts';

export type Dialect = 'sqlite' | 'postgres';

/** What a repo gets: a transaction (or, on SQLite, the connection inside one). */
export type Tx = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete'>;

export interface ReadOptions {
  /**
   * Each statement is its own transaction: for work of one statement (which always sees one
   * state of the database and is atomic), or of statements that need no common snapshot. On
   * PostgreSQL it runs outside a transaction, without BEGIN and COMMIT round trips; on SQLite it
   * changes nothing.
   */
  autocommit?: boolean;
}

export interface WriteOptions extends ReadOptions {
  background?: boolean;
  /** With `background`: how long to keep trying for SQLite's write lock (default 30 s). */
  maxWaitMs?: number;
}

export interface Store {
  readonly dialect: Dialect;
  /** One consistent read: every query in it sees the same snapshot; it never waits for a write. */
  read<T>(fn: (tx: Tx) => Promise<T>, opts?: ReadOptions): Promise<T>;
  /**
   * One write transaction. `fn` must only talk to the database (it may run again on PostgreSQL
   * after a serialization failure), so Slack calls and other effects come after it returns.
   * `background`: a write that must not stall the event loop behind another process's lock
   * (the outbox sender, the request ledger): on SQLite it is retried while the loop runs.
   */
  write<T>(fn: (tx: Tx) => Promise<T>, opts?: WriteOptions): Promise<T>;
  close(): Promise<void>;
  /** SQLite only: the connection, for what only SQLite has (the backup API, pragmas, the seeder). */
  readonly sqlite: Db | undefined;
}

interface Joined {
  store: Store;
  tx: Tx;
  mode: 'read' | 'write';
  /** Set when the transaction ends: work started inside it that outlives it (a timer, a queued microtask) must not join it. */
  ended: boolean;
}

/** The transaction the current call chain is in, so a nested read or write joins it. */
const current = new AsyncLocalStorage<Joined>();

function joined<T>(store: Store, mode: 'read' | 'write', fn: (tx: Tx) => Promise<T>): Promise<T> | undefined {
  const j = current.getStore();
  if (!j || j.store !== store || j.ended) return undefined;
  if (mode === 'write' && j.mode === 'read') throw new Error('a write inside a read transaction: open the write outside');
  return fn(j.tx);
}

/**
 * Run `fn` outside any transaction of the call chain: for work that is started from inside one
 * but is not part of it (kicking the outbox sender after a change is rendered), which would
 * otherwise join the transaction still open around it.
 */
export function outsideTransaction<T>(fn: () => T): T {
  return current.exit(fn);
}

/** The store whose transaction `tx` is, while it runs. */
function storeOf(tx: Tx): Store | undefined {
  const j = current.getStore();
  return j && j.tx === tx && !j.ended ? j.store : undefined;
}

const keptByStore = new WeakMap<Store, Map<string, { mark: unknown; at: number; value: Promise<unknown> }>>();

/**
 * A value derived from the database that is costly to compute and harmless a moment stale (the
 * fit model's training groups: a GROUP BY over every client with sales): kept per store, and
 * computed again when `mark` (something cheap the caller read in the same transaction, that
 * moves when the value's inputs change) differs from the kept one's, or after `freshMs`. A kept
 * value may come from an earlier transaction than the caller's. Outside a transaction of a
 * store, computed each time.
 */
export function kept<T>(tx: Tx, key: string, mark: unknown, freshMs: number, compute: () => Promise<T>): Promise<T> {
  const store = storeOf(tx);
  if (!store) return compute();
  let values = keptByStore.get(store);
  if (!values) keptByStore.set(store, (values = new Map()));
  const hit = values.get(key);
  const now = performance.now();
  if (hit && hit.mark === mark && now - hit.at < freshMs) return hit.value as Promise<T>;
  const value = compute();
  const entry = { mark, at: now, value };
  values.set(key, entry);
  // A failed computation is not kept.
  value.catch(() => values.get(key) === entry && values.delete(key));
  return value;
}

/** Is `tx` a PostgreSQL transaction? (drizzle's SQLite handles have `all`, PostgreSQL's `execute`). */
export function isPg(tx: Tx): boolean {
  return typeof (tx as { all?: unknown }).all !== 'function';
}

/** Rows of a raw SQL query, on either dialect. */
export async function rowsOf<T>(tx: Tx, query: SQL): Promise<T[]> {
  if (isPg(tx)) return ((await (tx as unknown as { execute(q: SQL): Promise<{ rows: T[] }> }).execute(query)).rows);
  return (tx as unknown as Db).all<T>(query);
}

/** A raw statement's changed-row count, on either dialect. */
export async function runSql(tx: Tx, query: SQL): Promise<number> {
  if (isPg(tx)) return (await (tx as unknown as { execute(q: SQL): Promise<{ rowCount: number | null }> }).execute(query)).rowCount ?? 0;
  return (tx as unknown as Db).run(query).changes;
}

/** The first row of a query, or undefined. */
export async function first<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/** How many rows an UPDATE / DELETE / INSERT without RETURNING changed (SQLite's `changes`, PostgreSQL's `rowCount`). */
export function changed(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return r.changes ?? r.rowCount ?? 0;
}

/** A promise chain: one holder at a time, in arrival order. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const prev = this.tail;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/**
 * SQLite: one connection, so one transaction at a time on it. Reads and writes take turns under
 * a mutex (a query outside the transaction in progress would see its uncommitted rows); a write
 * is BEGIN IMMEDIATE, which takes the file's write lock at once, so another process cannot read
 * the same state and then race us to the write. Never a better-sqlite3 transaction callback:
 * an `await` inside would escape it.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  constructor(readonly db: Db) {}

  get sqlite(): Db {
    return this.db;
  }

  read<T>(fn: (tx: Tx) => Promise<T>, _opts?: ReadOptions): Promise<T> {
    return joined(this, 'read', fn) ?? this.mutex.hold(() => this.run('BEGIN', 'read', fn));
  }

  write<T>(fn: (tx: Tx) => Promise<T>, opts: WriteOptions = {}): Promise<T> {
    const inner = joined(this, 'write', fn);
    if (inner) return inner;
    if (!opts.background) return this.mutex.hold(() => this.run('BEGIN IMMEDIATE', 'write', fn));
    return this.whenFree(fn, opts.maxWaitMs);
  }

  async close(): Promise<void> {
    await this.mutex.hold(async () => closeDb(this.db));
  }

  private async run<T>(begin: string, mode: 'read' | 'write', fn: (tx: Tx) => Promise<T>): Promise<T> {
    const conn = this.db.$client;
    conn.exec(begin);
    const j: Joined = { store: this, tx: this.db, mode, ended: false };
    try {
      const out = await current.run(j, () => fn(this.db));
      j.ended = true;
      conn.exec('COMMIT');
      return out;
    } catch (err) {
      j.ended = true;
      if (conn.inTransaction) conn.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * SQLite's own wait (busy_timeout) sleeps the whole thread. Here BEGIN IMMEDIATE is tried
   * without waiting and, on SQLITE_BUSY, tried again a few milliseconds later with the mutex
   * released and the event loop running. Gives up with the last SQLITE_BUSY after `maxWaitMs`.
   */
  private async whenFree<T>(fn: (tx: Tx) => Promise<T>, maxWaitMs = 30_000): Promise<T> {
    const until = Date.now() + maxWaitMs;
    const conn = this.db.$client;
    for (let delay = 2; ; delay = Math.min(delay * 2, 25)) {
      const attempt = await this.mutex.hold(async () => {
        conn.pragma('busy_timeout = 0');
        try {
          conn.exec('BEGIN IMMEDIATE');
        } catch (err) {
          if (!isBusy(err) || Date.now() + delay > until) throw err;
          return undefined;
        } finally {
          conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        }
        const j: Joined = { store: this, tx: this.db, mode: 'write', ended: false };
        try {
          const out = await current.run(j, () => fn(this.db));
          j.ended = true;
          conn.exec('COMMIT');
          return { out };
        } catch (err) {
          j.ended = true;
          if (conn.inTransaction) conn.exec('ROLLBACK');
          throw err;
        }
      });
      if (attempt) return attempt.out;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** The PostgreSQL side of a store, built in pg-store.ts so that SQLite-only runs never load `pg`. */
export interface PgDriver {
  /** Queries on the pool, each its own transaction. */
  autocommit: Tx;
  transaction<T>(fn: (tx: Tx) => Promise<T>, config: { isolationLevel: 'serializable' | 'repeatable read'; accessMode?: 'read only' | 'read write' }): Promise<T>;
  end(): Promise<void>;
}

/** The SQLSTATE of a driver error, wherever drizzle wrapped it (DrizzleQueryError keeps it as `cause`). */
export function sqlState(err: unknown): string {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return '';
}

/** Serialization failure and deadlock: the transaction is rolled back and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
/**
 * Enough for a hot row (the invoice counter) drawn by a dozen writers at once: each round one
 * commits, the rest wait a random, growing moment (full jitter, capped) and run again.
 */
const MAX_ATTEMPTS = 30;
const backoffMs = (attempt: number) => Math.random() * Math.min(100, 2 * 2 ** attempt);

/**
 * PostgreSQL: the driver's transactions on a pool. Writes are SERIALIZABLE, so a transaction
 * that read what another changed is rolled back and run again — the same "one writer at a
 * time" outcome SQLite's BEGIN IMMEDIATE gives, without a global lock. Reads are REPEATABLE READ
 * READ ONLY: one snapshot, never blocked.
 */
export class PgStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly sqlite = undefined;
  constructor(readonly driver: PgDriver) {}

  read<T>(fn: (tx: Tx) => Promise<T>, opts: ReadOptions = {}): Promise<T> {
    const inner = joined(this, 'read', fn);
    if (inner) return inner;
    if (opts.autocommit) return this.within(this.driver.autocommit, 'read', fn);
    return this.driver.transaction((tx) => this.within(tx, 'read', fn), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  }

  private async within<T>(tx: Tx, mode: 'read' | 'write', fn: (tx: Tx) => Promise<T>): Promise<T> {
    const j: Joined = { store: this, tx, mode, ended: false };
    try {
      return await current.run(j, () => fn(tx));
    } finally {
      j.ended = true;
    }
  }

  async write<T>(fn: (tx: Tx) => Promise<T>, opts: WriteOptions = {}): Promise<T> {
    const inner = joined(this, 'write', fn);
    if (inner) return inner;
    if (opts.autocommit) return this.within(this.driver.autocommit, 'write', fn);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.driver.transaction((tx) => this.within(tx, 'write', fn), { isolationLevel: 'serializable' });
      } catch (err) {
        if (!RETRYABLE.has(sqlState(err)) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }

  close(): Promise<void> {
    return this.driver.end();
  }
}

/** A list of ids as one bound value (a JSON array), however many there are: `WHERE id IN ${idSet(tx, ids)}`. */
export function idSet(tx: Tx, ids: readonly number[]): SQL {
  const json = JSON.stringify(ids);
  return isPg(tx) ? sql`(SELECT value::int FROM json_array_elements_text(${json}::json))` : sql`(SELECT value FROM json_each(${json}))`;
}

/** On SQLite, the connection under `tx` (for its own fast statements inside the store's transaction); undefined on PostgreSQL. */
export function sqliteOf(tx: Tx): import('better-sqlite3').Database | undefined {
  return isPg(tx) ? undefined : (tx as unknown as Db).$client;
}
