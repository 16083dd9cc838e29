import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClient } from '../../src/services/clients.ts';
import { runReviewsDigest } from '../../src/services/reviews.ts';
import { runSql } from '../../src/repos/store.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { CHANNELS, USERS } from '../helpers/harness.ts';

let w: ServiceWorld;
beforeEach(async () => {
  w = serviceWorld({ at: '2026-11-24T08:00:00Z' });
});
afterEach(() => w.close());

/** An A client invoiced on these days (100 EUR each). */
async function aClient(name: string, days: string[]): Promise<number> {
  const id = value(await addClient(w.ctx(USERS.seller), { name })).client.id;
  await w.store.write(async (tx) => {
    await runSql(tx, sql`UPDATE clients SET segment = 'A' WHERE id = ${id}`);
    for (const [i, d] of days.entries())
      await runSql(tx, sql`INSERT INTO invoices (number, client_id, amount_minor, currency, issue_date, due_date, paid_minor, created_by, created_at) VALUES (${`${name}-${i}`}, ${id}, 10000, 'EUR', ${d}, ${d}, 0, 'U0SELLER', 0)`);
  });
  return id;
}

describe('the reviews digest service', () => {
  it('two digests racing alert a quiet spell once (the guarded insert decides)', async () => {
    const quiet = await aClient('Quiet OOD', ['2026-05-01', '2026-06-01', '2026-07-01']);
    await aClient('Two Invoices OOD', ['2026-01-01', '2026-02-01']);
    const [a, b] = await Promise.all([runReviewsDigest(w.ctx('dealdesk')), runReviewsDigest(w.ctx('dealdesk'))]);
    expect([a.quiet.length, b.quiet.length].sort()).toEqual([0, 1]);
    expect([...a.quiet, ...b.quiet].map((q) => q.clientId)).toEqual([quiet]);
    const sales = (await w.outbox()).filter((r) => r.channel === CHANNELS.sales);
    expect(sales).toHaveLength(1);
    expect(JSON.stringify(sales[0]!.payload)).toContain('Quiet OOD');
    // Nothing is due yet: both clients were added today, and nobody else is messaged.
    expect(a.due + b.due).toBe(0);
  });
});
