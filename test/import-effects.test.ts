/**
 * What an import from the books leaves behind (SPEC §6): the client attributes stored as
 * `/client set` stores them, the App Home of the people whose data changed refreshed once each,
 * and a payment that pays an invoice in full doing what `/invoice pay` does.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../src/slack/ids.ts';
import { buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';
import { signedContract } from './helpers/contracts.ts';
import { dmHelpers } from './helpers/dm.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
  h.clock.ms = Date.parse('2026-11-27T10:00:00Z');
});
afterAll(() => h?.close());
beforeEach(() => h.emu.reset());

const say = async (command: string, text: string, user_id: string = USERS.seller) => readable((await h.emu.slashCommand({ command, text, user_id })).body);
const { botMessages, waitForBot } = dmHelpers(() => h);
/** Share a file in finance's DM and wait for its preview. */
const preview = async (name: string, text: string) => {
  await h.emu.shareFile(USERS.finance, { name, bytes: Buffer.from(text) });
  return waitForBot(USERS.finance, (t) => t.includes(name) && (t.includes('Importing it would do this') || t.includes('Nothing was imported')));
};
/** Share, preview, click Import, and wait for the result in the preview's place. */
const importFile = async (name: string, text: string) => {
  const p = await preview(name, text);
  const b = buttons(p).find((x) => x.action_id === ACTION.importRun);
  if (!b) throw new Error(`no Import button: ${readable(p)}`);
  await h.emu.blockAction({ action_id: ACTION.importRun, value: b.value, user_id: USERS.finance, channel_id: `D${USERS.finance}`, message_ts: p.ts, message: p });
  await h.emu.waitFor('chat.update', (c) => String(c.args.text).startsWith(`Imported ${name}`), 30_000);
  return readable(h.emu.message(USERS.finance, p.ts));
};
const settle = async () => {
  const undelivered = async () => Number((await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n);
  for (let i = 0; i < 200 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
};
const homes = (user: string) => h.emu.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === user);

describe('an import stores the client attributes', () => {
  const FILE = `name,owner,industry,region,size\nAttr One OOD,${USERS.seller},logistics,Sofia,small\nAttr Two OOD,${USERS.seller2},Строителство,Пловдив,голямо\n`;

  it('industry, region and size are stored as /client set stores them; the same file again is unchanged', async () => {
    expect(await importFile('attrs.csv', FILE)).toContain('created 2, updated 0, unchanged 0, failed 0');
    expect(readable(h.emu.message(USERS.finance, botMessages(USERS.finance)[0]!.ts))).not.toContain('not stored');
    expect(await h.rows(sql`SELECT name AS "name", industry AS "industry", region AS "region", size AS "size" FROM clients WHERE name LIKE 'Attr%' ORDER BY id`)).toEqual([
      { name: 'Attr One OOD', industry: 'logistics', region: 'Sofia', size: 'small' },
      { name: 'Attr Two OOD', industry: 'Строителство', region: 'Пловдив', size: 'large' },
    ]);
    h.emu.reset();
    expect(readable(await preview('attrs.csv', FILE))).toContain('To create: *0* · to update: *0* · unchanged: *2* · failed: *0*');
  });

  it('a changed attribute updates that client (audited); a size /client set refuses fails the row', async () => {
    const changed = `name,region,size\nAttr One OOD,Varna,small\nAttr Two OOD,,huge\n`;
    const done = await importFile('attrs2.csv', changed);
    expect(done).toContain('created 0, updated 1, unchanged 0, failed 1');
    expect(done).toMatch(/row 3: .*huge/);
    expect(await h.rows(sql`SELECT region AS "region", size AS "size" FROM clients WHERE name LIKE 'Attr%' ORDER BY id`)).toEqual([
      { region: 'Varna', size: 'small' },
      { region: 'Пловдив', size: 'large' },
    ]);
    expect(await say('/client', 'history Attr One OOD')).toContain('Varna');
    // The words /client set takes are the words an import takes, and the other way round.
    expect(await say('/client', 'set Attr One OOD size:huge')).toMatch(/huge/);
    expect(readable(await preview('attrs3.csv', 'name,size\nAttr One OOD,малък\n'))).toContain('To create: *0* · to update: *0* · unchanged: *1* · failed: *0*');
    expect(await say('/client', 'set Attr Two OOD size:малък')).toContain('small');
  });

  it('/client list export writes them, and that file imports back with nothing changed', async () => {
    const ack = await h.emu.slashCommand({ command: '/client', text: 'list export', user_id: USERS.finance });
    expect(readable(ack.body)).toMatch(/Preparing/);
    const upload = await h.emu.waitFor('files.completeUploadExternal', undefined, 30_000);
    const csv = new TextDecoder().decode(h.emu.uploads.get(upload.args.files[0].id)).replace(/^\uFEFF/, '');
    expect(csv).toContain(`Attr One OOD,,,${USERS.seller},,logistics,Varna,small`);
    h.emu.reset();
    expect(readable(await preview('clients.csv', csv))).toContain('To create: *0* · to update: *0* · unchanged: *2* · failed: *0*');
  });
});

describe('after an import', () => {
  it('Import plans again against the database as it is then, not as the preview found it', async () => {
    const p = await preview('later.csv', 'name\nLater One OOD\nLater Two OOD\n');
    expect(readable(p)).toContain('To create: *2*');
    // Someone adds one of them between the preview and the click.
    expect(await say('/client', 'add Later Two OOD')).toContain('Later Two OOD');
    const b = buttons(p).find((x) => x.action_id === ACTION.importRun)!;
    await h.emu.blockAction({ action_id: ACTION.importRun, value: b.value, user_id: USERS.finance, channel_id: `D${USERS.finance}`, message_ts: p.ts, message: p });
    await h.emu.waitFor('chat.update', (c) => String(c.args.text).startsWith('Imported later.csv'), 30_000);
    // Found by name now, so there is nothing to write for it.
    expect(readable(h.emu.message(USERS.finance, p.ts))).toContain('created 1, updated 0, unchanged 1, failed 0');
  });


  it('the App Home of each person whose clients or invoices changed is refreshed once', async () => {
    // Home is published only to people who opened it.
    for (const u of [USERS.seller, USERS.seller2]) await h.emu.event({ type: 'app_home_opened', user: u, tab: 'home', channel: `D${u}` });
    await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller2);
    await settle();
    h.emu.reset();
    // More rows than one write transaction takes: still one refresh each.
    const rows = Array.from({ length: 1100 }, (_, i) => `${String(7_000_000 + i).padStart(10, '0')},Attr ${i % 2 === 0 ? 'One' : 'Two'} OOD,100,EUR,2026-11-20`);
    expect(await importFile('home.csv', `number,client,amount,currency,issued\n${rows.join('\n')}\n`)).toContain('created 1100');
    await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller, 20_000);
    await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller2, 20_000);
    await settle();
    expect(homes(USERS.seller)).toHaveLength(1);
    expect(homes(USERS.seller2)).toHaveLength(1);
  });

  it('an imported payment that pays a contract\'s last invoice in full is paid, audited, and wins the deal as /invoice pay does', async () => {
    await say('/client', 'add Import Winner OOD');
    const contractId = await signedContract(h, 'Import Winner OOD', 'amount:1000 EUR net:14 kind:services subject:Audit');
    expect(await say('/invoice', `add Import Winner OOD 1000 EUR contract:#${contractId} number:0000005001`, USERS.finance)).toContain('moves to *payment*');
    const [inv] = await h.rows<{ number: string }>(sql`SELECT i.number AS "number" FROM invoices i JOIN clients c ON c.id = i.client_id WHERE c.name = 'Import Winner OOD'`);
    h.emu.reset();
    expect(await importFile('pay.csv', `invoice,amount,date,reference\n${inv!.number},600,2026-11-25,BNK-1\n`)).toContain('created 1');
    expect(await say('/client', 'Import Winner OOD')).toContain('Stage: payment');
    expect(await importFile('pay2.csv', `invoice,amount,date,reference\n${inv!.number},400,2026-11-26,BNK-2\n`)).toContain('created 1');
    expect(await h.rows(sql`SELECT paid_minor AS "paid", paid_date AS "paidDate" FROM invoices WHERE number = ${inv!.number}`)).toEqual([{ paid: 100000, paidDate: '2026-11-26' }]);
    expect(await say('/client', 'Import Winner OOD')).toContain('Stage: won');
    const history = await say('/client', 'history Import Winner OOD');
    expect(history).toContain('ref BNK-2');
    expect(history).toMatch(/from \*payment\* to \*won\*/);
    const won = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.sales && readable(c.args).includes('Import Winner OOD') && /won/i.test(readable(c.args)), 20_000);
    expect(readable(won.args)).toContain('€1,000.00');
    // The same file again: nothing changes, nothing is announced again.
    expect(readable(await preview('pay2.csv', `invoice,amount,date,reference\n${inv!.number},400,2026-11-26,BNK-2\n`))).toContain('unchanged: *1*');
    await settle();
    expect(h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.sales && readable(c.args).includes('Import Winner OOD'))).toHaveLength(1);
  });
});

