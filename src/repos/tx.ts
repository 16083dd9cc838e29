import type { Tx } from './audit.ts';
import { BUSY_TIMEOUT_MS, type Db } from './db.ts';

/**
 * One write transaction. IMMEDIATE takes the write lock at BEGIN, so a second process
 * cannot read the same state and then race us to the write. The callback must be
 * synchronous (better-sqlite3): an `await` inside would escape the transaction.
 */
export function inTx<T>(db: Db, fn: (tx: Tx) => T): T {
  return db.transaction((tx) => fn(tx), { behavior: 'immediate' });
}

/**
 * One read: a deferred transaction takes no write lock, so a card or a list never queues
 * behind a write, yet every query in it sees the same snapshot (WAL).
 */
export function readTx<T>(db: Db, fn: (tx: Tx) => T): T {
  return db.transaction((tx) => fn(tx), { behavior: 'deferred' });
}

/**
 * A guarded write (`UPDATE … WHERE <the state we read>`) changed nothing: another writer got
 * there first. Thrown inside a transaction so that everything it wrote before rolls back.
 */
export class StaleWrite extends Error {
  constructor(what: string) {
    super(`stale write: ${what}`);
    this.name = 'StaleWrite';
  }
}

/** A guarded write that must have changed its row, else the whole transaction is stale. */
export function mustChange(changed: boolean, what: string): void {
  if (!changed) throw new StaleWrite(what);
}

/** One write transaction whose guarded writes may find the state changed: then nothing is kept and `onStale` answers. */
export function inTxOrStale<T>(db: Db, fn: (tx: Tx) => T, onStale: () => T): T {
  try {
    return inTx(db, fn);
  } catch (err) {
    if (err instanceof StaleWrite) return onStale();
    throw err;
  }
}

/** SQLITE_BUSY or one of its extended codes: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  return String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY');
}

/**
 * A write that must not stall the event loop while another process (the analytics process, a
 * digest run) holds the write lock. SQLite's own wait (busy_timeout) sleeps the whole thread;
 * here the write is tried without waiting, and on SQLITE_BUSY tried again a few milliseconds
 * later while the event loop runs. Gives up with the last SQLITE_BUSY after `maxWaitMs`.
 * For work in the background (the outbox sender); a user's request still waits as usual.
 */
export async function whenFree<T>(db: Db, write: () => T, maxWaitMs = 30_000): Promise<T> {
  const until = Date.now() + maxWaitMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 25)) {
    db.$client.prepare('PRAGMA busy_timeout = 0').get();
    try {
      return write();
    } catch (err) {
      if (!isBusy(err) || Date.now() + delay > until) throw err;
    } finally {
      db.$client.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).get();
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}
