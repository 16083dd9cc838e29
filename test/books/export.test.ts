import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  BULGARIAN_BOOKS,
  clientRecordOf,
  failedRowsCsv,
  fitsWindows1251,
  invoiceRecordOf,
  neutralise,
  normaliseLine,
  paymentRecordOf,
  planRows,
  readBooks,
  toCsv,
  type ClientRecord,
  type CsvOptions,
  type InvoiceRecord,
  type Kind,
  type PaymentRecord,
  type RecordOf,
} from '../../src/books/index.ts';
import { validateName } from '../../src/domain/names.ts';
import { describeImportProblem } from '../../src/slack/ui/import.ts';

const today = '2026-03-01';

function back<K extends Kind>(kind: K, bytes: Uint8Array): RecordOf[K][] {
  const r = readBooks(bytes, { today, kind });
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  if (r.file.failures.length > 0) throw new Error(`failed rows: ${JSON.stringify(r.file.failures)}`);
  return r.file.rows.map((x) => x.record) as RecordOf[K][];
}

describe('formula cells are neutralised', () => {
  it("a cell beginning with =, +, -, @, tab or CR gets a leading '", () => {
    expect(['=SUM(A1)', '+359', '-Alpha', '@here', '\tx', '\rx', 'Alpha', "'t Hooft", "'=x"].map(neutralise)).toEqual(["'=SUM(A1)", "'+359", "'-Alpha", "'@here", "'\tx", "'\rx", 'Alpha', "'t Hooft", "''=x"]);
  });

  it('in an exported file, and the file imports back to the same values', () => {
    const clients: ClientRecord[] = [
      { name: '=HYPERLINK("http://x","y")', contact: '+359 88 123 4567' },
      { name: '-Alpha', contact: '@boss' },
      { name: "'=already quoted" },
    ];
    const text = toCsv('clients', clients).bytes.toString('utf-8');
    const lines = text.replace(/^\uFEFF/u, '').split('\r\n');
    expect(lines.slice(1, 4)).toEqual([`"'=HYPERLINK(""http://x"",""y"")",,,,'+359 88 123 4567,,,`, "'-Alpha,,,,'@boss,,,", "''=already quoted,,,,,,,"]);
    expect(back('clients', Buffer.from(text))).toEqual(clients);
  });

  it('a negative margin survives the trip', () => {
    const inv: InvoiceRecord = { number: '0000000001', client: 'Алфа', amountMinor: 100, currency: 'EUR', issued: '2026-01-05', marginMinor: -2550 };
    const bytes = toCsv('invoices', [inv]).bytes;
    expect(bytes.toString('utf-8')).toContain(",'-25.50,");
    expect(back('invoices', bytes)).toEqual([inv]);
  });
});

