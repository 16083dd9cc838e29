import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../src/slack/ids.ts';
import { dmHelpers } from './helpers/dm.ts';
import { blockKitProblems, buttons, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const doc = (name: string) => readFileSync(new URL(`../docs/import/${name}`, import.meta.url));
const { dm, botMessages, waitForBot, click } = dmHelpers(() => h);

describe('a CSV shared in the DM with dealdesk', () => {
  it('finance shares a file: the bot downloads it with its token, previews it, and Import writes it with progress in the same message', { timeout: 60_000 }, async () => {
    const shared = await h.emu.shareFile(USERS.finance, { name: 'clients.csv', bytes: doc('clients.csv') });
    expect(shared.reply.status).toBe(200);
    const preview = await waitForBot(USERS.finance, (t) => t.includes('Importing it would do this'));
    expect(blockKitProblems(preview)).toEqual([]);
    const text = readable(preview);
    expect(text).toContain('*clients.csv* is a clients file');
    expect(text).toContain('To create: *4* · to update: *0* · unchanged: *0* · failed: *0*');
    expect(text).not.toContain('not stored');
    expect(buttons(preview).map((b) => [b.action_id, b.text])).toEqual([
      [ACTION.importRun, 'Import'],
      [ACTION.importCancel, 'Cancel'],
    ]);
    // Downloaded once, with the bot token; nothing written yet.
    expect(h.emu.downloads.map((d) => [d.fileId, d.authorized])).toEqual([[shared.fileId, true]]);
    expect(await h.rows(sql`SELECT id FROM clients`)).toEqual([]);

    await click(USERS.finance, preview, ACTION.importRun);
    await h.emu.waitFor('chat.update', (c) => String(c.args.text).startsWith('Imported clients.csv'), 15_000);
    const updates = h.emu.callsTo('chat.update');
    // Edited in place: the preview became the progress, then the result, and no new message.
    expect(updates.every((c) => c.args.ts === preview.ts)).toBe(true);
    expect(String(updates[0]!.args.text)).toMatch(/^:hourglass_flowing_sand: Importing clients\.csv/);
    const done = h.emu.message(USERS.finance, preview.ts)!;
    expect(readable(done)).toContain('Imported *clients.csv* (clients): created 4, updated 0, unchanged 0, failed 0.');
    expect(buttons(done)).toEqual([]);
    expect(botMessages(USERS.finance)).toHaveLength(1);
    expect(await h.rows(sql`SELECT c.name AS "name", d.stage AS "stage" FROM clients c JOIN deals d ON d.client_id = c.id ORDER BY c.id`)).toHaveLength(4);
    expect(await h.rows(sql`SELECT DISTINCT actor AS "actor" FROM audit_events`)).toEqual([{ actor: USERS.finance }]);
  });

  it('rows in error are named in the preview and come back after the import as a CSV in the file\'s own encoding', async () => {
    // Windows-1251 with `;`, as Bulgarian books write it; one unknown client.
    const bytes = Buffer.concat([doc('invoices.csv'), Buffer.from('0000001099;Nobody Ltd;;10,00;EUR;05.01.2026;;;\r\n', 'latin1')]);
    await h.emu.shareFile(USERS.admin, { name: 'invoices.csv', bytes });
    const preview = await waitForBot(USERS.admin, (t) => t.includes('Importing it would do this'));
    expect(readable(preview)).toContain('To create: *4* · to update: *0* · unchanged: *0* · failed: *1*');
    expect(readable(preview)).toContain('• row 6: There is no client Nobody Ltd: import the clients first');
    await click(USERS.admin, preview, ACTION.importRun);
    const upload = await h.emu.waitFor('files.completeUploadExternal', undefined, 15_000);
    expect(upload.args.channel_id).toBe(dm(USERS.admin));
    expect(upload.args.thread_ts).toBe(preview.ts);
    const fileId = upload.args.files[0].id;
    expect(h.emu.fileInfo(fileId)?.name).toBe('failed-rows-invoices.csv');
    const csv = new TextDecoder('windows-1251').decode(h.emu.uploads.get(fileId));
    expect(csv.split('\r\n')[0]).toBe('row;Номер;Клиент;ЕИК;Сума;Валута;Издадена;Падеж;Марж;Продуктова линия;problem');
    expect(csv.split('\r\n')[1]).toMatch(/^6;0000001099;Nobody Ltd;;10,00;EUR;05\.01\.2026;;;;There is no client Nobody Ltd/);
    expect(readable(h.emu.message(USERS.admin, preview.ts))).toContain('created 4, updated 0, unchanged 0, failed 1');
    expect(await h.rows(sql`SELECT count(*) AS "n" FROM invoices`)).toEqual([{ n: 4 }]);
  });

  it('the same file again previews as all unchanged, with nothing to import; Close changes nothing', async () => {
    await h.emu.shareFile(USERS.finance, { name: 'clients.csv', bytes: doc('clients.csv') });
    const preview = await waitForBot(USERS.finance, (t) => t.includes('Importing it would do this'));
    expect(readable(preview)).toContain('To create: *0* · to update: *0* · unchanged: *4* · failed: *0*');
    expect(buttons(preview).map((b) => b.text)).toEqual(['Close']);
    await click(USERS.finance, preview, ACTION.importCancel);
    await h.emu.waitFor('chat.update');
    expect(readable(h.emu.message(USERS.finance, preview.ts))).toContain('Cancelled: nothing was imported from that file.');
  });

  it("a seller's file gets a polite no and is never downloaded", async () => {
    const shared = await h.emu.shareFile(USERS.seller, { name: 'clients.csv', bytes: doc('clients.csv') });
    const no = await waitForBot(USERS.seller, (t) => t.includes('for admins and finance approvers'));
    expect(readable(no)).toContain("I haven't read it");
    expect(h.emu.callsTo('files.info')).toEqual([]);
    expect(h.emu.downloads.filter((d) => d.fileId === shared.fileId)).toEqual([]);
    // And a forged Import click on that file does nothing either.
    await h.emu.blockAction({ action_id: ACTION.importRun, value: shared.fileId, user_id: USERS.seller, channel_id: dm(USERS.seller), message_ts: no.ts, message: no });
    await h.emu.waitFor('chat.update');
    expect(h.emu.downloads).toEqual([]);
  });

  it('a file over 20 MB is refused before any byte is downloaded', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x61);
    const shared = await h.emu.shareFile(USERS.finance, { name: 'huge.csv', bytes: big });
    const no = await waitForBot(USERS.finance, (t) => t.includes('huge.csv is 21.0 MB'));
    expect(readable(no)).toContain('I import files up to 20.0 MB');
    expect(h.emu.callsTo('files.info').map((c) => c.args.file)).toEqual([shared.fileId]);
    expect(h.emu.downloads).toEqual([]);
  });

  it('a file that is no CSV of a known kind is refused with what it needs; the bot ignores its own uploads', async () => {
    await h.emu.shareFile(USERS.finance, { name: 'notes.csv', bytes: Buffer.from('foo,bar\n1,2\n') });
    const no = await waitForBot(USERS.finance, (t) => t.includes('Nothing was imported'));
    expect(readable(no)).toContain("I can't tell what the file holds from its header");
    expect(buttons(no)).toEqual([]);
    const before = h.emu.calls.length;
    await h.emu.event({ type: 'file_shared', channel_id: dm(USERS.finance), file_id: 'F999999', user_id: 'UBOT', file: { id: 'F999999' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.emu.calls.slice(before).map((c) => c.method)).toEqual([]);
  });
});

describe('export on /client list, /invoice list and /abc: a CSV in the person\'s DM, filters kept', () => {
  const exported = async (command: string, text: string, user = USERS.finance) => {
    const ack = await h.emu.slashCommand({ command, text, user_id: user });
    expect(readable(ack.body)).toMatch(/Preparing|Ranking/);
    const upload = await h.emu.waitFor('files.completeUploadExternal', undefined, 30_000);
    expect(upload.args.channel_id).toBe(dm(user));
    const id = upload.args.files[0].id;
    const said = await h.emu.waitForResponse((p) => /Sent \*/.test(readable(p.body)), 30_000);
    return { name: h.emu.fileInfo(id)!.name, lines: new TextDecoder().decode(h.emu.uploads.get(id)).replace(/^\uFEFF/, '').trim().split('\r\n'), said: readable(said.body) };
  };

  it('/client list … export sends the clients the filter picks, in the import\'s columns', async () => {
    const all = await exported('/client', 'list export');
    expect(all.name).toBe('clients.csv');
    expect(all.lines[0]).toBe('name,eik,vat,owner,contact,industry,region,size');
    expect(all.lines).toHaveLength(5);
    expect(all.said).toContain('(4 clients) to your DM');
    h.emu.reset();
    const mine = await exported('/client', 'list owner:me export');
    expect(mine.lines.slice(1)).toEqual(['Дигитални решения ООД,831050009,,U0FINANCE,,софтуер,София,micro']);
  });

  it('/invoice list overdue export sends only the overdue ones, and a named client\'s list only its invoices', async () => {
    const r = await exported('/invoice', 'list overdue export');
    expect(r.lines[0]).toBe('number,client,eik,amount,currency,issued,due,margin,line');
    // All four are due before today (27.11.2026) and none is paid in full.
    expect(r.lines.slice(1).map((l) => l.split(',')[0])).toEqual(['0000001021', '0000001022', '0000001023', '0000001024']);
    h.emu.reset();
    const one = await exported('/invoice', 'list eik:201170000 export');
    expect(one.lines.slice(1).map((l) => l.split(',')[0])).toEqual(['0000001022']);
  });

  it('/abc export sends every client with its segment after the recompute', async () => {
    const r = await exported('/abc', 'export');
    expect(r.name).toBe('abc.csv');
    expect(r.lines[0]).toBe('name,eik,vat,owner,contact,industry,region,size,segment');
    expect(r.lines).toHaveLength(5);
    expect(r.lines.slice(1).every((l) => /,[ABC]$/.test(l))).toBe(true);
  });
});
