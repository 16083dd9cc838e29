/**
 * The client card's one statement (src/repos/card.ts) reads what the card's dozen queries read
 * (the repos each part has of its own), on SQLite and on PostgreSQL, for every client of a
 * seeded database: deals, contracts, the latest three with their version and approvals, open
 * tasks, the history count, open invoices, the segment snapshot and the last review.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientReviews, contracts, fulfilmentTasks, invoices, segmentSnapshots } from '../db/schema/index.ts';
import { SERVICES } from '../src/domain/delivery.ts';
import { countClientAudit } from '../src/repos/audit.ts';
import { cardRows } from '../src/repos/card.ts';
import { dealsOfClient } from '../src/repos/clients.ts';
import { contractsOfClient, loadSnapshot } from '../src/repos/contracts.ts';
import { copySqliteToPg } from '../src/repos/copy.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { tasksOf } from '../src/repos/delivery.ts';
import { openInvoices } from '../src/repos/invoices.ts';
import { openPgStore } from '../src/repos/open.ts';
import { closePgDb, openPgDb } from '../src/repos/pg.ts';
import { insertReview } from '../src/repos/retention.ts';
import { SqliteStore, type Store, type Tx } from '../src/repos/store.ts';
import { seed } from '../src/seed/generate.ts';
import { freshPgDatabase } from './helpers/pg.ts';

const LIMITS = { contracts: 3, invoices: 8 };
const CLIENTS = 120;

/** The card's parts as the repos of each part read them, one query after another. */
async function partByPart(tx: Tx, clientId: number) {
  const contracts = await contractsOfClient(tx, clientId);
  const snapshots = [];
  for (const c of contracts.slice(0, LIMITS.contracts)) snapshots.push((await loadSnapshot(tx, c.id))!);
  const openTasks = [];
  for (const c of contracts) openTasks.push(...(await tasksOf(tx, c.id)).filter((t) => t.doneAt === null));
  const [snapshot] = await tx.select().from(segmentSnapshots).where(eq(segmentSnapshots.clientId, clientId));
  const [lastReview] = await tx.select().from(clientReviews).where(eq(clientReviews.clientId, clientId)).orderBy(desc(clientReviews.reviewedOn), desc(clientReviews.id)).limit(1);
  return {
    deals: await dealsOfClient(tx, clientId),
    contracts,
    snapshots,
    openTasks,
    historyCount: await countClientAudit(tx, clientId),
    openInvoices: await openInvoices(tx, clientId, LIMITS.invoices),
    snapshot: snapshot ? (({ computedAt: _c, ...s }) => s)(snapshot) : undefined,
    lastReview,
  };
}

