import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { INVOICE_AGGREGATES_SQL, snapshotOf } from '../src/repos/analytics.ts';
import { closeDb, openDb, type Db } from '../src/repos/db.ts';
import { SqliteStore } from '../src/repos/store.ts';
import { seed } from '../src/seed/generate.ts';
import { recomputeAndAlert } from '../src/services/recompute.ts';
import { serviceCtx, type ServiceSetup } from '../src/slack/context.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-abc-recompute-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ABC aggregate query', () => {
  it('walks the covering invoices_abc_idx in group order, with or without planner statistics', async () => {
    const path = join(dir, 'plan.db');
    let db = openDb(path);
    try {
      seed(db, { clients: 200, invoices: 3000, seed: 3, asOf: '2026-11-27' });
      const plan = () =>
        (db.$client.prepare(`EXPLAIN QUERY PLAN ${INVOICE_AGGREGATES_SQL}`).all({ from: '2025-11-28', to: '2026-11-27', today: '2026-11-27' }) as { detail: string }[]).map((r) => r.detail);
      const check = (p: string[]) => {
        // SCAN without statistics; with them SQLite may skip-scan (SEARCH … ANY(client_id) AND ANY(currency) …): both in index order.
        expect(p[0], p.join('; ')).toMatch(/^(SCAN|SEARCH) invoices USING COVERING INDEX invoices_abc_idx\b/);
        expect(p.join('; ')).not.toMatch(/TEMP B-TREE FOR (GROUP|ORDER) BY/);
      };
      check(plan());
      closeDb(db);
      db = openDb(path); // runs PRAGMA optimize, which gathers statistics
      db.$client.exec('ANALYZE');
      expect(db.$client.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'invoices_abc_idx'").pluck().get()).toBe(1);
      check(plan());
    } finally {
      closeDb(db);
    }
  });
});

