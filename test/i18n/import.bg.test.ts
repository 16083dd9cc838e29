/**
 * The import of books in Bulgarian (SPEC §5 "Language", §6): a Bulgarian-speaking finance approver
 * shares a Windows-1251 CSV from the books in the DM with dealdesk, in an English workspace, and
 * reads the preview, its buttons, the progress, the result and the failed rows' CSV in Bulgarian:
 * no English sentence of the catalog, no code as stored, no file kind as a code. Every reason a
 * row or a file can fail for has its Bulgarian words.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileRefusal, ImportProblem } from '../../src/books/index.ts';
import type { WriteProblem } from '../../src/services/import.ts';
import { ACTION } from '../../src/slack/ids.ts';
import { describeFileRefusal, describeImportFailure, describeImportProblem, importNotes } from '../../src/slack/ui/import.ts';
import { englishIn, englishPhrases, prose } from '../helpers/bulgarian.ts';
import { dmHelpers } from '../helpers/dm.ts';
import { blockKitProblems, buttons, readable, startHarness, USERS, type Harness } from '../helpers/harness.ts';

const PHRASES = englishPhrases();
/** The file kinds and the columns' English keywords, as codes outside a code span. */
const KIND_CODES = /(^|[^a-z`])(clients|invoices|payments)([^a-z.`]|$)/;

/** Nothing English in what a person reads: the catalog's phrases, the stored codes, the file kinds. */
function expectBulgarian(what: string, v: unknown): void {
  const found = englishIn(v, PHRASES);
  expect({ what, ...found }).toEqual({ what, phrases: [], codes: [] });
  const text = prose(typeof v === 'string' ? v : readable(v));
  expect({ what, kind: KIND_CODES.exec(text)?.[2] }).toEqual({ what, kind: undefined });
}

