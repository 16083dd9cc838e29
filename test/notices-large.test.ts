/**
 * A digest of a quarter of a million overdue invoices renders: the finance post, one DM per owner
 * and their App Homes. Whose Homes change was gathered with a spread of every invoice's owner,
 * which overflows the call stack above some 120,000 arguments ("Maximum call stack size
 * exceeded"); the overdue digest failed so at that size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { closeDb, openDb } from '../src/repos/db.ts';
import { overdueInvoices } from '../src/repos/invoices.ts';
import { SqliteStore } from '../src/repos/store.ts';
import { makeRender } from '../src/slack/notices.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('renders the overdue digest of 250,000 invoices, with each owner’s DM and App Home', async () => {
  const db = openDb(join(dir, 'big.db'));
  try {
    const raw = db.$client;
    for (const [i, owner] of ['U0ANNA', 'U0BORIS', 'U0VERA'].entries()) {
      raw.prepare(`INSERT INTO clients (name, name_key, owner_id, created_by, created_at) VALUES (?, ?, ?, 'U1', 0)`).run(`Client ${i}`, `client ${i}`, owner);
    }
    raw.exec(`WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 250000)
      INSERT INTO invoices (number, client_id, amount_minor, currency, issue_date, due_date, paid_minor, created_by, created_at)
      SELECT printf('%010d', k), 1 + k % 3, 1000 + k, 'EUR', '2026-09-01', '2026-10-01', 0, 'U1', 0 FROM n`);
    const invoices = await new SqliteStore(db).read((tx) => overdueInvoices(tx, '2026-11-24'));
    expect(invoices).toHaveLength(250_000);
    const render = makeRender({ channels: { sales: 'C0SALES', legal: 'C0LEGAL', finance: 'C0FINANCE' }, approvers: { legal: [], finance: [] } }, { tz: 'UTC' });
    const items = render([{ kind: 'overdue-invoices', invoices, today: '2026-11-24' }]);
    expect(items.filter((i) => i.op === 'post').map((i) => i.channel).sort()).toEqual(['C0FINANCE', 'U0ANNA', 'U0BORIS', 'U0VERA']);
    expect(items.filter((i) => i.op === 'home').map((i) => i.channel).sort()).toEqual(['U0ANNA', 'U0BORIS', 'U0VERA']);
  } finally {
    closeDb(db);
  }
});
