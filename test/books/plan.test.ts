import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRows, readBooks, toCsv, type BooksFile, type ClientRecord, type Known, type KnownClient, type KnownInvoice, type KnownPayment, type Plan } from '../../src/books/index.ts';

const today = '2026-03-01';
function read(text: string): BooksFile {
  const r = readBooks(Buffer.from(text, 'utf-8'), { today });
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.file;
}
const actions = (p: Plan) => p.steps.map((s) => [s.row, s.action]);
const failures = (p: Plan) => p.failures.map((f) => [f.row, f.problem]);

const alfa: KnownClient = { id: 1, name: 'Алфа ООД', eik: '175074752', vat: null, owner: 'U1', contact: 'Иван' };
const beta: KnownClient = { id: 2, name: 'Бета ЕООД', eik: null, vat: null, owner: 'U2', contact: null };

/** What a writer would do with a plan, on an in-memory copy of the database. */
class Books {
  clients = new Map<number, KnownClient>();
  invoices = new Map<string, KnownInvoice>();
  payments = new Map<string, KnownPayment[]>();
  private next = 100;
  constructor(clients: KnownClient[] = [], invoices: KnownInvoice[] = []) {
    for (const c of clients) this.clients.set(c.id, { ...c });
    for (const i of invoices) this.invoices.set(i.number, { ...i });
  }
  known(): Known {
    return { clients: [...this.clients.values()], invoices: this.invoices, payments: this.payments };
  }
  apply(plan: Plan): void {
    if (plan.kind === 'clients')
      for (const s of plan.steps) {
        if (s.action === 'create') this.clients.set(this.next, { id: this.next++, vat: null, contact: null, owner: 'UACTOR', ...s.record, eik: s.record.eik ?? null });
        if (s.action === 'update') Object.assign(this.clients.get(s.id)!, s.patch);
      }
    if (plan.kind === 'invoices')
      for (const s of plan.steps) {
        if (s.action === 'create') this.invoices.set(s.record.number, { id: this.next++, clientId: s.clientId, paidMinor: 0, marginMinor: null, line: null, ...s.record, due: s.record.due ?? '2026-12-31' });
        if (s.action === 'update') Object.assign(this.invoices.get(s.record.number)!, s.patch);
      }
    if (plan.kind === 'payments')
      for (const s of plan.steps) {
        if (s.action !== 'create') continue;
        this.payments.set(s.record.invoice, [...(this.payments.get(s.record.invoice) ?? []), { id: this.next++, amountMinor: s.amountMinor, date: s.record.date, reference: s.record.reference ?? null }]);
        this.invoices.get(s.record.invoice)!.paidMinor += s.amountMinor;
      }
  }
}

describe('planRows: clients', () => {
  it('creates, updates the fields that change, leaves the rest; keyed by ЕИК, else by name', () => {
    const f = read(['name;eik;contact;owner', 'Алфа ООД;175074752;Иван;', 'Бета ЕООД;;Мария;U09', 'Гама АД;201170000;;', 'Alfa Ltd;175074752;;'].join('\n'));
    // Row 5 duplicates row 2's ЕИК: it failed while reading and is carried over.
    const p = planRows(f, { clients: [alfa, beta] });
    expect(actions(p)).toEqual([
      [2, 'unchanged'],
      [3, 'update'],
      [4, 'create'],
    ]);
    expect(p.steps[1]).toMatchObject({ id: 2, patch: { contact: 'Мария', owner: 'U09' }, before: { contact: undefined, owner: 'U2' } });
    expect(p.counts).toEqual({ created: 1, updated: 1, unchanged: 1, failed: 1 });
  });

  it('a client found by ЕИК may be renamed, but not to another client\'s name; a name found may not carry another ЕИК', () => {
    const p = planRows(read(['name;eik', 'Алфа Холдинг ООД;175074752', 'Бета ЕООД;201170000'].join('\n')), { clients: [alfa, { ...beta, eik: '131250001' }] });
    expect(p.steps[0]).toMatchObject({ action: 'update', patch: { name: 'Алфа Холдинг ООД' } });
    expect(failures(p)).toEqual([[3, { kind: 'name-taken', name: 'Бета ЕООД', holder: 'Бета ЕООД', holderEik: '131250001' }]]);
    const q = planRows(read('name;eik\nБета ЕООД;175074752\n'), { clients: [alfa, beta] });
    expect(failures(q)).toEqual([[2, { kind: 'name-taken', name: 'Бета ЕООД', holder: 'Бета ЕООД', holderEik: null }]]);
  });

  it('a rename frees the old name for another row, whichever comes first; the steps come in an order the unique index allows', () => {
    const p = planRows(read(['name;eik', 'Алфа ООД;', 'Нова Алфа ООД;175074752'].join('\n')), { clients: [alfa] });
    expect(actions(p)).toEqual([
      [3, 'update'],
      [2, 'create'],
    ]);
    // A chain: Алфа takes Бета's name once Бета has taken a new one.
    const betaEik = { ...beta, eik: '201170000' };
    const q = planRows(read(['name;eik', 'Бета ЕООД;175074752', 'Бета Холдинг;201170000'].join('\n')), { clients: [alfa, betaEik] });
    expect(actions(q)).toEqual([
      [3, 'update'],
      [2, 'update'],
    ]);
  });

  it('names passed round in a circle cannot be written one at a time, and fail', () => {
    const p = planRows(read(['name;eik', 'Бета ЕООД;175074752', 'Алфа ООД;201170000'].join('\n')), { clients: [alfa, { ...beta, eik: '201170000' }] });
    expect(p.steps).toEqual([]);
    expect(failures(p).map(([row, x]) => [row, (x as { kind: string }).kind])).toEqual([
      [2, 'name-taken'],
      [3, 'name-taken'],
    ]);
  });
});

