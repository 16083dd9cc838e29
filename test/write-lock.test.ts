import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../src/repos/db.ts';
import { SqliteStore } from '../src/repos/store.ts';

let dir: string | undefined;
let db: Db | undefined;
afterEach(() => {
  if (db) closeDb(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

function setup(): { db: Db; other: Database.Database } {
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-lock-'));
  db = openDb(join(dir, 'x.db'));
  return { db, other: new Database(join(dir, 'x.db')) };
}
const insertKey = (d: Db, key: string) => async () => d.$client.prepare('INSERT INTO processed_requests (key, at) VALUES (?, 1)').run(key).changes;
/** The store's background write (the outbox sender's): BEGIN IMMEDIATE tried without SQLite's sleeping wait. */
const whenFree = <T>(d: Db, fn: () => Promise<T>, maxWaitMs?: number) => new SqliteStore(d).write(fn, { background: true, maxWaitMs });

describe('a background write while another process holds the write lock', () => {
  it('waits without blocking the event loop, then writes once the lock is free', async () => {
    const { db, other } = setup();
    other.prepare('BEGIN IMMEDIATE').run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    let done = false;
    const write = whenFree(db, insertKey(db, 'k1')).then((n) => ((done = true), n));
    await new Promise((r) => setTimeout(r, 200));
    // SQLite's own wait would have held the thread: no timer could have fired.
    expect(done).toBe(false);
    expect(ticks).toBeGreaterThan(10);
    other.prepare('COMMIT').run();
    expect(await write).toBe(1);
    clearInterval(ticker);
    // The connection waits for the lock as before for everything else.
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.close();
  });

  it('gives up with SQLITE_BUSY after its limit, and other errors pass straight through', async () => {
    const { db, other } = setup();
    other.prepare('BEGIN IMMEDIATE').run();
    await expect(whenFree(db, insertKey(db, 'k2'), 50)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    other.prepare('COMMIT').run();
    await whenFree(db, insertKey(db, 'k3'));
    await expect(whenFree(db, insertKey(db, 'k3'))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    other.close();
  });
});
