import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/repos/store.ts';
import { addClient } from '../../src/services/clients.ts';
import { exportBooks } from '../../src/services/export.ts';
import { addInvoice, payInvoice } from '../../src/services/invoices.ts';
import { applyImport, importBooks, planImport } from '../../src/services/import.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { USERS } from '../helpers/harness.ts';

let w: ServiceWorld;
beforeEach(() => {
  w = serviceWorld({ at: '2026-03-02T08:00:00Z' });
});
afterEach(() => w.close());

const doc = (name: string) => readFileSync(new URL(`../../docs/import/${name}`, import.meta.url));
const rows = <T>(q: ReturnType<typeof sql>) => w.store.read((tx) => rowsOf<T>(tx, q));
const imported = async (bytes: Uint8Array, opts: { dryRun?: boolean } = {}) => {
  const r = await importBooks(w.ctx(USERS.finance), bytes, opts);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r;
};

describe('importing the books on a migrated database', () => {
  it('the example files import in order (clients, invoices, payments), and the same files again change nothing', async () => {
    const c = await imported(doc('clients.csv'));
    expect(c.counts).toEqual({ created: 4, updated: 0, unchanged: 0, failed: 0 });
    // Each client got its first deal at lead, as `/client add` makes it, and an audit entry by the importer.
    expect(await rows(sql`SELECT c.name AS "name", c.owner_id AS "owner", d.stage AS "stage" FROM clients c JOIN deals d ON d.client_id = c.id ORDER BY c.id`)).toEqual([
      { name: 'Строителна компания "Витоша" ООД', owner: 'U0123ABCD', stage: 'lead' },
      { name: 'Агро Тракия ЕООД', owner: 'U0123ABCD', stage: 'lead' },
      { name: 'Черноморски логистики АД', owner: 'U0456EFGH', stage: 'lead' },
      // Its owner cell is empty: whoever imports owns it.
      { name: 'Дигитални решения ООД', owner: USERS.finance, stage: 'lead' },
    ]);
    // Industry, region and size are stored (the Bulgarian size words read as /client set reads them).
    expect(await rows(sql`SELECT industry AS "industry", region AS "region", size AS "size" FROM clients ORDER BY id`)).toEqual([
      { industry: 'строителство', region: 'София', size: 'medium' },
      { industry: 'земеделие', region: 'Пловдив', size: 'small' },
      { industry: 'логистика', region: 'Варна', size: 'large' },
      { industry: 'софтуер', region: 'София', size: 'micro' },
    ]);
    const inv = await imported(doc('invoices.csv'));
    expect(inv.counts).toEqual({ created: 4, updated: 0, unchanged: 0, failed: 0 });
    // An empty due date: the policy's 30 days.
    expect(await rows(sql`SELECT number AS "number", due_date AS "due", product_line AS "line", amount_minor AS "amount" FROM invoices WHERE number = '0000001024'`)).toEqual([{ number: '0000001024', due: '2026-02-14', line: 'услуги', amount: 360000 }]);
    const pay = await imported(doc('payments.csv'));
    expect(pay.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 0 });
    expect(await rows(sql`SELECT number AS "number", paid_minor AS "paid", paid_date AS "paidDate" FROM invoices ORDER BY number`)).toEqual([
      { number: '0000001021', paid: 1200000, paidDate: null },
      { number: '0000001022', paid: 780050, paidDate: '2026-01-20' },
      { number: '0000001023', paid: 625000, paidDate: null },
      { number: '0000001024', paid: 0, paidDate: null },
    ]);
    const audits = Number((await rows<{ n: number }>(sql`SELECT count(*) AS "n" FROM audit_events`))[0]!.n);
    for (const name of ['clients.csv', 'invoices.csv', 'payments.csv']) {
      const again = await imported(doc(name));
      expect(again.counts.created + again.counts.updated + again.counts.failed, name).toBe(0);
    }
    expect(Number((await rows<{ n: number }>(sql`SELECT count(*) AS "n" FROM audit_events`))[0]!.n)).toBe(audits);
  });

  it('a dry run writes nothing; a row in error changes nothing and the others import', async () => {
    const file = Buffer.from('name;eik\nАлфа;175074752\nБета;175074753\nГама;\n');
    const dry = await imported(file, { dryRun: true });
    expect(dry.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 1 });
    expect(await rows(sql`SELECT id FROM clients`)).toEqual([]);
    const r = await imported(file);
    expect(r.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 1 });
    expect(r.failures.map((f) => [f.row, f.problem.kind])).toEqual([[3, 'bad-identity']]);
    expect((await rows<{ name: string }>(sql`SELECT name AS "name" FROM clients ORDER BY id`)).map((x) => x.name)).toEqual(['Алфа', 'Гама']);
  });

  it('renames a client found by its ЕИК and audits before and after', async () => {
    await imported(Buffer.from('name,eik,contact\nAlfa,175074752,Ivan\n'));
    const r = await imported(Buffer.from('name,eik,contact\nAlfa Ltd,175074752,\n'));
    expect(r.counts).toEqual({ created: 0, updated: 1, unchanged: 0, failed: 0 });
    expect(await rows(sql`SELECT name AS "name", name_key AS "key", contact AS "contact" FROM clients`)).toEqual([{ name: 'Alfa Ltd', key: 'alfa ltd', contact: 'Ivan' }]);
    const audit = await rows<{ after: string }>(sql`SELECT after AS "after" FROM audit_events WHERE action = 'updated'`);
    expect(JSON.parse(audit[0]!.after)).toEqual({ name: 'Alfa Ltd', nameKey: 'alfa ltd' });
  });

  it('a write that finds the record changed since the plan fails that row only', async () => {
    const read = await planImport(w.ctx(USERS.finance), Buffer.from('name\nAlfa\nBeta\n'));
    if (!read.ok) throw new Error('refused');
    // Someone adds Beta between the preview and the click on Import.
    value(await addClient(w.ctx(USERS.seller), { name: 'beta' }));
    const r = await applyImport(w.ctx(USERS.finance), read);
    expect(r.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 1 });
    expect(r.failures).toMatchObject([{ row: 3, problem: { kind: 'name-taken', name: 'Beta', holder: 'beta' } }]);
  });

  it('exports what it holds in the import\'s columns; the export imports back with nothing changed', async () => {
    for (const name of ['clients.csv', 'invoices.csv', 'payments.csv']) await imported(doc(name));
    for (const kind of ['clients', 'invoices', 'payments'] as const) {
      for (const bg of [false, true]) {
        const file = await exportBooks(w.store, kind, { bg });
        // The client attributes are written too, so the round trip covers them.
        if (kind === 'clients') expect(iconv.decode(file.bytes, bg ? 'windows-1251' : 'utf-8')).toMatch(bg ? /Отрасъл;Регион;Размер\r\n.*;строителство;София;medium\r\n/u : /industry,region,size\r\n.*,строителство,София,medium\r\n/u);
        const again = await imported(file.bytes);
        expect(again.kind).toBe(kind);
        expect(again.counts, `${kind} ${bg ? 'bg' : 'en'}`).toEqual({ created: 0, updated: 0, unchanged: kind === 'payments' ? 3 : 4, failed: 0 });
      }
    }
  });

  it('a payment from the changeover on a BGN invoice is read in EUR, as /invoice pay reads it, and exports back in EUR', async () => {
    for (const name of ['clients.csv', 'invoices.csv']) await imported(doc(name));
    const csv = (lines: string[]) => new TextEncoder().encode(['invoice,amount,date,reference', ...lines].join('\n'));
    // 0000001022 is 7 800,50 BGN issued 28.12.2025 = 3 988,33 EUR owed from 01.01.2026.
    const over = await imported(csv(['0000001022,3988.34,2026-01-20,PN-1']));
    expect(over.counts).toEqual({ created: 0, updated: 0, unchanged: 0, failed: 1 });
    expect(over.failures[0]!.problem).toMatchObject({ kind: 'payment-refused', currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 398833 } });
    // Two partial payments in EUR that add up to what is owed clear the BGN to the stotinka.
    const paid = await imported(csv(['0000001022,1000.00,2026-01-20,PN-1', '0000001022,2988.33,2026-02-03,PN-2']));
    expect(paid.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(await rows(sql`SELECT paid_minor AS "paid", paid_date AS "paidDate" FROM invoices WHERE number = '0000001022'`)).toEqual([{ paid: 780050, paidDate: '2026-02-03' }]);
    expect(await rows(sql`SELECT p.received_minor AS "received", p.received_currency AS "currency" FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.number = '0000001022' ORDER BY p.id`)).toEqual([
      { received: 100000, currency: 'EUR' },
      { received: 298833, currency: 'EUR' },
    ]);
    // A payment before the changeover is still in BGN.
    expect((await imported(csv(['0000001021,100.00,2025-12-20,PN-3']))).counts.created).toBe(1);
    expect(await rows(sql`SELECT p.amount_minor AS "amount", p.received_currency AS "currency" FROM payments p WHERE p.reference = 'PN-3'`)).toEqual([{ amount: 10000, currency: null }]);
    // The export writes what was paid, in EUR, and imports back with nothing changed.
    const file = await exportBooks(w.store, 'payments', { bg: false });
    expect(new TextDecoder().decode(file.bytes)).toMatch(/0000001022,1000(\.00)?,2026-01-20,PN-1/);
    expect((await imported(file.bytes)).counts).toEqual({ created: 0, updated: 0, unchanged: 3, failed: 0 });
    // The same file again: nothing changes.
    expect((await imported(csv(['0000001022,1000.00,2026-01-20,PN-1', '0000001022,2988.33,2026-02-03,PN-2']))).counts).toEqual({ created: 0, updated: 0, unchanged: 2, failed: 0 });
  });

  it('invoices numbered by dealdesk\'s counter (no number: given) export and import back unchanged, with their payments', async () => {
    value(await addClient(w.ctx(USERS.seller), { name: 'Counter Client Ltd' }));
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Counter Client Ltd' }, amount: '500', amountMinor: 50_000 }], currency: 'EUR' })).invoice;
    expect(inv.number).toMatch(/^INV-\d{6}$/);
    value(await payInvoice(w.ctx(USERS.finance), { invoiceId: inv.id, amount: '200', reference: 'BNK-1' }));
    for (const kind of ['invoices', 'payments'] as const) {
      const file = await exportBooks(w.store, kind, { bg: false });
      expect((await imported(file.bytes)).counts, kind).toEqual({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    }
  });
});
