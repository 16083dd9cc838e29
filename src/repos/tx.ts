import type { Tx } from './audit.ts';
import type { Db } from './db.ts';

/**
 * One write transaction. IMMEDIATE takes the write lock at BEGIN, so a second process
 * cannot read the same state and then race us to the write. The callback must be
 * synchronous (better-sqlite3): an `await` inside would escape the transaction.
 */
export function inTx<T>(db: Db, fn: (tx: Tx) => T): T {
  return db.transaction((tx) => fn(tx), { behavior: 'immediate' });
}