let dir: string;
let path: string;
const stores: { name: string; store: Store; close: () => Promise<void> }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-card-'));
  path = join(dir, 'card.db');
  const db = openDb(path);
  seed(db, { clients: CLIENTS, invoices: 3000, seed: 5, asOf: '2026-11-20' });
  // What the seed does not write: segment snapshots (a recompute's) and reviews, two on one day for one client.
  const at = Date.parse('2026-11-20T10:00:00Z');
  for (const clientId of [1, 2, 3, 7])
    await db.insert(segmentSnapshots).values({ clientId, criterion: 'revenue', segment: clientId === 7 ? 'B' : 'A', periodFrom: '2025-11-21', periodTo: '2026-11-20', revenueMinor: 123456 * clientId, marginMinor: 2345, baseCurrency: 'EUR', assortment: 3, daysLate: 1.5, share: 0.125, cumulativeShare: 0.5, rank: clientId, computedAt: at });
  for (const [clientId, day, note] of [[1, '2026-10-01', 'first'], [1, '2026-11-02', 'same day, earlier'], [1, '2026-11-02', 'same day, later'], [2, '2026-09-09', '"quoted", {braces}']] as const)
    await insertReview(db, { clientId, reviewedOn: day, note, actor: 'U0SELLER', at });
  // Open tasks on each of a client's first two contracts (the card lists the newest contract's first), one done.
  const twoContracts = db.$client.prepare('SELECT client_id AS clientId FROM contracts GROUP BY client_id HAVING count(*) >= 2 ORDER BY client_id LIMIT 1').get() as { clientId: number };
  const [newer, older] = await db.select().from(contracts).where(eq(contracts.clientId, twoContracts.clientId)).orderBy(desc(contracts.id)).limit(2);
  for (const [k, c, due, doneAt] of [['a', older!, '2026-11-25', null], ['b', newer!, '2026-12-05', null], ['c', newer!, '2026-11-30', null], ['d', older!, '2026-11-01', at]] as const)
    await db.insert(fulfilmentTasks).values({ contractId: c.id, key: `test-${k}`, title: `Task ${k}`, service: SERVICES[0], assignee: 'U0SELLER', dueDate: due, doneAt, doneBy: doneAt ? 'U0SELLER' : null });
  // A client with every invoice paid, and one with more open invoices than the card shows.
  await db.update(invoices).set({ paidDate: '2026-11-01', paidMinor: sql`${invoices.amountMinor}` }).where(and(eq(invoices.clientId, 4), isNull(invoices.paidDate)));
  closeDb(db);
  const lite = openDb(path, { migrate: false });
  stores.push({ name: 'sqlite', store: new SqliteStore(lite), close: async () => closeDb(lite) });
  const url = await freshPgDatabase();
  const pgDb = await openPgDb(url, { migrate: false });
  await copySqliteToPg(path, pgDb);
  await closePgDb(pgDb);
  const pgStore = await openPgStore(url, { migrate: false });
  stores.push({ name: 'postgres', store: pgStore, close: () => pgStore.close() });
}, 120_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the client card in one statement', () => {
  it.each(['sqlite', 'postgres'])('reads on %s what the card’s queries read, for every client', async (name) => {
    const { store } = stores.find((s) => s.name === name)!;
    const seen = { contracts: 0, approvals: 0, openTasks: 0, manyInvoices: 0, snapshots: 0 };
    for (let id = 1; id <= CLIENTS; id++) {
      const [one, parts] = await store.read(async (tx) => [await cardRows(tx, { id }, LIMITS), await partByPart(tx, id)] as const);
      expect(one, `client #${id}`).toBeDefined();
      const { client, segmentMark: _m, ...rest } = one!;
      expect(client.id).toBe(id);
      expect(rest, `client #${id}`).toEqual(parts);
      if (parts.contracts.length > 1) seen.contracts++;
      if (parts.snapshots.some((s) => s.approvals.length > 1)) seen.approvals++;
      if (new Set(parts.openTasks.map((t) => t.contractId)).size > 1) seen.openTasks++;
      if (parts.openInvoices.length === LIMITS.invoices) seen.manyInvoices++;
      if (parts.snapshot) seen.snapshots++;
    }
    // The seed gives every part something to compare (and its order).
    for (const [part, n] of Object.entries(seen)) expect(n, part).toBeGreaterThan(0);
  });

  it.each(['sqlite', 'postgres'])('finds the client on %s by name key and by ЕИК as by id, and says undefined for none', async (name) => {
    const { store } = stores.find((s) => s.name === name)!;
    await store.read(async (tx) => {
      const byId = (await cardRows(tx, { id: 2 }, LIMITS))!;
      expect(await cardRows(tx, { nameKey: byId.client.nameKey }, LIMITS)).toEqual(byId);
      expect(byId.lastReview?.note).toBe('"quoted", {braces}');
      expect((await cardRows(tx, { id: 1 }, LIMITS))!.lastReview?.note).toBe('same day, later');
      expect(await cardRows(tx, { nameKey: 'no such client' }, LIMITS)).toBeUndefined();
      expect(await cardRows(tx, { eik: '000000000' }, LIMITS)).toBeUndefined();
    });
  });
});