describe('planRows: invoices', () => {
  const held: KnownInvoice = { id: 7, number: '0000000001', clientId: 1, clientName: 'Алфа ООД', amountMinor: 10000, currency: 'EUR', issued: '2026-01-05', due: '2026-02-04', marginMinor: null, line: null, paidMinor: 4000 };
  const head = 'number;client;eik;amount;currency;issued;due';

  it('finds the client by ЕИК (the name may be spelt otherwise) or by name, and refuses an unknown one', () => {
    const p = planRows(read([head, '2;АЛФА ООД;;1;EUR;2026-01-05;', '3;Alfa OOD;175074752;1;EUR;2026-01-05;', '4;Гама;;1;EUR;2026-01-05;', '5;;201170000;1;EUR;2026-01-05;', '6;Бета ЕООД;175074752;1;EUR;2026-01-05;'].join('\n')), { clients: [alfa, beta] });
    expect(p.steps).toMatchObject([
      { row: 2, action: 'create', clientId: 1 },
      { row: 3, action: 'create', clientId: 1 },
    ]);
    expect(failures(p)).toEqual([
      [4, { kind: 'unknown-client', client: 'Гама' }],
      [5, { kind: 'unknown-client', eik: '201170000' }],
      [6, { kind: 'client-mismatch', client: 'Бета ЕООД', eik: '175074752', eikClient: 'Алфа ООД' }],
    ]);
  });

  it('updates a known invoice, never below what is paid, never another client\'s', () => {
    const known = { clients: [alfa, beta], invoices: new Map([[held.number, held]]) };
    expect(planRows(read(`${head}\n1;Алфа ООД;;100,00;EUR;2026-01-05;2026-02-04\n`), known).steps).toMatchObject([{ action: 'unchanged', id: 7 }]);
    expect(planRows(read(`${head}\n1;Алфа ООД;;120;EUR;05.01.2026;\n`), known).steps).toMatchObject([{ action: 'update', id: 7, patch: { amountMinor: 12000 }, before: { amountMinor: 10000 } }]);
    expect(failures(planRows(read(`${head}\n1;Алфа ООД;;30;EUR;2026-01-05;\n`), known))).toEqual([[2, { kind: 'amount-below-paid', number: '0000000001', paidMinor: 4000, currency: 'EUR' }]]);
    expect(failures(planRows(read(`${head}\n1;Алфа ООД;;100;USD;2026-01-05;\n`), known))).toEqual([[2, { kind: 'currency-of-paid-invoice', number: '0000000001', currency: 'EUR' }]]);
    expect(failures(planRows(read(`${head}\n1;Бета ЕООД;;100;EUR;2026-01-05;\n`), known))).toEqual([[2, { kind: 'invoice-of-other-client', number: '0000000001', client: 'Алфа ООД' }]]);
  });
});

