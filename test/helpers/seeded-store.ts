import { sql } from 'drizzle-orm';
import { copySqliteToPg } from '../../src/repos/copy.ts';
import { closeDb, openDb, type Db } from '../../src/repos/db.ts';
import { openPgStore } from '../../src/repos/open.ts';
import { closePgDb, openPgDb } from '../../src/repos/pg.ts';
import { rowsOf, SqliteStore, type Store } from '../../src/repos/store.ts';
import { seed } from '../../src/seed/generate.ts';
import { freshPgDatabase } from './pg.ts';

/**
 * A small seeded company on the backend the project runs (SQLite; PostgreSQL in the postgres
 * project, its data brought over with db:copy): the store and the client ids in order.
 * `beforeCopy` runs on the SQLite data first (what db:copy should carry over as it is).
 */
export async function seededStore(
  path: string,
  size: { clients: number; invoices: number; seed: number; asOf: string },
  beforeCopy?: (db: Db) => Promise<void>,
): Promise<{ store: Store; clientIds: number[] }> {
  const db = openDb(path);
  seed(db, size);
  let store: Store;
  if (process.env.DEALDESK_TEST_BACKEND === 'postgres') {
    await beforeCopy?.(db);
    closeDb(db);
    const url = await freshPgDatabase();
    const target = await openPgDb(url);
    await copySqliteToPg(path, target);
    await closePgDb(target);
    store = await openPgStore(url, { migrate: false });
  } else store = new SqliteStore(db);
  const clientIds = (await store.read((tx) => rowsOf<{ id: number }>(tx, sql`SELECT id FROM clients ORDER BY id`))).map((r) => Number(r.id));
  return { store, clientIds };
}