describe('export formats', () => {
  const inv: InvoiceRecord = { number: '0000000042', client: 'Строй "Витоша" ООД', eik: '175074752', amountMinor: 1250050, currency: 'EUR', issued: '2026-01-05', due: '2026-02-04', marginMinor: 30000, line: 'стомана' };

  it('English headers, `,`, UTF-8 with a BOM, YYYY-MM-DD and `.` by default', () => {
    const b = toCsv('invoices', [inv]).bytes;
    expect([...b.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(b.subarray(3).toString('utf-8')).toBe('number,client,eik,amount,currency,issued,due,margin,line\r\n0000000042,"Строй ""Витоша"" ООД",175074752,12500.50,EUR,2026-01-05,2026-02-04,300.00,стомана\r\n');
  });

  it('as Bulgarian books write them: Bulgarian headers, `;`, Windows-1251, DD.MM.YYYY and decimal commas', () => {
    const f = toCsv('invoices', [inv], BULGARIAN_BOOKS);
    expect(f.lossy).toEqual([]);
    expect(iconv.decode(f.bytes, 'windows-1251')).toBe('Номер;Клиент;ЕИК;Сума;Валута;Издадена;Падеж;Марж;Продуктова линия\r\n0000000042;"Строй ""Витоша"" ООД";175074752;12500,50;EUR;05.01.2026;04.02.2026;300,00;стомана\r\n');
    expect(back('invoices', f.bytes)).toEqual([inv]);
  });

  it('says which rows Windows-1251 cannot hold', () => {
    expect(toCsv('clients', [{ name: 'Алфа' }, { name: 'Café 🍰' }], BULGARIAN_BOOKS).lossy).toEqual([3]);
  });

  it('what the database holds exports and plans back as unchanged', () => {
    const client = { id: 1, name: 'Алфа ООД', eik: '175074752', vat: 'BG175074752', owner: 'U01', contact: 'Иван' };
    const invoice = { id: 5, number: '0000000007', clientId: 1, amountMinor: 100000, currency: 'BGN', issued: '2025-12-10', due: '2026-01-09', marginMinor: -500, line: 'услуги', paidMinor: 30000 };
    const payments = [{ id: 9, amountMinor: 30000, date: '2026-01-05', reference: null }];
    const known = { clients: [client], invoices: new Map([[invoice.number, invoice]]), payments: new Map([[invoice.number, payments]]) };
    const files = [toCsv('clients', [clientRecordOf(client)], BULGARIAN_BOOKS), toCsv('invoices', [invoiceRecordOf(invoice, client)]), toCsv('payments', payments.map((p) => paymentRecordOf(invoice.number, p, invoice.currency)), BULGARIAN_BOOKS)];
    for (const f of files) {
      const r = readBooks(f.bytes, { today });
      expect(r.ok).toBe(true);
      if (r.ok) expect(planRows(r.file, known).counts).toEqual({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    }
  });

  it('returns failed rows as a CSV in the file\'s own encoding and separator, with the row and the reason', () => {
    const r = readBooks(iconv.encode('Име;ЕИК\r\nАлфа;175074753\r\nБета;\r\n', 'windows-1251'), { today });
    if (!r.ok) throw new Error('refused');
    const out = failedRowsCsv(r.file, r.file.failures, describeImportProblem, { row: 'Ред', problem: 'Проблем' });
    expect(iconv.decode(out.bytes, 'windows-1251')).toBe('Ред;Име;ЕИК;Проблем\r\n2;Алфа;175074753;`eik:175074753` is not a valid ЕИК: its check digit does not match (9 or 13 digits).\r\n');
  });
});

describe('round trip: an exported file imports back to the same records', () => {
  // Values as the import produces them: trimmed, one line, names that validateName keeps as they are.
  const text = (max: number) =>
    fc
      .string({ unit: fc.constantFrom(...'Аа Бб-=+@\'",;\tЯя.0&()Ltd№'.split(''), 'ё', 'É', '€'), minLength: 1, maxLength: max })
      .map((s) => s.replace(/\s+/gu, ' ').trim())
      .filter((s) => s !== '');
  const name = text(30).filter((s) => {
    const v = validateName(s);
    return v.ok && v.name === s;
  });
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const date = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  const client: fc.Arbitrary<ClientRecord> = fc
    .record({ name, eik: opt(fc.constantFrom('175074752', '201170000', '1750747520004')), vat: opt(fc.constantFrom('BG175074752', 'BG7501010010')), owner: opt(fc.constantFrom('U0123', 'W9ZZ')), contact: opt(text(40)), industry: opt(text(20)), region: opt(text(20)), size: opt(fc.constantFrom('micro', 'small', 'medium', 'large' as const)) })
    .map(strip);
  const invoice = (n: number): fc.Arbitrary<InvoiceRecord> =>
    fc
      .record({ client: name, eik: opt(fc.constantFrom('175074752', '201170000')), amountMinor: fc.integer({ min: 1, max: 10 ** 12 }), currency: fc.constantFrom('EUR', 'BGN', 'USD', 'JPY', 'KWD'), issued: date, dueIn: opt(fc.integer({ min: 0, max: 120 })), marginMinor: opt(fc.integer({ min: -(10 ** 9), max: 10 ** 9 })), line: opt(text(20).map(normaliseLine)) })
      .map(({ dueIn, ...r }) => strip({ ...r, number: String(n).padStart(10, '0'), due: dueIn === undefined ? undefined : new Date(Date.parse(r.issued) + dueIn * 86400000).toISOString().slice(0, 10) }));
  const payment: fc.Arbitrary<PaymentRecord> = fc
    .record({ invoice: fc.integer({ min: 1, max: 9999999999 }).map((n) => String(n).padStart(10, '0')), minor: fc.integer({ min: 1, max: 10 ** 12 }), date, reference: opt(text(30)) })
    .map(({ minor, ...p }) => strip({ ...p, amount: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}` }));

  const formats: CsvOptions[] = [{}, BULGARIAN_BOOKS, { delimiter: '\t', bom: false }, { delimiter: ';', decimal: ',', dates: 'bg' }];
  const unique = <T>(rs: T[], key: (r: T) => string) => rs.filter((r, i) => rs.findIndex((o) => key(o) === key(r)) === i);
  const fits = (rs: object[]) => rs.every((r) => Object.values(r).every((v) => typeof v !== 'string' || fitsWindows1251(v)));

  it('clients', () => {
    fc.assert(
      fc.property(fc.array(client, { maxLength: 6 }), fc.constantFrom(...formats), (rs, o) => {
        const records = unique(rs, (r) => r.name.toLowerCase()).filter((r, i, all) => !r.eik || all.findIndex((x) => x.eik === r.eik) === i);
        if (o.encoding === 'windows-1251' && !fits(records)) return;
        expect(back('clients', toCsv('clients', records, o).bytes)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('invoices', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 99 }).chain(invoice), { maxLength: 6 }), fc.constantFrom(...formats), (rs, o) => {
        // BGN is for invoices issued before the changeover only, which the dates are.
        const records = unique(rs, (r) => r.number);
        if (o.encoding === 'windows-1251' && !fits(records)) return;
        expect(back('invoices', toCsv('invoices', records, o).bytes)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('payments', () => {
    fc.assert(
      fc.property(fc.array(payment, { maxLength: 6 }), fc.constantFrom(...formats), (rs, o) => {
        const records = unique(rs, (r) => `${r.invoice}|${r.reference ?? `${r.date}|${r.amount}`}`);
        if (o.encoding === 'windows-1251' && !fits(records)) return;
        expect(back('payments', toCsv('payments', records, o).bytes)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });
});