describe('`export` as a word of /invoice list, /client list and /abc', () => {
  /** The rows of the CSV the bot sends after an export command, and its answer. */
  const exported = async (command: string, text: string) => {
    h.emu.reset();
    await h.emu.slashCommand({ command, text, user_id: USERS.finance });
    const upload = await h.emu.waitFor('files.completeUploadExternal', undefined, 30_000);
    return new TextDecoder().decode(h.emu.uploads.get(upload.args.files[0].id)).replace(/^\uFEFF/, '').trim().split('\r\n');
  };

  it('a client whose name ends in "export" is reached by quoting its name; a bare last `export` always exports', async () => {
    await say('/client', 'add Acme Export');
    await say('/invoice', 'add Acme Export 250 EUR number:0000006001', USERS.finance);
    // Quoted, the whole is the name: its list, no file.
    const listed = await say('/invoice', 'list "Acme Export"', USERS.finance);
    expect(listed).toContain('0000006001');
    expect(listed).not.toMatch(/Preparing/);
    // Quoted and then `export`: its list as a file.
    expect((await exported('/invoice', 'list "Acme Export" export')).slice(1).map((l) => l.split(',')[0])).toEqual(['0000006001']);
    // Unquoted, the last `export` is the export, and the answer says how to mean the name.
    h.emu.reset();
    await h.emu.slashCommand({ command: '/invoice', text: 'list Acme Export', user_id: USERS.finance });
    const said = readable((await h.emu.waitForResponse((r) => readable(r.body).includes("couldn't find"), 30_000)).body);
    expect(said).toContain("I couldn't find a client called *Acme*");
    expect(said).toContain('If *Acme Export* is the client\'s name, put it in quotes: `/invoice list "Acme Export"`');
  });

  it('/client list and /abc take `export` anywhere among their filters', async () => {
    const mine = await exported('/client', 'list export owner:me');
    expect(mine[0]).toBe('name,eik,vat,owner,contact,industry,region,size');
    expect(mine.slice(1).every((l) => l.split(',')[3] === USERS.finance)).toBe(true);
    expect((await exported('/abc', 'export by:margin'))[0]).toBe('name,eik,vat,owner,contact,industry,region,size,segment');
  });
});