describe('the recompute writes only what changed', () => {
  const HOUR = 3_600_000;
  const t0 = Date.parse('2026-11-27T08:00:00Z');
  const setup: ServiceSetup = {
    policy: DEFAULT_POLICY,
    tz: 'UTC',
    channels: { legal: 'C0LEGAL', finance: 'C0FINANCE', sales: 'C0SALES' },
    approvers: { legal: ['U0LEGAL'], finance: ['U0FINANCE'] },
    roles: { legal: ['U0LEGAL'], finance: ['U0FINANCE'], admins: [] },
  };
  const recompute = (db: Db, now: number) => recomputeAndAlert(serviceCtx(setup, { store: new SqliteStore(db), actor: 'U0SYSTEM', now }));
  const computedAt = (db: Db) => new Map(db.$client.prepare('SELECT client_id, computed_at FROM segment_snapshots').raw(true).all() as [number, number][]);
  const count = (db: Db, sql: string) => db.$client.prepare(sql).pluck().get() as number;
  async function withSeeded(name: string, size: { clients: number; invoices: number; seed: number }, test: (db: Db) => Promise<void>): Promise<void> {
    const db = openDb(join(dir, name));
    try {
      seed(db, { ...size, asOf: '2026-11-27' });
      await test(db);
    } finally {
      closeDb(db);
    }
  }

  it('writes every snapshot the first time, none when nothing changed, and one when one client\'s margin changed', async () => {
    await withSeeded('writes.db', { clients: 1200, invoices: 6000, seed: 4 }, async (db) => {
      const clients = count(db, 'SELECT count(*) FROM clients');
      const first = await recompute(db, t0);
      // More than two batches of 500, so the batching is exercised.
      expect(first.written).toBe(clients);
      expect(count(db, 'SELECT count(*) FROM segment_snapshots')).toBe(clients);
      expect(count(db, 'SELECT count(*) FROM segment_changes')).toBe(clients);
      expect(count(db, 'SELECT count(*) FROM clients WHERE segment IS NULL')).toBe(0);
      expect(first.changes).toEqual([]); // a first segment is stored, not alerted

      // Later the same day: same period, same invoices, nothing to write.
      const before = computedAt(db);
      const again = await recompute(db, t0 + 2 * HOUR);
      expect(again.written).toBe(0);
      expect(again.changes).toEqual([]);
      expect(again.summary).toEqual(first.summary);
      expect(computedAt(db)).toEqual(before);
      expect(count(db, 'SELECT count(*) FROM segment_changes')).toBe(clients);

      // A margin does not move anyone's revenue share: exactly that client's snapshot is rewritten.
      const { id, clientId } = db.$client
        .prepare("SELECT id, client_id AS clientId FROM invoices WHERE issue_date >= '2026-01-01' AND margin_minor IS NOT NULL AND currency = ? ORDER BY id LIMIT 1")
        .get(DEFAULT_POLICY.abc.baseCurrency) as { id: number; clientId: number };
      const margin = (await snapshotOf(db, clientId))!.marginMinor;
      db.$client.prepare('UPDATE invoices SET margin_minor = margin_minor + 12345 WHERE id = ?').run(id);
      const changed = await recompute(db, t0 + 3 * HOUR);
      expect(changed.written).toBe(1);
      expect((await snapshotOf(db, clientId))!.marginMinor).toBe(margin + 12345);
      const after = computedAt(db);
      expect(after.get(clientId)).toBe(t0 + 3 * HOUR);
      for (const [c, at] of after) if (c !== clientId) expect(at, `client ${c}`).toBe(before.get(c));
    });
  });

  it('rewrites a client whose segment changes, records the change once, and rewrites everyone the next day', async () => {
    await withSeeded('changes.db', { clients: 300, invoices: 3000, seed: 6 }, async (db) => {
      await recompute(db, t0);
      const c = db.$client.prepare("SELECT client_id AS clientId FROM segment_snapshots WHERE segment = 'C' AND revenue_minor > 0 ORDER BY rank DESC LIMIT 1").get() as { clientId: number };
      const changes = count(db, 'SELECT count(*) FROM segment_changes');
      // A huge sale makes the smallest client the largest.
      db.$client
        .prepare(
          `INSERT INTO invoices (number, client_id, amount_minor, currency, margin_minor, product_line, issue_date, due_date, paid_minor, paid_date, created_by, created_at)
           VALUES ('BIG-1', ?, 10000000000, 'EUR', 0, 'steel', '2026-11-20', '2026-12-20', 0, NULL, 'U0TEST', 0)`,
        )
        .run(c.clientId);
      const r = await recompute(db, t0 + HOUR);
      expect(r.changes.find((x) => x.clientId === c.clientId)).toMatchObject({ from: 'C', to: 'A' });
      expect(r.changes.every((x) => x.name.length > 0 && x.ownerId.length > 0)).toBe(true);
      expect(await snapshotOf(db, c.clientId)).toMatchObject({ segment: 'A', rank: 1 });
      expect(count(db, `SELECT segment = 'A' FROM clients WHERE id = ${c.clientId}`)).toBe(1);
      // The alert was queued with the change, in its transaction: to the sales channel, naming the client.
      const alert = db.$client.prepare(`SELECT payload FROM outbox WHERE channel = 'C0SALES' AND op = 'post' ORDER BY id DESC LIMIT 1`).pluck().get() as string;
      expect(alert).toContain(r.changes.find((x) => x.clientId === c.clientId)!.name);
      expect(count(db, 'SELECT count(*) FROM segment_changes')).toBe(changes + r.changes.length);
      expect(r.written).toBeGreaterThanOrEqual(r.changes.length);

      const same = await recompute(db, t0 + 2 * HOUR);
      expect(same.written).toBe(0);
      expect(same.changes).toEqual([]);
      expect(count(db, 'SELECT count(*) FROM segment_changes')).toBe(changes + r.changes.length);

      // The next day the period moves: every snapshot says so.
      const next = await recompute(db, t0 + 24 * HOUR);
      expect(next.written).toBe(count(db, 'SELECT count(*) FROM clients'));
      expect(count(db, "SELECT count(*) FROM segment_snapshots WHERE period_to <> '2026-11-28'")).toBe(0);
    });
  });

  it('writes in whole batches: a failure mid-way leaves earlier batches written and the rest as they were', async () => {
    await withSeeded('batches.db', { clients: 1200, invoices: 4000, seed: 8 }, async (db) => {
      await recompute(db, t0);
      // The next day every snapshot is rewritten, in client order, 500 a transaction; the 700th fails.
      const ids = db.$client.prepare('SELECT id FROM clients ORDER BY id').pluck().all() as number[];
      db.$client.exec(`CREATE TRIGGER fail_one BEFORE UPDATE ON segment_snapshots WHEN NEW.client_id = ${ids[699]} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
      await expect(recompute(db, t0 + 24 * HOUR)).rejects.toThrow(/disk on fire/);
      const written = db.$client.prepare("SELECT client_id FROM segment_snapshots WHERE period_to = '2026-11-28' ORDER BY client_id").pluck().all();
      expect(written).toEqual(ids.slice(0, 500));
      // Each client's segment and its snapshot's always agree.
      expect(count(db, 'SELECT count(*) FROM clients c JOIN segment_snapshots s ON s.client_id = c.id WHERE c.segment IS NOT s.segment')).toBe(0);
      db.$client.exec('DROP TRIGGER fail_one');
      expect((await recompute(db, t0 + 24 * HOUR)).written).toBe(ids.length - 500);
    });
  });
});