/** One of each reason a row can fail for (a new code without its sample fails to compile here). */
const ROW_PROBLEMS: { [K in ImportProblem['kind']]: Extract<ImportProblem, { kind: K }>[] } = {
  missing: [
    { kind: 'missing', column: 'client' },
    { kind: 'missing', column: 'amount' },
    { kind: 'missing', column: 'issued' },
  ],
  'extra-cells': [{ kind: 'extra-cells', cells: 5, columns: 4 }],
  'bad-name': [{ kind: 'bad-name', column: 'name', refusal: { kind: 'starts-with-hash' } }],
  'bad-identity': [{ kind: 'bad-identity', column: 'eik', text: '175074753', refusal: { kind: 'bad-eik-checksum', field: 'eik' } }],
  'bad-owner': [{ kind: 'bad-owner', text: 'Иван' }],
  'too-long': [{ kind: 'too-long', column: 'name', length: 301, max: 200 }],
  'bad-size': [{ kind: 'bad-size', text: 'огромно' }],
  'bad-invoice-number': [{ kind: 'bad-invoice-number', column: 'number', text: 'Ф-12' }],
  'bad-currency': [{ kind: 'bad-currency', text: 'лв' }],
  'bad-amount': [
    { kind: 'bad-amount', column: 'amount', text: '1.2.3', currency: 'EUR', refusal: { kind: 'not-a-number', text: '1.2.3' } },
    { kind: 'bad-amount', column: 'margin', text: '1,234', currency: 'EUR', refusal: { kind: 'too-many-decimals', digits: 3 } },
  ],
  'bad-date': [{ kind: 'bad-date', column: 'due', text: '31.02.2026' }],
  'in-future': [{ kind: 'in-future', column: 'date', date: '2026-12-01', today: '2026-11-27' }],
  'due-before-issued': [{ kind: 'due-before-issued', issued: '2026-03-01', due: '2026-02-01' }],
  'currency-replaced': [
    { kind: 'currency-replaced', currency: 'BGN', since: '2026-01-01', use: 'EUR', dated: '2026-01-10' },
    { kind: 'currency-replaced', currency: 'HRK', since: '2023-01-01', use: 'EUR', dated: '2023-02-01' },
  ],
  'duplicate-in-file': (['eik', 'name', 'number', 'payment'] as const).map((key) => ({ kind: 'duplicate-in-file' as const, key, value: '0000000001', firstRow: 2 })),
  'unknown-client': [
    { kind: 'unknown-client', eik: '175074752', client: 'Алфа' },
    { kind: 'unknown-client', client: 'Бета ООД' },
  ],
  'client-mismatch': [{ kind: 'client-mismatch', eik: '175074752', eikClient: 'Алфа', client: 'Бета' }],
  'name-taken': [{ kind: 'name-taken', name: 'Алфа', holder: 'Алфа', holderEik: '175074752' }],
  'same-client-in-file': [{ kind: 'same-client-in-file', client: 'Алфа', firstRow: 3 }],
  'invoice-of-other-client': [
    { kind: 'invoice-of-other-client', number: '0000000001', client: 'Алфа' },
    { kind: 'invoice-of-other-client', number: '0000000001' },
  ],
  'amount-below-paid': [{ kind: 'amount-below-paid', number: '0000000001', paidMinor: 50_000, currency: 'EUR' }],
  'currency-of-paid-invoice': [{ kind: 'currency-of-paid-invoice', number: '0000000001', currency: 'EUR' }],
  'unknown-invoice': [{ kind: 'unknown-invoice', number: '0000000001' }],
  'payment-differs': [{ kind: 'payment-differs', invoice: '0000000001', reference: 'ПН 451', recorded: { amountMinor: 12_000, date: '2026-02-01' }, currency: 'EUR' }],
  'payment-refused': [
    { kind: 'payment-refused', invoice: '0000000001', currency: 'EUR', refusal: { kind: 'already-paid' } },
    { kind: 'payment-refused', invoice: '0000000001', currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 4000 } },
  ],
};
const WRITE_PROBLEMS: WriteProblem[] = (['client', 'eik', 'invoice', 'number'] as const).map((what) => ({ kind: 'changed-meanwhile', what }));
const FILE_REFUSALS: { [K in FileRefusal['kind']]: Extract<FileRefusal, { kind: K }>[] } = {
  'empty-file': [{ kind: 'empty-file' }],
  'not-text': (['xlsx', 'xls', 'pdf', 'binary'] as const).map((looksLike) => ({ kind: 'not-text' as const, looksLike })),
  'malformed-csv': (['quote-not-closed', 'bad-quote', 'other'] as const).map((problem) => ({ kind: 'malformed-csv' as const, line: 7, problem })),
  'unknown-kind': [
    { kind: 'unknown-kind', found: ['Артикул', 'Цена'], expected: { clients: ['name'], invoices: ['number'], payments: ['invoice'] } },
    { kind: 'unknown-kind', found: [''], expected: { clients: ['name'], invoices: ['number'], payments: ['invoice'] } },
  ],
  'ambiguous-kind': [{ kind: 'ambiguous-kind', found: ['Сума', 'Дата'], kinds: ['invoices', 'payments'] }],
  'missing-columns': [
    { kind: 'missing-columns', fileKind: 'invoices', missing: ['currency'], found: ['Номер', 'Клиент', 'Сума', 'Издадена'] },
    { kind: 'missing-columns', fileKind: 'payments', missing: ['amount', 'date'], found: [''] },
  ],
  'duplicate-column': [{ kind: 'duplicate-column', column: 'amount', headers: ['Номер', 'Сума', 'Сума'] }],
  'no-client-column': [{ kind: 'no-client-column', found: ['Номер', 'Сума'] }],
};

