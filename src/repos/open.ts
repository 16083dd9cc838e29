import { openDb } from './db.ts';
import { SqliteStore, type Store } from './store.ts';

export interface StoreTarget {
  /** The SQLite file (DATABASE_PATH). */
  databasePath: string;
}

/** Open (and, unless told not to, migrate) the database the configuration names. */
export async function openStore(t: StoreTarget, opts: { migrate?: boolean } = {}): Promise<Store> {
  return new SqliteStore(openDb(t.databasePath, opts));
}
