import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVOICE_AGGREGATES_SQL } from '../src/repos/analytics.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { seed } from '../src/seed/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-abc-recompute-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ABC aggregate query', () => {
  it('walks the covering invoices_abc_idx in group order, with or without planner statistics', () => {
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
