import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFigures, type InvoiceFact } from '../src/domain/abc.ts';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { clientSegments } from '../src/repos/analytics.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { seed } from '../src/seed/generate.ts';
import { abcPeriod, abcPolicy, figuresFromDb } from '../src/services/analytics.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-abc-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ABC figures aggregated in SQL', () => {
  it('equal the pure domain definition (clientFigures) over the same invoices', async () => {
    const db = openDb(join(dir, 'abc.db'));
    try {
      seed(db, { clients: 300, invoices: 4000, seed: 5, asOf: '2026-11-27' });
      // The seed bills each client in one currency and always names a line: add clients billed in
      // two rated currencies (lines shared and new), lines null and blank, and an unrated currency.
      const add = db.$client.prepare(
        `INSERT INTO invoices (number, client_id, amount_minor, currency, margin_minor, product_line, issue_date, due_date, paid_minor, paid_date, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'U0TEST', 0)`,
      );
      const inPeriod = db.$client.prepare("SELECT client_id AS clientId, currency, product_line AS line FROM invoices WHERE issue_date >= '2026-01-01' GROUP BY client_id ORDER BY client_id LIMIT 6").all() as { clientId: number; currency: string; line: string }[];
      let n = 0;
      for (const c of inPeriod) {
        const other = c.currency === 'EUR' ? 'BGN' : 'EUR';
        add.run(`T-${++n}`, c.clientId, 100_000, other, 20_000, c.line, '2026-06-01', '2026-07-01', 0, null);
        add.run(`T-${++n}`, c.clientId, 50_000, other, null, `extra line ${c.clientId % 2}`, '2026-06-02', '2026-07-02', 50_000, '2026-08-15');
        add.run(`T-${++n}`, c.clientId, 30_000, other, 1_000, null, '2026-06-03', '2026-07-03', 30_000, '2026-07-01');
        add.run(`T-${++n}`, c.clientId, -10_000, other, -1_000, '', '2026-06-04', '2026-07-04', 0, null);
        add.run(`T-${++n}`, c.clientId, 70_000, 'USD', 5_000, 'only in usd', '2026-06-05', '2026-07-05', 0, null);
      }
      // Currencies without a rate must be left out of both, and named.
      const policy = { ...DEFAULT_POLICY, abc: { ...DEFAULT_POLICY.abc, rates: { BGN: 0.51129 } } };
      const now = Date.parse('2026-11-27T12:00:00Z');
      const period = abcPeriod(policy, now, 'UTC');
      const ids = (await clientSegments(db)).ids;
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
      const domain = clientFigures(facts, ids, abcPolicy(policy), Date.parse(`${period.to}T00:00:00Z`));
      const sql = await figuresFromDb(db, policy, period, ids);
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
      for (const c of inPeriod) expect(sql.find((f) => f.clientId === c.clientId)!.unconvertible, `client ${c.clientId}`).toEqual(['USD']);
      expect(sql.some((f) => f.daysLate > 0)).toBe(true);
    } finally {
      closeDb(db);
    }
  });
});
