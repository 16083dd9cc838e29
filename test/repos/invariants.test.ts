import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clients as clientsTable } from '../../db/schema/index.ts';
import { closeDb, openDb, type Db } from '../../src/repos/db.ts';
import { writeSegments } from '../../src/repos/analytics.ts';
import { insertInvoice } from '../../src/repos/invoices.ts';
import { mustChange, writeOrStale } from '../../src/repos/tx.ts';
import { SqliteStore, type Store } from '../../src/repos/store.ts';
import { seed } from '../../src/seed/generate.ts';

// The invariants hold in the schema, whoever writes: a second connection (another process,
// another instance) cannot break them by checking and inserting at the same time.
let dir: string;
let db: Db;
let path: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-inv-'));
  path = join(dir, 'dealdesk.db');
  db = openDb(path);
  store = new SqliteStore(db);
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

function raw(): Database.Database {
  return db.$client;
}
function addClient(name: string): number {
  return Number(raw().prepare(`INSERT INTO clients (name, name_key, owner_id, created_by, created_at) VALUES (?, ?, 'U1', 'U1', 0)`).run(name, name.toLowerCase()).lastInsertRowid);
}
function addDeal(clientId: number, stage: string): number {
  return Number(raw().prepare(`INSERT INTO deals (client_id, title, stage, owner_id, created_at, updated_at) VALUES (?, 't', ?, 'U1', 0, 0)`).run(clientId, stage).lastInsertRowid);
}
function addContract(dealId: number, clientId: number, status: string): number {
  return Number(raw().prepare(`INSERT INTO contracts (deal_id, client_id, version, status, submitted_by, created_at, updated_at) VALUES (?, ?, 1, ?, 'U1', 0, 0)`).run(dealId, clientId, status).lastInsertRowid);
}
const invoice = (clientId: number) => ({ clientId, amountMinor: 100, currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-01-31', createdBy: 'U1', createdAt: 0 });

describe('invariants in the schema', () => {
  it('one deal in the sales stages per client; a deal past contract may run beside a new one', () => {
    const c = addClient('Acme');
    const first = addDeal(c, 'lead');
    expect(() => addDeal(c, 'qualified')).toThrow(/UNIQUE constraint failed: deals.client_id/);
    raw().prepare(`UPDATE deals SET stage = 'delivery' WHERE id = ?`).run(first);
    expect(() => addDeal(c, 'contract')).not.toThrow();
    addDeal(addClient('Other'), 'lead');
  });

  it('one contract in play per deal; a rejected one makes room for the next', () => {
    const c = addClient('Acme');
    const d = addDeal(c, 'contract');
    const k = addContract(d, c, 'pending');
    expect(() => addContract(d, c, 'approved')).toThrow(/UNIQUE constraint failed: contracts.deal_id/);
    raw().prepare(`UPDATE contracts SET status = 'rejected' WHERE id = ?`).run(k);
    expect(() => addContract(d, c, 'pending')).not.toThrow();
  });

  it('invoice numbers come from a counter: two connections never draw the same number', async () => {
    const c = addClient('Acme');
    const other = new SqliteStore(openDb(path, { migrate: false }));
    try {
      const numbers = [
        (await store.write((tx) => insertInvoice(tx, invoice(c)))).number,
        (await other.write((tx) => insertInvoice(tx, invoice(c)))).number,
        (await store.write((tx) => insertInvoice(tx, invoice(c)))).number,
      ];
      expect(numbers).toEqual(['INV-000001', 'INV-000002', 'INV-000003']);
      // A deleted invoice's number is not drawn again (max(id)+1 would have reused it).
      raw().prepare(`DELETE FROM invoices WHERE number = 'INV-000003'`).run();
      expect((await other.write((tx) => insertInvoice(tx, invoice(c)))).number).toBe('INV-000004');
      // A number someone recorded by hand is skipped, not collided with.
      raw().prepare(`UPDATE invoices SET number = 'INV-000005' WHERE number = 'INV-000004'`).run();
      expect((await store.write((tx) => insertInvoice(tx, invoice(c)))).number).toBe('INV-000006');
    } finally {
      await other.close();
    }
  });

  it('a seeded database numbers the next invoice after the seeded ones, and keeps both indexes', async () => {
    const r = seed(db, { clients: 50, invoices: 300, seed: 5, asOf: '2026-11-27' });
    expect(r.counts.invoices).toBe(300);
    const c = (raw().prepare('SELECT id FROM clients ORDER BY id LIMIT 1').get() as { id: number }).id;
    expect((await store.write((tx) => insertInvoice(tx, invoice(c)))).number).toBe('INV-000301');
    const names = (raw().prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['deals_one_sales_deal_uq', 'contracts_one_active_per_deal_uq']));
  });

  it('a guarded write that changed nothing rolls back everything its transaction wrote', async () => {
    const r = await writeOrStale(
      store,
      async () => {
        addClient('Written then rolled back');
        mustChange(false, 'the row someone else changed');
        return 'kept';
      },
      () => 'stale',
    );
    expect(r).toBe('stale');
    expect(raw().prepare('SELECT count(*) FROM clients').pluck().get()).toBe(0);
    // Any other error still throws, and rolls back too.
    await expect(writeOrStale(store, async () => { addClient('x'); throw new Error('boom'); }, () => 'stale')).rejects.toThrow('boom');
    expect(raw().prepare('SELECT count(*) FROM clients').pluck().get()).toBe(0);
  });

  it('a read takes no write lock: it runs while another connection holds one', async () => {
    addClient('Acme');
    const other = openDb(path, { migrate: false });
    try {
      other.$client.exec('BEGIN IMMEDIATE');
      raw().pragma('busy_timeout = 0');
      expect((await store.read(async (tx) => tx.select().from(clientsTable))).length).toBe(1);
      await expect(store.write(async () => 1)).rejects.toThrow(/busy|locked/i);
      other.$client.exec('ROLLBACK');
    } finally {
      closeDb(other);
    }
  });

  it('a segment change computed by two recomputes at once is recorded and alerted once', async () => {
    const c = addClient('Acme');
    raw().prepare(`UPDATE clients SET segment = 'C' WHERE id = ?`).run(c);
    const run = { criterion: 'revenue' as const, periodFrom: '2025-12-01', periodTo: '2026-11-30', baseCurrency: 'EUR' };
    const row = { clientId: c, segment: 'A' as const, revenueMinor: 100, marginMinor: 10, assortment: 1, daysLate: 0, share: 1, cumulativeShare: 1, rank: 1 };
    const change = { clientId: c, from: 'C' as const, to: 'A' as const, figures: { revenueMinor: 100, marginMinor: 10, assortment: 1, daysLate: 0, share: 1, baseCurrency: 'EUR', criterion: 'revenue' as const } };
    const alertsFor = (applied: unknown[]) => [{ op: 'post' as const, channel: 'C0SALES', payload: { text: `${applied.length} changed` } }];
    // Both read segment C before either wrote: the second finds it already A.
    const first = await writeSegments(store, run, [row], [change], 1, alertsFor);
    const second = await writeSegments(store, run, [{ ...row, rank: 2 }], [change], 2, alertsFor);
    expect(first.applied).toHaveLength(1);
    expect(second.applied).toHaveLength(0);
    expect(raw().prepare('SELECT count(*) FROM segment_changes').pluck().get()).toBe(1);
    expect(raw().prepare(`SELECT count(*) FROM outbox WHERE channel = 'C0SALES'`).pluck().get()).toBe(1);
  });
});
