import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFigures, type InvoiceFact } from '../src/domain/abc.ts';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { allClients } from '../src/repos/analytics.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { seed } from '../src/seed/generate.ts';
import { abcPeriod, abcPolicy, figuresFromDb } from '../src/services/analytics.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-abc-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ABC figures aggregated in SQL', () => {
  it('equal the pure domain definition (clientFigures) over the same invoices', () => {
    const db = openDb(join(dir, 'abc.db'));
    try {
      seed(db, { clients: 300, invoices: 4000, seed: 5, asOf: '2026-11-27' });
      // Currencies without a rate must be left out of both, and named.
      const policy = { ...DEFAULT_POLICY, abc: { ...DEFAULT_POLICY.abc, rates: { BGN: 0.51129 } } };
      const now = Date.parse('2026-11-27T12:00:00Z');
      const period = abcPeriod(policy, now, 'UTC');
      const clients = allClients(db);
      const rows = db.$client
        .prepare('SELECT client_id AS clientId, amount_minor AS amountMinor, currency, margin_minor AS marginMinor, product_line AS productLine, issue_date AS issueDate, due_date AS dueDate, paid_date AS paidDate FROM invoices WHERE issue_date >= ? AND issue_date <= ?')
        .all(period.from, period.to) as { clientId: number; amountMinor: number; currency: string; marginMinor: number | null; productLine: string | null; issueDate: string; dueDate: string; paidDate: string | null }[];
      expect(rows.length).toBeGreaterThan(1000);
      const facts: InvoiceFact[] = rows.map((r) => ({
        clientId: r.clientId,
        amountMinor: r.amountMinor,
        currency: r.currency,
        marginMinor: r.marginMinor,
        productLine: r.productLine,
        issuedAt: Date.parse(`${r.issueDate}T00:00:00Z`),
        dueAt: Date.parse(`${r.dueDate}T00:00:00Z`),
        paidAt: r.paidDate ? Date.parse(`${r.paidDate}T00:00:00Z`) : null,
      }));
      const ids = clients.map((c) => c.id);
      const domain = clientFigures(facts, ids, abcPolicy(policy), Date.parse(`${period.to}T00:00:00Z`));
      const sql = figuresFromDb(db, policy, period, clients);
      expect(sql.map((f) => f.clientId)).toEqual(domain.map((f) => f.clientId));
      for (let i = 0; i < sql.length; i++) {
        const a = sql[i]!;
        const b = domain[i]!;
        expect(a.revenueMinor, `client ${a.clientId} revenue`).toBeCloseTo(b.revenueMinor, -1);
        expect(a.marginMinor, `client ${a.clientId} margin`).toBeCloseTo(b.marginMinor, -1);
        expect(a.assortment, `client ${a.clientId} assortment`).toBe(b.assortment);
        expect(a.daysLate, `client ${a.clientId} days late`).toBeCloseTo(b.daysLate, 6);
        expect(a.unconvertible, `client ${a.clientId} unconvertible`).toEqual(b.unconvertible);
      }
      expect(sql.some((f) => f.assortment > 1)).toBe(true);
      expect(sql.some((f) => f.daysLate > 0)).toBe(true);
    } finally {
      closeDb(db);
    }
  });
});
