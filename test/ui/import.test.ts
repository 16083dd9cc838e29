import { describe, expect, it } from 'vitest';
import { readBooks, type ImportProblem } from '../../src/books/index.ts';
import { describeFileRefusal, describeImportProblem, importSummary } from '../../src/slack/ui/import.ts';

describe('import words', () => {
  it('the summary line is the CLI\'s last line (SPEC §6)', () => {
    expect(importSummary({ created: 3, updated: 1, unchanged: 0, failed: 2 })).toBe('created 3, updated 1, unchanged 0, failed 2');
  });

  it('a refused file says what was found and what is expected', () => {
    const r = readBooks(Buffer.from('Артикул;Цена\nВинт;0,20\n'), { today: '2026-03-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const text = describeFileRefusal(r.refusal);
      expect(text).toContain('`Артикул`, `Цена`');
      expect(text).toContain('A clients file has `name` (required)');
    }
    expect(describeFileRefusal({ kind: 'not-text', looksLike: 'xlsx' })).toContain('Excel workbook');
    expect(describeFileRefusal({ kind: 'missing-columns', fileKind: 'invoices', missing: ['currency'], found: ['number', 'client', 'amount', 'issued'] })).toMatch(/^An invoices file needs the column `currency`/u);
  });

  it('each row problem is a sentence that names the value and the fix', () => {
    const cases: [ImportProblem, string][] = [
      [{ kind: 'duplicate-in-file', key: 'number', value: '0000000001', firstRow: 2 }, 'Row 2 already has invoice 0000000001; each appears once in a file.'],
      [{ kind: 'currency-replaced', currency: 'BGN', since: '2026-01-01', use: 'EUR', dated: '2026-01-10' }, 'Bulgaria has used the euro since 01.01.2026: an invoice issued 10.01.2026 cannot be in BGN; write the amount in EUR.'],
      [{ kind: 'unknown-client', eik: '175074752', client: 'Алфа' }, 'No client has ЕИК 175074752 (Алфа): import the clients first, or add it with `/client add`.'],
      [{ kind: 'payment-refused', invoice: '0000000001', currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 4000 } }, 'That is more than invoice 0000000001 owes: €40.00 is owed.'],
      [{ kind: 'bad-amount', column: 'amount', text: '1.2.3', currency: 'EUR', refusal: { kind: 'not-a-number', text: '1.2.3' } }, '`1.2.3` is not an amount: write e.g. `12500` or `12,500.50`.'],
    ];
    for (const [p, text] of cases) expect(describeImportProblem(p)).toBe(text);
  });
});
