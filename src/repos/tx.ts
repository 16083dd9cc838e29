import type { Store, Tx } from './store.ts';

export { isBusy } from './busy.ts';

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
export async function writeOrStale<T>(store: Store, fn: (tx: Tx) => Promise<T>, onStale: () => T | Promise<T>): Promise<T> {
  try {
    return await store.write(fn);
  } catch (err) {
    if (err instanceof StaleWrite) return onStale();
    throw err;
  }
}