describe('every reason an import gives, in Bulgarian', () => {
  it('each row problem, write problem and file refusal has its Bulgarian sentence, with no English and no code', () => {
    const problems = [...Object.values(ROW_PROBLEMS).flat(), ...WRITE_PROBLEMS];
    for (const p of problems) {
      const bg = describeImportFailure(p, 'bg');
      expect(bg).not.toBe(describeImportFailure(p, 'en'));
      expectBulgarian(`row ${JSON.stringify(p)}`, bg);
    }
    for (const r of Object.values(FILE_REFUSALS).flat()) expectBulgarian(`file ${JSON.stringify(r)}`, describeFileRefusal(r, 'bg'));
    for (const n of importNotes({ ignored: ['Бележка'] }, 'bg')) expectBulgarian('notes', n);
  });

  it('names the columns, sizes and sums as a Bulgarian finance professional reads them', () => {
    expect(describeImportProblem({ kind: 'missing', column: 'amount' }, 'bg')).toBe('Няма стойност в „Сума“, а тя е задължителна.');
    expect(describeImportProblem({ kind: 'bad-size', text: 'огромно' }, 'bg')).toBe('„Размер“ `огромно` не е размер: напишете микро, малко, средно или голямо.');
    expect(describeImportProblem({ kind: 'too-long', column: 'name', length: 301, max: 200 }, 'bg')).toBe('Стойността в „Име“ е дълга 301 знака; допустими са най-много 200.');
    expect(describeImportProblem(ROW_PROBLEMS['payment-refused'][1]!, 'bg')).toBe('Това е повече от дължимото по фактура 0000000001: дължими са 40,00\u00a0€.');
    expect(describeImportProblem(ROW_PROBLEMS['currency-replaced'][0]!, 'bg')).toBe('България използва еврото от 01.01.2026: фактура, издадена на 10.01.2026, не може да е в BGN; напишете сумата в EUR.');
  });
});

