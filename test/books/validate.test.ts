import { describe, expect, it } from 'vitest';
import { readBooks, type BooksFile } from '../../src/books/index.ts';

function read(text: string, today = '2026-03-01'): BooksFile {
  const r = readBooks(Buffer.from(text, 'utf-8'), { today });
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.file;
}
const problems = (f: BooksFile) => f.failures.map((x) => [x.row, x.problem]);

describe('client rows', () => {
  it('checks the ЕИК and VAT checksums, the owner, the size and the name as `/client add` does', () => {
    const f = read(
      [
        'name;eik;vat;owner;size',
        'Алфа ООД;175074752;BG175074752;U0123ABCD;малко',
        'Бета ЕООД;175074753;;;',
        'Гама АД;;BG12345;;',
        'Делта ООД;;;Иван;',
        'Ерго ООД;;;;огромно',
        'Зета `x`;;;;',
        'Ита ООД;201 170 000;bg201170000;<@U0999>;Large',
      ].join('\n'),
    );
    expect(f.rows.map((r) => r.record)).toEqual([
      { name: 'Алфа ООД', eik: '175074752', vat: 'BG175074752', owner: 'U0123ABCD', size: 'small' },
      { name: 'Ита ООД', eik: '201170000', vat: 'BG201170000', owner: 'U0999', size: 'large' },
    ]);
    expect(problems(f)).toEqual([
      [3, { kind: 'bad-identity', column: 'eik', text: '175074753', refusal: { kind: 'bad-eik-checksum', field: 'eik' } }],
      [4, { kind: 'bad-identity', column: 'vat', text: 'BG12345', refusal: { kind: 'bad-vat-length', field: 'vat', length: 5 } }],
      [5, { kind: 'bad-owner', text: 'Иван' }],
      [6, { kind: 'bad-size', text: 'огромно' }],
      [7, { kind: 'bad-name', column: 'name', refusal: { kind: 'forbidden-character', char: '`' } }],
    ]);
  });

  it('a duplicate ЕИК or name later in the file fails, naming the first row', () => {
    const f = read(['name;eik', 'Алфа ООД;175074752', 'Бета ЕООД;201170000', 'Алфа 2 ООД;175074752', 'АЛФА  ООД;', 'Гама АД;'].join('\n'));
    expect(f.rows.map((r) => r.row)).toEqual([2, 3, 6]);
    expect(problems(f)).toEqual([
      [4, { kind: 'duplicate-in-file', key: 'eik', value: '175074752', firstRow: 2 }],
      [5, { kind: 'duplicate-in-file', key: 'name', value: 'АЛФА ООД', firstRow: 2 }],
    ]);
  });
});

