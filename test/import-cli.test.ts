import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const doc = (name: string) => `docs/import/${name}`;
const cli = (script: 'import' | 'export', args: string[]) => runCli(`src/cli/${script}.ts`, args, cliEnv(h));
const lastLine = (s: string) => s.trim().split('\n').at(-1);

describe('npm run import / export over a real database', () => {
  it('imports the example books (UTF-8 with BOM and ",", Windows-1251 with ";", tab-separated), and the same files again change nothing', { timeout: 60_000 }, async () => {
    const clients = await cli('import', [doc('clients.csv')]);
    expect(clients.stderr).toBe('');
    expect(clients.stdout).not.toContain('not stored');
    expect(lastLine(clients.stdout)).toBe('created 4, updated 0, unchanged 0, failed 0');
    expect(clients.status).toBe(0);
    const invoices = await cli('import', [doc('invoices.csv')]);
    expect(lastLine(invoices.stdout)).toBe('created 4, updated 0, unchanged 0, failed 0');
    const payments = await cli('import', [doc('payments.csv'), '--kind', 'payments']);
    expect(lastLine(payments.stdout)).toBe('created 3, updated 0, unchanged 0, failed 0');
    // The cp1251 file's Cyrillic arrived intact, and the importer (the first admin) is in the audit trail.
    expect(await h.rows(sql`SELECT c.name AS "name" FROM invoices i JOIN clients c ON c.id = i.client_id WHERE i.number = '0000001022'`)).toEqual([{ name: 'Агро Тракия ЕООД' }]);
    expect(await h.rows(sql`SELECT DISTINCT actor AS "actor" FROM audit_events`)).toEqual([{ actor: USERS.admin }]);
    for (const [name, n] of [['clients.csv', 4], ['invoices.csv', 4], ['payments.csv', 3]] as const) {
      const again = await cli('import', [doc(name)]);
      expect(lastLine(again.stdout), name).toBe(`created 0, updated 0, unchanged ${n}, failed 0`);
    }
  });

  it('an export imports back with nothing changed, in either format', { timeout: 60_000 }, async () => {
    // Both formats of every kind are round-tripped in test/services/import.test.ts; here, each kind once through the CLIs and the Bulgarian one for invoices.
    for (const kind of ['clients', 'invoices', 'payments'] as const) {
      for (const bg of kind === 'invoices' ? [[], ['--bg']] : [[]]) {
        const file = join(h.dir, `${kind}${bg.length ? '-bg' : ''}.csv`);
        const out = await cli('export', [kind, file, ...bg]);
        expect(out.status, out.stderr).toBe(0);
        expect(out.stdout).toMatch(new RegExp(`^Exported ${kind === 'payments' ? 3 : 4} ${kind} to `));
        const again = await cli('import', [file]);
        expect(lastLine(again.stdout), `${kind} ${bg.join('')}`).toBe(`created 0, updated 0, unchanged ${kind === 'payments' ? 3 : 4}, failed 0`);
      }
    }
    // The Bulgarian-books format is Windows-1251 with `;`: what Bulgarian software reads.
    const bg = readFileSync(join(h.dir, 'invoices-bg.csv'));
    expect(iconv.decode(bg, 'windows-1251').split('\r\n')[0]).toBe('Номер;Клиент;ЕИК;Сума;Валута;Издадена;Падеж;Марж;Продуктова линия');
  });

  it('lists each failed row with its number and reason, exits 1, and --dry-run writes nothing', { timeout: 60_000 }, async () => {
    const file = join(h.dir, 'bad.csv');
    writeFileSync(file, iconv.encode('Име;ЕИК\r\nНова фирма ООД;\r\nГрешна;175074753\r\n', 'windows-1251'));
    const dry = await cli('import', [file, '--dry-run']);
    expect(dry.stdout.trim().split('\n').slice(-3)).toEqual(['row 3: `eik:175074753` is not a valid ЕИК: its check digit does not match (9 or 13 digits).', 'Dry run: nothing was written.', 'created 1, updated 0, unchanged 0, failed 1']);
    expect(dry.status).toBe(1);
    expect(await h.rows(sql`SELECT id FROM clients WHERE name = 'Нова фирма ООД'`)).toEqual([]);
    const real = await cli('import', [file]);
    expect(lastLine(real.stdout)).toBe('created 1, updated 0, unchanged 0, failed 1');
    expect(real.status).toBe(1);
    expect(await h.rows(sql`SELECT owner_id AS "owner" FROM clients WHERE name = 'Нова фирма ООД'`)).toEqual([{ owner: USERS.admin }]);
  });

  it('a file of no known kind is refused with nothing written; bad usage exits 2 with the usage', { timeout: 60_000 }, async () => {
    const file = join(h.dir, 'odd.csv');
    writeFileSync(file, 'foo,bar\n1,2\n');
    const odd = await cli('import', [file]);
    expect(odd.status).toBe(1);
    expect(odd.stderr).toContain("I can't tell what the file holds from its header (`foo`, `bar`)");
    expect(odd.stderr).toContain('Nothing was imported.');
    const usage = await cli('import', [file, '--kind', 'deals']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--kind takes clients, invoices, payments, not "deals".');
    expect(usage.stderr).toContain('Usage: npm run import');
    const exp = await cli('export', ['deals', file]);
    expect(exp.status).toBe(2);
    expect(exp.stderr).toContain('"deals" is not something to export.');
  });
});
