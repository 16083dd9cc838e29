import { openDb } from './db.ts';
import { PgStore, SqliteStore, type Store, type Tx } from './store.ts';

export interface StoreTarget {
  /** The SQLite file (DATABASE_PATH). */
  databasePath: string;
  /** PostgreSQL (DATABASE_URL): when given, the file is not used. */
  databaseUrl?: string;
}

/** Open (and, unless told not to, migrate) the database the configuration names. */
export async function openStore(t: StoreTarget, opts: { migrate?: boolean } = {}): Promise<Store> {
  if (!t.databaseUrl) return new SqliteStore(openDb(t.databasePath, opts));
  return openPgStore(t.databaseUrl, opts);
}

/** A store on PostgreSQL; `pg` is loaded only here, so SQLite-only runs never load it. */
export async function openPgStore(url: string, opts: { migrate?: boolean } = {}): Promise<Store> {
  const { openPgDb, closePgDb } = await import('./pg.ts');
  const db = await openPgDb(url, opts);
  return new PgStore({
    autocommit: db as unknown as Tx,
    transaction: (fn, config) => db.transaction((tx) => fn(tx as unknown as Tx), config),
    end: () => closePgDb(db),
  });
}