describe('a Bulgarian-speaking finance approver shares a Windows-1251 CSV in the DM, over the wire', () => {
  let h: Harness;
  const { waitForBot, click } = dmHelpers(() => h);
  const cp1251 = (lines: string[]) => iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1251');

  beforeAll(async () => {
    // An English workspace: the finance approver and the seller chose Bulgarian for themselves.
    h = await startHarness();
    for (const user of [USERS.finance, USERS.seller]) expect(readable((await h.emu.slashCommand({ command: '/dealdesk', text: 'language bg', user_id: user })).body)).toContain('на български');
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => h.emu.reset());

  it('a clients file: the preview, Импортирай / Отказ, the progress, the result and the failed rows’ CSV, all in Bulgarian', { timeout: 60_000 }, async () => {
    const failing = [
      'Лош ЕИК ООД;175074753;;;;',
      'Размер ЕООД;;;;огромно;',
      ';131250001;;;;',
      'Собственик АД;;;Иван;;',
      'Строй Елит ООД;;;;малко;',
      ...Array.from({ length: 8 }, (_, i) => `Фирма ${i + 1} ООД;;;;гигантско;`),
    ];
    const bytes = cp1251(['Име;ЕИК;ДДС номер;Отговорник;Размер;Бележка', 'Строй Елит ООД;175074752;BG175074752;U0FINANCE;средно;стар клиент', 'Агро Тракия ЕООД;201170000;;;малко;', ...failing]);
    await h.emu.shareFile(USERS.finance, { name: 'клиенти.csv', bytes });
    const preview = await waitForBot(USERS.finance, (t) => t.includes('Ето какво ще направи импортирането му'));
    expect(blockKitProblems(preview)).toEqual([]);
    const text = readable(preview);
    expect(text).toContain('*клиенти.csv* е файл с клиенти.');
    expect(text).toContain('За създаване: *2* · за обновяване: *0* · без промяна: *0* · с грешка: *13*');
    expect(text).toContain('Колони, които не се четат: `Бележка`.');
    expect(text).not.toContain('не се съхраняват');
    expect(text).toContain('*Редове с грешка* (те не променят нищо):');
    expect(text).toContain('• ред 4: `eik:175074753` не е валиден ЕИК');
    expect(text).toContain('• ред 5: „Размер“ `огромно` не е размер: напишете микро, малко, средно или голямо.');
    expect(text).toContain('• ред 6: Няма стойност в „Име“, а тя е задължителна.');
    expect(text).toContain('• ред 7: „Отговорник“ `Иван` не е идентификатор на потребител в Slack');
    expect(text).toContain('• ред 8: Ред 2 вече съдържа клиента Строй Елит ООД');
    // Ten rows are named; the other three are counted with the count form after a numeral.
    expect(text).toContain('_…и още 3 реда._');
    expect(buttons(preview).map((b) => [b.action_id, b.text])).toEqual([
      [ACTION.importRun, 'Импортирай'],
      [ACTION.importCancel, 'Отказ'],
    ]);
    expectBulgarian('preview', preview);

    await click(USERS.finance, preview, ACTION.importRun);
    const upload = await h.emu.waitFor('files.completeUploadExternal', undefined, 20_000);
    await h.emu.waitFor('chat.update', (c) => String(c.args.text).startsWith('Импортиран е клиенти.csv'), 15_000);
    const updates = h.emu.callsTo('chat.update');
    expect(updates.every((c) => c.args.ts === preview.ts)).toBe(true);
    expect(String(updates[0]!.args.text)).toMatch(/^:hourglass_flowing_sand: Импортиране на клиенти\.csv/);
    for (const u of updates) expectBulgarian(`update ${String(u.args.text)}`, u.args);
    const done = readable(h.emu.message(USERS.finance, preview.ts));
    expect(done).toContain('Файлът *клиенти.csv* (клиенти) е импортиран. Редове – създадени: 2, обновени: 0, без промяна: 0, с грешка: 13.');
    expect(done).toContain('Редовете с грешка са в CSV файла по-долу');

    // The failed rows come back in the file's own encoding and separator, their reasons in Bulgarian.
    const fileId = upload.args.files[0].id;
    expect(h.emu.fileInfo(fileId)?.name).toBe('редове-с-грешка-клиенти.csv');
    expectBulgarian('upload', upload.args);
    const csv = iconv.decode(h.emu.uploads.get(fileId)!, 'windows-1251').trim().split('\r\n');
    expect(csv[0]).toBe('Ред;Име;ЕИК;ДДС номер;Отговорник;Размер;Бележка;Причина');
    expect(csv).toHaveLength(14);
    expect(csv[2]).toBe('5;Размер ЕООД;;;;огромно;;„Размер“ `огромно` не е размер: напишете микро, малко, средно или голямо.');
    for (const line of csv.slice(1)) expectBulgarian(`csv ${line}`, line.split(';').at(-1)!);
  });

  it('an invoices file with rows in error: every reason in Bulgarian; Затвори when there is nothing to write, and Отказ cancels in Bulgarian', { timeout: 60_000 }, async () => {
    const bytes = cp1251([
      'Номер;Клиент;ЕИК;Сума;Валута;Издадена;Падеж;Марж',
      '0000002001;Няма Такъв ООД;;100,00;EUR;05.01.2026;;',
      '0000002002;Агро Тракия ЕООД;;1.2.3;EUR;05.01.2026;;',
      '0000002003;Агро Тракия ЕООД;;100,00;лв;05.01.2026;;',
      '0000002004;Агро Тракия ЕООД;;100,00;BGN;05.01.2026;;',
      '0000002005;Агро Тракия ЕООД;;100,00;EUR;31.02.2026;;',
      '0000002006;Агро Тракия ЕООД;;100,00;EUR;05.03.2026;01.03.2026;',
      '0000002007;Агро Тракия ЕООД;;100,00;EUR;05.12.2026;;',
      'Ф-12;Агро Тракия ЕООД;;100,00;EUR;05.01.2026;;',
      '0000002008;Агро Тракия ЕООД;;100,00;;05.01.2026;;',
      '0000002009;Агро Тракия ЕООД;175074752;100,00;EUR;05.01.2026;;',
      '0000002010;Агро Тракия ЕООД;;100,00;EUR;05.01.2026;;абв',
    ]);
    await h.emu.shareFile(USERS.finance, { name: 'фактури.csv', bytes });
    const preview = await waitForBot(USERS.finance, (t) => t.includes('Ето какво ще направи импортирането му'));
    const text = readable(preview);
    expect(text).toContain('*фактури.csv* е файл с фактури.');
    expect(text).toContain('с грешка: *11*');
    expect(text).toContain('• ред 2: Няма клиент с име Няма Такъв ООД');
    expect(text).toContain('• ред 5: България използва еврото от 01.01.2026');
    expect(text).toContain('• ред 11: ЕИК 175074752 е на Строй Елит ООД, а редът посочва Агро Тракия ЕООД');
    expect(text).toContain('_…и още 1 ред._');
    expect(buttons(preview).map((b) => b.text)).toEqual(['Затвори']);
    expectBulgarian('invoices preview', preview);
    await click(USERS.finance, preview, ACTION.importCancel);
    await h.emu.waitFor('chat.update');
    const cancelled = h.emu.message(USERS.finance, preview.ts);
    expect(readable(cancelled)).toContain('Отказано: нищо от този файл не е импортирано.');
    expectBulgarian('cancelled', cancelled);
  });

  it('a refused file, an over-20 MB file and a seller’s file get their answers in Bulgarian', { timeout: 60_000 }, async () => {
    await h.emu.shareFile(USERS.finance, { name: 'бележки.csv', bytes: cp1251(['Артикул;Цена', 'Винт;0,20']) });
    const refused = await waitForBot(USERS.finance, (t) => t.includes('Нищо не е импортирано'));
    expect(readable(refused)).toContain('По заглавния ред (`Артикул`, `Цена`) не мога да разбера какво съдържа файлът.');
    expectBulgarian('refused', refused);

    await h.emu.shareFile(USERS.finance, { name: 'огромен.csv', bytes: Buffer.alloc(21 * 1024 * 1024, 0x61) });
    const big = await waitForBot(USERS.finance, (t) => t.includes('огромен.csv'));
    expect(readable(big)).toContain('огромен.csv е 21,0 МБ, а импортирам файлове до 20,0 МБ.');
    expectBulgarian('too large', big);

    await h.emu.shareFile(USERS.seller, { name: 'клиенти.csv', bytes: cp1251(['Име', 'Алфа ООД']) });
    const no = await waitForBot(USERS.seller, (t) => t.includes('Благодаря за файла'));
    expect(readable(no)).toContain('за администраторите и одобряващите от финансовата служба');
    expectBulgarian('not allowed', no);
  });

  it('export sends the list to the DM and says so in Bulgarian, with the count of clients', { timeout: 60_000 }, async () => {
    const ack = await h.emu.slashCommand({ command: '/client', text: 'list export', user_id: USERS.finance });
    expect(readable(ack.body)).toContain('Подготвям clients.csv');
    const said = await h.emu.waitForResponse((p) => readable(p.body).includes('Изпратих'), 30_000);
    expect(readable(said.body)).toContain('Изпратих *clients.csv* (2 клиенти) в личните ни съобщения.');
    expectBulgarian('export', said.body);
    const none = await h.emu.slashCommand({ command: '/invoice', text: 'list overdue export', user_id: USERS.finance });
    expectBulgarian('export ack', none.body);
    const empty = await h.emu.waitForResponse((p) => readable(p.body).includes('Няма просрочени фактури'), 30_000);
    expect(readable(empty.body)).toContain('Няма просрочени фактури по този филтър, така че няма какво да се експортира.');
  });

  it('an admin who chose nothing still reads the English preview (the workspace’s language)', { timeout: 60_000 }, async () => {
    await h.emu.shareFile(USERS.admin, { name: 'clients.csv', bytes: cp1251(['Име;ЕИК', 'Лев Инвест ООД;131250001']) });
    const preview = await waitForBot(USERS.admin, (t) => t.includes('Importing it would do this'));
    expect(readable(preview)).toContain('*clients.csv* is a clients file.');
    expect(buttons(preview).map((b) => b.text)).toEqual(['Import', 'Cancel']);
  });
});