describe('invoice rows', () => {
  const head = 'number;client;eik;amount;currency;issued;due;margin;line';

  it('reads amounts as people write them, dates both ways, and puts back the zeros a spreadsheet dropped', () => {
    const f = read([head, '1234;Алфа ООД;;"12 500,50";eur;15.12.2025;2026-01-14;-150,25;  Steel   Beams ', '0000001235;;175074752;"1,250.5";USD;2026-01-05;;0;'].join('\n'));
    expect(f.failures).toEqual([]);
    expect(f.rows.map((r) => r.record)).toEqual([
      { number: '0000001234', client: 'Алфа ООД', amountMinor: 1250050, currency: 'EUR', issued: '2025-12-15', due: '2026-01-14', marginMinor: -15025, line: 'steel beams' },
      { number: '0000001235', eik: '175074752', amountMinor: 125050, currency: 'USD', issued: '2026-01-05', marginMinor: 0 },
    ]);
  });

  it('refuses what `/invoice add` refuses, each with its reason', () => {
    const f = read(
      [
        head,
        '12345678901;Алфа;;1;EUR;2026-01-05;;;',
        'ABC;Алфа;;1;EUR;2026-01-05;;;',
        '0000000003;;;1;EUR;2026-01-05;;;',
        '0000000004;Алфа;;1;EURO;2026-01-05;;;',
        '0000000005;Алфа;;1.2.3;EUR;2026-01-05;;;',
        '0000000006;Алфа;;1234,5;JPY;2026-01-05;;;',
        '0000000007;Алфа;;0;EUR;2026-01-05;;;',
        '0000000008;Алфа;;1;EUR;31.02.2026;;;',
        '0000000009;Алфа;;1;EUR;2026-03-02;;;',
        '0000000010;Алфа;;1;EUR;2026-01-05;2026-01-04;;',
        '0000000011;Алфа;;100;BGN;2026-01-01;;;',
        '0000000012;Алфа;;100;BGN;31.12.2025;;;',
        '0000000013;Алфа;;1;EUR;;;;',
      ].join('\n'),
    );
    expect(f.rows.map((r) => r.row)).toEqual([13]);
    expect(problems(f)).toEqual([
      [2, { kind: 'bad-invoice-number', column: 'number', text: '12345678901' }],
      [3, { kind: 'bad-invoice-number', column: 'number', text: 'ABC' }],
      [4, { kind: 'missing', column: 'client' }],
      [5, { kind: 'bad-currency', text: 'EURO' }],
      [6, { kind: 'bad-amount', column: 'amount', text: '1.2.3', currency: 'EUR', refusal: { kind: 'not-a-number', text: '1.2.3' } }],
      [7, { kind: 'bad-amount', column: 'amount', text: '1234,5', currency: 'JPY', refusal: { kind: 'too-many-decimals', digits: 0 } }],
      [8, { kind: 'bad-amount', column: 'amount', text: '0', currency: 'EUR', refusal: { kind: 'not-positive' } }],
      [9, { kind: 'bad-date', column: 'issued', text: '31.02.2026' }],
      [10, { kind: 'in-future', column: 'issued', date: '2026-03-02', today: '2026-03-01' }],
      [11, { kind: 'due-before-issued', issued: '2026-01-05', due: '2026-01-04' }],
      // The euro rule (SPEC §5): a BGN invoice issued on or after the changeover is refused…
      [12, { kind: 'currency-replaced', currency: 'BGN', since: '2026-01-01', use: 'EUR', dated: '2026-01-01' }],
      [14, { kind: 'missing', column: 'issued' }],
    ]);
  });

  it('the changeover is policy', () => {
    const r = readBooks(Buffer.from(`${head}\n0000000001;Алфа;;100;BGN;2026-01-05;;;\n`), { today: '2026-03-01', changeover: { from: 'BGN', to: 'EUR', rate: '1.95583', date: '2027-01-01' } });
    expect(r.ok && r.file.failures).toEqual([]);
  });

  it('the same number twice in a file: the later row fails', () => {
    const f = read([head, '1;Алфа;;1;EUR;2026-01-05;;;', '2;Алфа;;1;EUR;2026-01-05;;;', '0000000001;Бета;;2;EUR;2026-01-06;;;'].join('\n'));
    expect(problems(f)).toEqual([[4, { kind: 'duplicate-in-file', key: 'number', value: '0000000001', firstRow: 2 }]]);
  });
});

describe('payment rows', () => {
  it('keys a payment by invoice and reference, or without one by invoice, date and amount', () => {
    const f = read(
      [
        'invoice;amount;date;reference',
        '1;100;2026-01-10;ПН-1',
        '1;50;2026-01-11;ПН-1',
        '1;100,00;10.01.2026;',
        '1;100.00;2026-01-10;',
        '1;100;2026-01-11;',
        '2;x;2026-01-10;',
        '3;1;2026-03-05;',
      ].join('\n'),
    );
    expect(f.rows.map((r) => [r.row, r.record])).toEqual([
      [2, { invoice: '0000000001', amount: '100.00', date: '2026-01-10', reference: 'ПН-1' }],
      [4, { invoice: '0000000001', amount: '100.00', date: '2026-01-10' }],
      [6, { invoice: '0000000001', amount: '100.00', date: '2026-01-11' }],
    ]);
    expect(problems(f)).toEqual([
      [3, { kind: 'duplicate-in-file', key: 'payment', value: '0000000001', firstRow: 2 }],
      [5, { kind: 'duplicate-in-file', key: 'payment', value: '0000000001', firstRow: 4 }],
      [7, { kind: 'bad-amount', column: 'amount', text: 'x', refusal: { kind: 'not-a-number', text: 'x' } }],
      [8, { kind: 'in-future', column: 'date', date: '2026-03-05', today: '2026-03-01' }],
    ]);
  });

  it('keeps an amount a three-decimal currency reads differently as written, for the invoice\'s currency to decide', () => {
    const f = read('invoice;amount;date\n1;"1,500";2026-01-10\n2;1.505;2026-01-10\n');
    expect(f.rows.map((r) => (r.record as { amount: string }).amount)).toEqual(['1,500', '1.505']);
  });
});

describe('neutralised cells', () => {
  it("one leading ' before a formula character is taken off; other apostrophes stay", () => {
    const f = read(["name;contact", "'-Alpha;'=1+2", "''@Beta;'+359 88 123", "'t Hooft BV;It's me"].join('\n'));
    expect(f.rows.map((r) => r.record)).toEqual([
      { name: '-Alpha', contact: '=1+2' },
      { name: "'@Beta", contact: '+359 88 123' },
      { name: "'t Hooft BV", contact: "It's me" },
    ]);
  });
});
