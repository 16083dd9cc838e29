/**
 * What an import from the books leaves behind (SPEC §6): the client attributes stored as
 * `/client set` stores them, the App Home of the people whose data changed refreshed once each,
 * and a payment that pays an invoice in full doing what `/invoice pay` does.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../src/slack/ids.ts';
import { buttons, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';
import { botMessages as botDm, waitForBot as waitForBotDm } from './helpers/dm.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
  h.clock.ms = Date.parse('2026-11-27T10:00:00Z');
});
afterAll(() => h?.close());
beforeEach(() => h.emu.reset());

const say = async (command: string, text: string, user_id: string = USERS.seller) => readable((await h.emu.slashCommand({ command, text, user_id })).body);
const botMessages = (user: string) => botDm(h, user);
const waitForBot = (user: string, pred: (text: string) => boolean, timeoutMs?: number) => waitForBotDm(h, user, pred, timeoutMs);
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
