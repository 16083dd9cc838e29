/**
 * The request ledger's key on PostgreSQL (repos/requests.ts takeKey): one statement, taken once,
 * committed without waiting for the WAL flush, and that setting is the statement's own: the
 * connection's synchronous_commit stays on for every write after it (money must stay durable).
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../src/repos/open.ts';
import { takeKey } from '../src/repos/requests.ts';
import type { Tx } from '../src/repos/store.ts';
import { RequestLedger } from '../src/slack/idempotency.ts';
import { freshPgDatabase } from './helpers/pg.ts';

let client: pg.Client;
let url: string;
beforeAll(async () => {
  url = await freshPgDatabase();
  client = new pg.Client({ connectionString: url });
  await client.connect();
  // The test cluster runs without fsync and synchronous_commit; production's default is on.
  await client.query('SET synchronous_commit = on');
});
afterAll(async () => {
  await client?.end();
});

describe('a request key on PostgreSQL', () => {
  it('is taken once, and leaves the connection durable', async () => {
    const tx = drizzle(client) as unknown as Tx;
    const statements: string[] = [];
    const query = client.query.bind(client);
    (client as unknown as { query: unknown }).query = (q: unknown, ...rest: unknown[]) => {
      statements.push(typeof q === 'string' ? q : (q as { text: string }).text);
      return (query as (...a: unknown[]) => unknown)(q, ...rest);
    };
    expect(await takeKey(tx, 'command:T1', 1000)).toBe(true);
    expect(await takeKey(tx, 'command:T1', 2000)).toBe(false);
    // One statement each (a 0.1 % chance of a purge of day-old keys aside), no transaction around it.
    expect(statements.filter((s) => !/^DELETE/.test(s))).toHaveLength(2);
    expect(statements.some((s) => /^\s*(BEGIN|COMMIT)/i.test(s))).toBe(false);
    expect((await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    expect((await client.query("SELECT at FROM processed_requests WHERE key = 'command:T1'")).rows).toEqual([{ at: '1000' }]);
  });

  it('costs the ledger one round trip a request: no BEGIN and COMMIT around the key', async () => {
    const store = await openPgStore(url, { migrate: false });
    const ledger = new RequestLedger(store, '', { warn: () => undefined, error: () => undefined });
    const texts: string[] = [];
    const query = pg.Client.prototype.query;
    (pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, q: unknown, ...rest: unknown[]) {
      texts.push(typeof q === 'string' ? q : (q as { text: string }).text);
      return (query as (...a: unknown[]) => unknown).call(this, q, ...rest);
    };
    try {
      expect(await ledger.take('command:T2', 3000)).toBe(true);
      expect(await ledger.take('command:T3', 3000)).toBe(true);
    } finally {
      pg.Client.prototype.query = query;
      await ledger.close(0);
      await store.close();
    }
    expect(texts.filter((t) => !/^DELETE/.test(t))).toHaveLength(2);
  });
});
