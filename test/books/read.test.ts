import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readBooks, sniffDelimiter, type BooksFile, type ReadOptions } from '../../src/books/index.ts';

const opts: ReadOptions = { today: '2026-03-01' };
const utf8 = (s: string) => Buffer.from(s, 'utf-8');
const bom = (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(s)]);
const cp1251 = (s: string) => iconv.encode(s, 'windows-1251');

function file(bytes: Uint8Array, o: Partial<ReadOptions> = {}): BooksFile {
  const r = readBooks(bytes, { ...opts, ...o });
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.file;
}

describe('decoding and separators', () => {
  it('reads Windows-1251 with `;`, Bulgarian headers, decimal commas and DD.MM.YYYY', () => {
    const text = 'Номер;Клиент;ЕИК;Сума;Валута;Издадена;Падеж\r\n0000000123;Строителна компания "Витоша" ООД;175074752;12 500,50;BGN;15.12.2025;14.01.2026\r\n0000000124;Бета ЕООД;;1.234,00;EUR;10.01.2026;\r\n';
    const bytes = cp1251(text);
    // It really is not UTF-8: the Cyrillic bytes are single bytes ≥ 0xC0.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const f = file(bytes);
    expect(f.encoding).toBe('windows-1251');
    expect(f.delimiter).toBe(';');
    expect(f.kind).toBe('invoices');
    expect(f.failures).toEqual([]);
    expect(f.rows.map((r) => [r.row, r.record])).toEqual([
      [2, { number: '0000000123', client: 'Строителна компания "Витоша" ООД', eik: '175074752', amountMinor: 1250050, currency: 'BGN', issued: '2025-12-15', due: '2026-01-14' }],
      [3, { number: '0000000124', client: 'Бета ЕООД', amountMinor: 123400, currency: 'EUR', issued: '2026-01-10' }],
    ]);
  });

  it('reads UTF-8 with a BOM and `,`; the BOM is not part of the first header', () => {
    const f = file(bom('name,eik,vat,contact\n"Алфа ООД",201170000,BG201170000,"Иван Петров, +359 88 123 4567"\n'));
    expect(f.encoding).toBe('utf-8');
    expect(f.delimiter).toBe(',');
    expect(f.kind).toBe('clients');
    expect(f.header[0]).toBe('name');
    expect(f.rows[0]!.record).toEqual({ name: 'Алфа ООД', eik: '201170000', vat: 'BG201170000', contact: 'Иван Петров, +359 88 123 4567' });
  });

  it('reads UTF-8 without a BOM', () => {
    const f = file(utf8('име;еик\nГама АД;131250001\n'));
    expect(f.encoding).toBe('utf-8');
    expect(f.rows[0]!.record).toEqual({ name: 'Гама АД', eik: '131250001' });
  });

  it('reads tab-separated files, UTF-16 ones (Excel\'s "Unicode text") too', () => {
    const text = 'invoice\tamount\tdate\treference\n0000000123\t1 250,50\t05.02.2026\tПН 4411\n';
    const a = file(utf8(text));
    expect(a.delimiter).toBe('\t');
    expect(a.kind).toBe('payments');
    expect(a.rows[0]!.record).toEqual({ invoice: '0000000123', amount: '1250.50', date: '2026-02-05', reference: 'ПН 4411' });
    const b = file(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    expect(b.encoding).toBe('utf-16le');
    expect(b.rows.map((r) => r.record)).toEqual(a.rows.map((r) => r.record));
  });

  it('takes the separator from the header line only, outside quotes', () => {
    expect(sniffDelimiter('"a;b",c,d\n1;2;3;4;5;6\n')).toBe(',');
    expect(sniffDelimiter('name\n"x;y"\n')).toBe(',');
    expect(sniffDelimiter('\n\nname;eik\n')).toBe(';');
    expect(sniffDelimiter('Име; Адрес, град\n')).toBe(';');
  });
});

describe('rows as a spreadsheet numbers them', () => {
  it('a quoted cell with line breaks (CRLF inside) is one row; blank lines count as rows and are skipped', () => {
    const text = 'name;contact;region\r\nАлфа ООД;"Иван Петров\r\nул. ""Раковски"" 12\r\nСофия";София\r\n\r\nБета ЕООД;;Пловдив\r\n;;\r\nГама АД;x;Варна';
    const f = file(utf8(text));
    expect(f.rows.map((r) => [r.row, (r.record as { name: string }).name])).toEqual([
      [2, 'Алфа ООД'],
      [4, 'Бета ЕООД'],
      [6, 'Гама АД'],
    ]);
    // Line breaks inside a cell fold into one line, as `/client set contact:` keeps it.
    expect(f.kind === 'clients' && f.rows[0]!.record.contact).toBe('Иван Петров ул. "Раковски" 12 София');
  });

  it('trims cells, quoted ones too', () => {
    const f = file(utf8('name , eik\n  "  Алфа ООД " ,  201170000  \n'));
    expect(f.rows[0]!.record).toEqual({ name: 'Алфа ООД', eik: '201170000' });
  });

  it('a row with more cells than the header fails with its row number', () => {
    const f = file(utf8('name,contact\nАлфа ООД,Иван,Петров\nБета,x\n'));
    expect(f.rows.map((r) => r.row)).toEqual([3]);
    expect(f.failures).toMatchObject([{ row: 2, problem: { kind: 'extra-cells', cells: 3, columns: 2 } }]);
  });
});

describe('the kind from the header', () => {
  it('knows each kind in English and Bulgarian, any case and spacing', () => {
    expect(file(utf8('NAME;Eik\nАлфа;\n')).kind).toBe('clients');
    expect(file(utf8('Наименование;Булстат;ДДС номер\nАлфа;;\n')).kind).toBe('clients');
    expect(file(utf8('Number;Client;Amount;Currency;Issued\n1;Алфа;1;EUR;2026-01-02\n')).kind).toBe('invoices');
    expect(file(utf8('№;Контрагент;Сума;Валута;Дата на издаване\n1;Алфа;1;EUR;02.01.2026\n')).kind).toBe('invoices');
    expect(file(utf8('Фактура;Сума;Дата на плащане;Основание\n1;1;02.01.2026;x\n')).kind).toBe('payments');
    expect(file(utf8('invoice_number;PAID;payment date\n1;1;02.01.2026\n')).kind).toBe('payments');
  });

  it('an invoices file whose `номер на фактура` and `дата` a payments file also knows is still invoices', () => {
    expect(file(utf8('Номер на фактура;Клиент;Сума;Валута;Дата\n1;Алфа;1;EUR;02.01.2026\n')).kind).toBe('invoices');
  });

  it('names the columns it does not read', () => {
    const f = file(utf8('name;eik;Адрес;\nАлфа;;ул. 1;\n'));
    expect(f.ignored).toEqual(['Адрес']);
  });

  it('refuses a file of no known kind, saying what it found and what each kind needs', () => {
    const r = readBooks(utf8('Артикул;Количество;Цена\nВинт;10;0,20\n'), opts);
    expect(r).toEqual({
      ok: false,
      refusal: {
        kind: 'unknown-kind',
        found: ['Артикул', 'Количество', 'Цена'],
        expected: { clients: ['name'], invoices: ['number', 'amount', 'currency', 'issued'], payments: ['invoice', 'amount', 'date'] },
      },
    });
  });

  it('names the missing columns of the kind the file was meant to be', () => {
    expect(readBooks(utf8('number;client;amount;issued\n1;Алфа;1;2026-01-02\n'), opts)).toMatchObject({ ok: false, refusal: { kind: 'missing-columns', fileKind: 'invoices', missing: ['currency'] } });
    expect(readBooks(utf8('eik;vat\n175074752;\n'), { ...opts, kind: 'clients' })).toMatchObject({ ok: false, refusal: { kind: 'missing-columns', fileKind: 'clients', missing: ['name'] } });
    // Given `--kind`, only that kind is tried.
    expect(readBooks(utf8('name;eik\nАлфа;\n'), { ...opts, kind: 'payments' })).toMatchObject({ ok: false, refusal: { kind: 'missing-columns', fileKind: 'payments' } });
  });

  it('refuses an invoices file with neither `client` nor `eik`, and a column given twice', () => {
    expect(readBooks(utf8('number;amount;currency;issued\n1;1;EUR;2026-01-02\n'), opts)).toMatchObject({ ok: false, refusal: { kind: 'no-client-column' } });
    expect(readBooks(utf8('name;Име\nА;Б\n'), opts)).toMatchObject({ ok: false, refusal: { kind: 'duplicate-column', column: 'name', headers: ['name', 'Име'] } });
  });

  it('refuses what is no CSV: empty, a workbook, binary, a quote never closed', () => {
    expect(readBooks(utf8(' \r\n'), opts)).toEqual({ ok: false, refusal: { kind: 'empty-file' } });
    expect(readBooks(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), opts)).toEqual({ ok: false, refusal: { kind: 'not-text', looksLike: 'xlsx' } });
    expect(readBooks(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), opts)).toEqual({ ok: false, refusal: { kind: 'not-text', looksLike: 'binary' } });
    expect(readBooks(utf8('name;contact\nАлфа;"Иван\nБета;x\n'), opts)).toMatchObject({ ok: false, refusal: { kind: 'malformed-csv', problem: 'quote-not-closed' } });
  });

  it('a header with no rows is a file with nothing in it, not an error', () => {
    const f = file(utf8('name;eik\r\n'));
    expect(f).toMatchObject({ kind: 'clients', rows: [], failures: [] });
  });
});

describe('the example files in docs/import', () => {
  it.each([
    ['clients', 'utf-8', ','],
    ['invoices', 'windows-1251', ';'],
    ['payments', 'utf-8', '\t'],
  ])('%s.csv reads as %s, %j-separated, every row valid', async (kind, encoding, delimiter) => {
    const { readFileSync } = await import('node:fs');
    const f = file(readFileSync(`docs/import/${kind}.csv`));
    expect([f.kind, f.encoding, f.delimiter, f.failures]).toEqual([kind, encoding, delimiter, []]);
    expect(f.rows.length).toBeGreaterThan(2);
  });
});