describe('planRows: payments', () => {
  const inv = (number: string, amountMinor: number, currency = 'EUR', paidMinor = 0): KnownInvoice => ({ id: Number(number), number, clientId: 1, amountMinor, currency, issued: '2026-01-05', due: '2026-02-04', marginMinor: null, line: null, paidMinor });

  it('reads the amount in the invoice\'s currency and never pays more than is owed, counting the file\'s own rows', () => {
    const books = new Books([alfa], [inv('0000000001', 10000), inv('0000000002', 500, 'JPY')]);
    const p = planRows(read(['invoice;amount;date;reference', '1;60;2026-01-10;A', '1;40,01;2026-01-11;B', '1;40;2026-01-11;C', '1;1;2026-01-12;D', '2;1,5;2026-01-12;', '3;1;2026-01-12;'].join('\n')), books.known());
    expect(p.steps).toMatchObject([
      { row: 2, action: 'create', amountMinor: 6000, currency: 'EUR', invoiceId: 1 },
      { row: 4, action: 'create', amountMinor: 4000 },
    ]);
    expect(failures(p)).toEqual([
      [3, { kind: 'payment-refused', invoice: '0000000001', currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 4000 } }],
      [5, { kind: 'payment-refused', invoice: '0000000001', currency: 'EUR', refusal: { kind: 'already-paid' } }],
      // The amount as the import keeps it (canonicalAmount): two places, whatever the file wrote.
      [6, { kind: 'bad-amount', column: 'amount', text: '1.50', currency: 'JPY', refusal: { kind: 'too-many-decimals', digits: 0 } }],
      [7, { kind: 'unknown-invoice', number: '0000000003' }],
    ]);
  });

  it('a recorded payment is unchanged; one whose reference is recorded with other figures fails, since payments are never edited', () => {
    const books = new Books([alfa], [inv('0000000001', 10000, 'EUR', 3000)]);
    books.payments.set('0000000001', [
      { id: 51, amountMinor: 1000, date: '2026-01-10', reference: 'ПН-1' },
      { id: 52, amountMinor: 2000, date: '2026-01-11', reference: 'typed in Slack' },
    ]);
    const p = planRows(read(['invoice;amount;date;reference', '1;10;2026-01-10;ПН-1', '1;20;2026-01-11;', '1;20;2026-01-11;ПН-2', '1;11;2026-01-10;ПН-1'].join('\n')), books.known());
    // Row 5 repeats row 2's key (invoice + reference) and failed while reading.
    expect(actions(p)).toEqual([
      [2, 'unchanged'],
      [3, 'unchanged'],
      [4, 'create'],
    ]);
    expect(p.steps[0]).toMatchObject({ id: 51 });
    const q = planRows(read('invoice;amount;date;reference\n1;11;2026-01-10;ПН-1\n'), books.known());
    expect(failures(q)).toEqual([[2, { kind: 'payment-differs', invoice: '0000000001', reference: 'ПН-1', recorded: { amountMinor: 1000, date: '2026-01-10' }, currency: 'EUR' }]]);
  });
});

describe('the same file twice changes nothing', () => {
  it('clients, invoices and payments: planned, written, planned again → all unchanged, the failures the same', () => {
    const books = new Books([alfa, beta]);
    const files = [
      read(['name;eik;vat;contact;owner;size', 'Алфа ООД;175074752;;Иван Петров;U7;', 'Бета ЕООД;201170000;BG201170000;;;medium', 'Гама АД;;;;;', 'Делта;bad;;;;'].join('\n')),
      read(['number;client;eik;amount;currency;issued;due;margin;line', '1;;175074752;1 000,00;EUR;2026-01-05;;12,5;Стомана', '2;Гама АД;;200;USD;2025-12-01;2025-12-31;;', '3;Нема;;1;EUR;2026-01-05;;;'].join('\n')),
      read(['invoice;amount;date;reference', '1;400;2026-01-10;ПН-1', '1;100;2026-01-11;', '2;50;2026-01-12;', '9;1;2026-01-12;'].join('\n')),
    ];
    for (const f of files) {
      const first = planRows(f, books.known());
      books.apply(first);
      const again = planRows(f, books.known());
      expect(again.steps.every((s) => s.action === 'unchanged')).toBe(true);
      expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: first.counts.created + first.counts.updated + first.counts.unchanged, failed: first.counts.failed });
      expect(again.failures.map((x) => x.row)).toEqual(first.failures.map((x) => x.row));
    }
    expect(books.invoices.get('0000000001')!.paidMinor).toBe(50000);
  });

  const names = ['Алфа ООД', 'алфа ООД', 'Бета ЕООД', 'Гама АД', 'Delta Ltd', 'Ерго'];
  const eiks = ['175074752', '201170000', '131250001', '831050009'];
  const row = fc.record({ name: fc.constantFrom(...names), eik: fc.option(fc.constantFrom(...eiks), { nil: undefined }), contact: fc.option(fc.constantFrom('Иван', 'Мария', '+359 2 123'), { nil: undefined }) });

  it('property: any clients file, against any database, plans nothing but unchanged the second time', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), fc.array(row, { maxLength: 4 }), (existing, rows) => {
        const books = new Books();
        books.apply(planRows(read(toCsvText(existing)), books.known()));
        const f = read(toCsvText(rows));
        books.apply(planRows(f, books.known()));
        const again = planRows(f, books.known());
        expect(again.steps.filter((s) => s.action !== 'unchanged')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

function toCsvText(rows: ClientRecord[]): string {
  return toCsv('clients', rows).bytes.toString('utf-8');
}
