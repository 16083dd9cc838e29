/**
 * The local workspace (`npm start` without SLACK_BOT_TOKEN), driven through its JSON API as the
 * page drives it: people type slash commands, click buttons, fill modals, switch users.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { startLocalWorkspace, type LocalWorkspace } from '../src/workspace/server.ts';
import Database from 'better-sqlite3';
import { validateEik } from '../src/domain/eik.ts';
import { WORDS } from '../src/workspace/page/words.js';
import { englishIn, englishPhrases } from './helpers/bulgarian.ts';
import { inspectDb, readable } from './helpers/harness.ts';

const MARIA = 'U0SELLER';
const LEA = 'U0LEGAL';
const FILIP = 'U0FINANCE';
const ANA = 'U0ADMIN';

let dir: string;
let ws: LocalWorkspace;
const logs: string[] = [];

const quietEnv = { LOG_LEVEL: 'warn', DEALDESK_TZ: 'Europe/Sofia' };

async function start(databasePath: string): Promise<LocalWorkspace> {
  return startLocalWorkspace({ port: 0, demo: false, databasePath, env: quietEnv, logger: createLogger('warn', [], (l) => logs.push(l)), outbox: { perChannelMs: 20, pollMs: 100 } });
}

function api(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${ws.port}${path}`, body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function call(path: string, body: unknown): Promise<any> {
  const res = await api(path, body);
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function state(user: string): Promise<any> {
  const res = await api(`/api/state?user=${user}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Polls the state of `user` until `pick` returns something (the bot answers asynchronously). */
async function until<T>(user: string, pick: (s: any) => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = await state(user);
    const hit = pick(last);
    if (hit !== undefined && hit !== false) return hit;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}; state of ${user}: ${JSON.stringify(last).slice(0, 3000)}`);
}

const say = (user: string, channel: string, text: string) => call('/api/command', { user, channel, text });
const textOf = (m: any) => readable(m);
const buttonsOf = (m: any): any[] => (m.blocks ?? []).filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
const approvalRequest = (s: any, channel: string, contract: number) =>
  s.conversations[channel].messages.find((m: any) => (m.blocks ?? []).some((b: any) => b.type === 'header' && b.text.text.includes(`Contract #${contract} `)));

/** Filip approves contract `id` in #finance, ticking the policy exceptions if his form asks. */
async function financeApproves(id: number): Promise<void> {
  const finReq = await until(FILIP, (x) => approvalRequest(x, 'C0FINANCE', id), 'the finance request');
  await call('/api/action', { user: FILIP, channel: 'C0FINANCE', ts: finReq.ts, actionId: 'contract.approve' });
  const after = await until(FILIP, (x) => (x.modals.length > 0 ? x : buttonsOf(approvalRequest(x, 'C0FINANCE', id)).length === 0 ? x : undefined), 'the finance decision or its form');
  if (after.modals.length > 0) {
    const form = after.modals[0];
    const box = form.blocks.find((b: any) => b.element?.type === 'checkboxes');
    const r = await call('/api/submit', { user: FILIP, viewId: form.id, values: { [box.block_id]: box.element.options.map((o: any) => o.value) } });
    expect(r.responseAction).toBe('close');
  }
}

/** Lea and Filip approve contract `id`. */
async function approveBoth(id: number): Promise<void> {
  const legalReq = await until(LEA, (x) => approvalRequest(x, 'C0LEGAL', id), 'the legal request');
  await call('/api/action', { user: LEA, channel: 'C0LEGAL', ts: legalReq.ts, actionId: 'contract.approve' });
  await financeApproves(id);
  await until(MARIA, (x) => x.conversations[MARIA].messages.some((m: any) => textOf(m).includes(`(finance) approved your contract #${id}`)), 'the finance decision');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-ws-'));
  ws = await start(join(dir, 'dealdesk.db'));
});

afterAll(async () => {
  await ws?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local workspace over its JSON API', () => {
  it('serves the page, its script and styles', async () => {
    const page = await api('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js">');
    expect((await api('/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await api('/app.css')).headers.get('content-type')).toContain('text/css');
    const s = await state(MARIA);
    expect(s.users.map((u: any) => u.id)).toEqual(expect.arrayContaining([MARIA, LEA, FILIP, ANA]));
    expect(s.channels.map((c: any) => c.name)).toEqual(['sales', 'legal', 'finance']);
    expect(s.commands.map((c: any) => c.command)).toEqual(expect.arrayContaining(['/client', '/contract', '/invoice']));
    expect(ws.config.approvers).toEqual({ legal: [LEA], finance: [FILIP] });
    expect(ws.config.admins).toEqual([ANA]);
  });

  it('walks a contract through both approvals: channels, threads, DMs and the card', async () => {
    await say(MARIA, 'C0SALES', '/client add Acme Ltd contact:ivan@acme.bg');
    let s = await until(MARIA, (x) => x.conversations.C0SALES.ephemerals.find((e: any) => textOf(e).includes('Added client')), 'the add answer');
    expect(s.command).toBe('/client add Acme Ltd contact:ivan@acme.bg');
    // Ephemeral: nobody else sees it.
    expect((await state(LEA)).conversations.C0SALES.ephemerals).toEqual([]);

    await say(MARIA, 'C0SALES', '/contract new Acme Ltd amount:12500 EUR net:30 kind:goods subject:Steel beams, 40 t');
    const submitted = await until(MARIA, (x) => x.conversations.C0SALES.ephemerals.find((e: any) => textOf(e).includes('submitted to legal and finance')), 'the submit answer');
    const id = Number(/#(\d+)/.exec(textOf(submitted))![1]);

    // Lea (legal) sees the request with its buttons in #legal.
    const legalReq = await until(LEA, (x) => approvalRequest(x, 'C0LEGAL', id), 'the legal request');
    expect(buttonsOf(legalReq).map((b) => b.text.text)).toEqual(['Approve', 'Request changes', 'Reject']);

    // Maria may not decide for legal: the refusal is only for her.
    await call('/api/action', { user: MARIA, channel: 'C0LEGAL', ts: legalReq.ts, actionId: 'contract.approve' });
    await until(MARIA, (x) => x.conversations.C0LEGAL.ephemerals.find((e: any) => textOf(e).includes('Only legal approvers')), 'the refusal');
    expect((await state(LEA)).conversations.C0LEGAL.ephemerals).toEqual([]);

    // Switch to Lea: approve.
    const click = await call('/api/action', { user: LEA, channel: 'C0LEGAL', ts: legalReq.ts, actionId: 'contract.approve', blockId: 'contract.decision.actions' });
    expect(click).toEqual({ ok: true, status: 200 });
    await until(LEA, (x) => approvalRequest(x, 'C0LEGAL', id)?.replies.find((r: any) => textOf(r).includes('approved version 1 for legal')), 'the legal decision in the thread');

    // Switch to Filip: approve in #finance (ticking the loyalty exceptions if the form asks).
    await financeApproves(id);

    // Both threads carry the decision and the outcome; both cards (the root messages) show it.
    for (const [user, channel, fn] of [[LEA, 'C0LEGAL', 'legal'], [FILIP, 'C0FINANCE', 'finance']] as const) {
      const root = await until(user, (x) => {
        const m = approvalRequest(x, channel, id);
        return m?.replies.some((r: any) => textOf(r).includes('is *approved* by legal and finance')) && textOf(m).includes('approved by legal and finance — ready to sign') ? m : undefined;
      }, `the outcome in #${channel}`);
      expect(root.replies.map(textOf).join('\n')).toContain(`approved version 1 for ${fn}`);
      expect(buttonsOf(root)).toEqual([]);
      expect(root.edited).toEqual(expect.any(Number));
      expect(textOf(root)).toContain('Legal: :white_check_mark: approved by <@U0LEGAL>');
      expect(textOf(root)).toContain('Finance: :white_check_mark: approved by <@U0FINANCE>');
    }

    // Maria hears of both decisions in her DM with the bot; Lea's DM is her own.
    const dm = await until(MARIA, (x) => (x.conversations[MARIA].messages.length >= 2 ? x.conversations[MARIA].messages : undefined), 'the DMs to Maria');
    expect(dm.map(textOf).join('\n')).toMatch(/\(legal\) approved your contract #\d+[\s\S]*\(finance\) approved your contract/);
    expect((await state(LEA)).conversations[LEA].messages).toEqual([]);

    // The client card shows the approved contract.
    await say(MARIA, 'C0SALES', '/client Acme Ltd');
    const card = await until(MARIA, (x) => x.conversations.C0SALES.ephemerals.find((e: any) => e.command === '/client Acme Ltd'), 'the card');
    expect(textOf(card)).toContain('Stage: contract');
    expect(textOf(card)).toMatch(new RegExp(`#${id} Steel beams, 40 t · €12,500.00 · v1 — approved`));
  });

  it('a Done button ticks the task clicked, not the first open one (block_id picks the block)', async () => {
    await say(MARIA, 'C0SALES', '/client add Full Cycle AD');
    await say(MARIA, 'C0SALES', '/contract new Full Cycle AD amount:1000 EUR net:14 kind:goods subject:Pallets');
    const submitted = await until(MARIA, (x) => x.conversations.C0SALES.ephemerals.find((e: any) => textOf(e).includes('Full Cycle AD') && textOf(e).includes('submitted to legal and finance')), 'the submit answer');
    const id = Number(/#(\d+)/.exec(textOf(submitted))![1]);
    await approveBoth(id);
    await say(MARIA, 'C0SALES', `/contract sign #${id}`);
    await until(MARIA, (x) => x.conversations.C0SALES.ephemerals.find((e: any) => textOf(e).includes('is signed')), 'the signature');

    await say(FILIP, FILIP, `/delivery #${id}`);
    const list = await until(FILIP, (x) => x.conversations[FILIP].ephemerals.find((e: any) => e.command === `/delivery #${id}`), 'the checklist');
    // What the page sends for a click: the block as the page numbers it, the action and the button's value.
    const index = list.blocks.findIndex((b: any) => b.accessory?.action_id === 'delivery.task_done' && b.text.text.includes('Invoice'));
    expect(index).toBeGreaterThan(1); // not the first task's row
    expect(list.blocks[index].block_id).toBeUndefined();
    const click = await call('/api/action', { user: FILIP, channel: FILIP, ts: list.ts, actionId: 'delivery.task_done', blockId: `emu${index}`, value: list.blocks[index].accessory.value });
    expect(click).toEqual({ ok: true, status: 200 });
    const ticked = await until(FILIP, (x) => x.conversations[FILIP].ephemerals.find((e: any) => e.id === list.id && /~Invoice~/.test(textOf(e))), 'the Invoice task ticked', 5000);
    expect(textOf(ticked)).toContain(`done by <@${FILIP}>`);
    expect((await state(FILIP)).conversations[FILIP].ephemerals.map(textOf).join('\n')).not.toContain('Only ');
  });

  it('shows a modal, its validation errors under the field, the update, and closes it', async () => {
    await say(MARIA, 'C0SALES', '/client add Globex Bulgaria');
    await say(MARIA, 'C0SALES', '/contract new Globex Bulgaria amount:900 EUR');
    const form = await until(MARIA, (x) => x.modals[0], 'the contract form');
    expect(form).toMatchObject({ callback_id: 'contract.draft.modal', title: { text: 'New contract' } });
    expect((await state(LEA)).modals).toEqual([]);

    // Slack itself refuses empty required fields before the bot sees anything.
    const empty = await call('/api/submit', { user: MARIA, viewId: form.id, values: {} });
    expect(empty.responseAction).toBe('errors');
    expect(empty.errors['contract.subject']).toBe('Please complete this required field.');
    expect(empty.errors['contract.client']).toBeUndefined(); // prefilled
    // In the page's language: the one the page sends with the submit.
    const emptyBg = await call('/api/submit', { user: MARIA, viewId: form.id, values: {}, lang: 'bg' });
    expect(emptyBg.errors['contract.subject']).toBe('Попълнете това задължително поле.');

    // The bot's own errors come back under the field (response_action: errors).
    const values = { 'contract.subject': 'Consulting', 'contract.amount': 'nine hundred', 'contract.net_days': '30', 'contract.kind': 'services' };
    const bad = await call('/api/submit', { user: MARIA, viewId: form.id, values });
    expect(bad.responseAction).toBe('errors');
    expect(Object.keys(bad.errors)).toEqual(['contract.amount']);
    const shown = await until(MARIA, (x) => x.modals[0]?.errors?.['contract.amount'], 'the error on the view');
    expect(shown).toMatch(/number such as 12500/);

    // Fixed: response_action update replaces the view with the confirmation.
    const good = await call('/api/submit', { user: MARIA, viewId: form.id, values: { ...values, 'contract.amount': '900' } });
    expect(good.responseAction).toBe('update');
    const confirmation = await until(MARIA, (x) => (x.modals[0]?.title?.text?.startsWith('Contract #') ? x.modals[0] : undefined), 'the confirmation');
    expect(confirmation.id).toBe(form.id);
    expect(confirmation.errors).toBeUndefined();
    expect(readable(confirmation)).toContain('submitted to legal and finance');

    await call('/api/close', { user: MARIA, viewId: form.id });
    expect((await state(MARIA)).modals).toEqual([]);
  });

  it('card buttons answer through the response_url: replace the card, or add a private note', async () => {
    await say(MARIA, 'U0SELLER', '/client add Initech');
    const card = await until(MARIA, (x) => x.conversations[MARIA].ephemerals.find((e: any) => e.command === '/client add Initech'), 'the card');
    const advance = buttonsOf(card).find((b) => b.action_id === 'client.move');
    expect(advance.text.text).toBe('Advance to qualified');
    await call('/api/action', { user: MARIA, channel: MARIA, ts: card.ts, actionId: 'client.move' });
    const moved = await until(MARIA, (x) => x.conversations[MARIA].ephemerals.find((e: any) => e.id === card.id && textOf(e).includes('Stage: qualified')), 'the card replaced');
    expect(textOf(moved)).toContain('from *lead* to *qualified*');

    await call('/api/action', { user: MARIA, channel: MARIA, ts: card.ts, actionId: 'client.history' });
    await until(MARIA, (x) => x.conversations[MARIA].ephemerals.find((e: any) => e.id !== card.id && textOf(e).includes('Initech')), 'the history note');
    const s = await state(MARIA);
    expect(s.conversations[MARIA].ephemerals.filter((e: any) => e.id === card.id)).toHaveLength(1);

    const dismissed = await call('/api/dismiss', { user: MARIA, id: card.id });
    expect(dismissed.ok).toBe(true);
    expect((await state(MARIA)).conversations[MARIA].ephemerals.some((e: any) => e.id === card.id)).toBe(false);
  });

  it('sends app_home_opened when the Home tab opens, and shows what the bot publishes', async () => {
    const opened = await call('/api/home', { user: ANA, tab: 'home' });
    expect(opened).toEqual({ ok: true, status: 200 });
    const call0 = ws.emu.calls.length;
    // Whatever the bot does with it, a published view lands on Ana's Home only.
    await ws.emu.waitFor('views.publish', (c) => c.args.user_id === ANA, 3000).then(
      async () => {
        const s = await until(ANA, (x) => x.home, 'the home view');
        expect(Array.isArray(s.blocks)).toBe(true);
        expect((await state(MARIA)).home?.id).not.toBe(s.id);
      },
      () => expect(ws.emu.calls.length).toBeGreaterThanOrEqual(call0),
    );
  });

  it('answers unknown commands and plain messages as Slack would', async () => {
    const r = await call('/api/command', { user: ANA, channel: 'C0SALES', text: '/nope now' });
    expect(r).toMatchObject({ ok: false, error: 'unknown_command' });
    const notice = (await state(ANA)).conversations.C0SALES.ephemerals.find((e: any) => e.from === 'USLACKBOT');
    expect(notice.text).toContain('`/nope` is not a valid command');
    // Slack's own notice in the page's language, when the page is in Bulgarian.
    await call('/api/command', { user: ANA, channel: 'C0SALES', text: '/още нещо', lang: 'bg' });
    const bg = (await state(ANA)).conversations.C0SALES.ephemerals.find((e: any) => e.from === 'USLACKBOT' && e.text.includes('/още'));
    expect(bg.text).toBe('`/още` не е валидна команда. В Slack всяко съобщение, което започва със знака „/“, се чете като команда.');

    const m = await call('/api/message', { user: ANA, channel: 'C0FINANCE', text: '@filip can you check <this> & that?' });
    expect(m.message.text).toBe('<@U0FINANCE|filip> can you check &lt;this&gt; &amp; that?');
    const seen = (await state(FILIP)).conversations.C0FINANCE.messages.find((x: any) => x.ts === m.message.ts);
    expect(seen).toMatchObject({ user: ANA });

    // A reply in a thread: to a message of the conversation, even one nobody answered yet.
    const reply = await call('/api/message', { user: FILIP, channel: 'C0FINANCE', text: 'checked', threadTs: m.message.ts });
    expect(reply.message).toMatchObject({ thread_ts: m.message.ts, user: FILIP });
    const root = (await state(ANA)).conversations.C0FINANCE.messages.find((x: any) => x.ts === m.message.ts);
    expect(root).toMatchObject({ reply_count: 1, replies: [{ text: 'checked' }] });
    const nested = await call('/api/message', { user: ANA, channel: 'C0FINANCE', text: 'thanks', threadTs: reply.message.ts });
    expect(nested.message.thread_ts).toBe(m.message.ts);
    const lost = await api('/api/message', { user: ANA, channel: 'C0FINANCE', text: 'hello?', threadTs: '1.000001' });
    expect(lost.status).toBe(404);
    expect(((await lost.json()) as any).error).toBe('no message 1.000001 in C0FINANCE to reply to');

    // A DM is the user's own: nobody writes into someone else's.
    expect((await api('/api/message', { user: ANA, channel: MARIA, text: 'hi' })).status).toBe(404);
  });

  it('the DM composer attaches a CSV: dealdesk previews it and Import writes it', async () => {
    const csv = readFileSync(new URL('../docs/import/clients.csv', import.meta.url));
    const shared = await call('/api/file', { user: FILIP, channel: FILIP, name: 'clients.csv', data: csv.toString('base64') });
    expect(shared.ok).toBe(true);
    const preview = await until(FILIP, (s) => s.conversations[FILIP].messages.find((m: any) => textOf(m).includes('Importing it would do this')), 'the import preview');
    expect(textOf(preview)).toContain('To create: *');
    // The person's own message shows the file, as Slack shows it.
    expect((await state(FILIP)).conversations[FILIP].messages.some((m: any) => m.files?.[0]?.name === 'clients.csv')).toBe(true);
    const run = buttonsOf(preview).find((b) => b.action_id === 'import.run');
    await call('/api/action', { user: FILIP, channel: FILIP, ts: preview.ts, actionId: run.action_id, value: run.value });
    await until(FILIP, (s) => s.conversations[FILIP].messages.some((m: any) => textOf(m).includes('Imported *clients.csv*')), 'the import result');
    // Files go to dealdesk in its DM only.
    expect((await api('/api/file', { user: FILIP, channel: 'C0FINANCE', name: 'x.csv', data: csv.toString('base64') })).status).toBe(400);
  });

  it('refuses requests that do not come from this machine’s page', async () => {
    // A page on another site that resolves its name to 127.0.0.1 (DNS rebinding) sends its own Host.
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: ws.port, path: '/api/state?user=U0SELLER', headers: { host: `evil.example:${ws.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(403);
    expect((await api('/api/command', { user: MARIA, channel: 'C0SALES', text: '/client help' }, { origin: 'http://evil.example' })).status).toBe(403);
    const form = await fetch(`http://127.0.0.1:${ws.port}/api/command`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=U0SELLER' });
    expect(form.status).toBe(415);
    expect((await api('/api/state?user=U9NOBODY')).status).toBe(400);
  });

  it('streams changes as Server-Sent Events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${ws.port}/api/events?user=${MARIA}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await call('/api/message', { user: MARIA, channel: 'C0SALES', text: 'ping' });
    let text = '';
    while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: change\ndata: \{"kind":"message","channel":"C0SALES"/);
    ctrl.abort();
  });

  it('keeps the conversations across a restart on the same database', async () => {
    const before = (await state(LEA)).conversations.C0LEGAL.messages;
    expect(before.length).toBeGreaterThan(0);
    await ws.stop();
    ws = await start(join(dir, 'dealdesk.db'));
    const after = (await state(LEA)).conversations.C0LEGAL.messages;
    expect(after.map((m: any) => m.ts)).toEqual(before.map((m: any) => m.ts));
    // The approval messages are still live: a new version updates them in place.
    const m = await call('/api/message', { user: LEA, channel: 'C0LEGAL', text: 'back again' });
    expect(Number(m.message.ts)).toBeGreaterThan(Number(before[before.length - 1].ts));
  });
});

/** `npm start`'s node process (without SLACK_BOT_TOKEN unless `env` sets it), up once it prints its address. */
async function spawnMain(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; port: number; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no address printed; stdout: ${out} stderr: ${err}`)), 15_000);
    child.stdout!.on('data', () => {
      const m = /dealdesk local workspace: http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, port, out: () => out, err: () => err };
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  child.kill('SIGTERM');
  return code;
}

describe('npm start without SLACK_BOT_TOKEN', () => {
  it('starts the local workspace, prints its address, and stops cleanly on SIGTERM', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dealdesk-main-'));
    let child: ChildProcess | undefined;
    try {
      const main = await spawnMain({ DATABASE_PATH: join(d, 'dealdesk.db') });
      child = main.child;
      const st = (await (await fetch(`http://127.0.0.1:${main.port}/api/state?user=U0LEGAL`)).json()) as { me: string };
      expect(st.me).toBe('U0LEGAL');
      expect(await stopChild(child)).toBe(0);
      expect(main.err()).not.toContain('xoxb-');
    } finally {
      child?.kill('SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  }, 30_000);

  it('starts afresh with --reset: the database and the kept conversations are gone', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dealdesk-reset-'));
    const db = join(d, 'dealdesk.db');
    let child: ChildProcess | undefined;
    try {
      const before = await startLocalWorkspace({ port: 0, demo: false, databasePath: db, env: quietEnv, logger: createLogger('warn', [], (l) => logs.push(l)) });
      await before.driver.command(MARIA, 'C0SALES', '/client add Old Data Ltd');
      before.driver.message(MARIA, 'C0SALES', 'an old message');
      await before.stop();
      expect(inspectDb(db).names).toEqual(['Old Data Ltd']);
      expect(existsSync(`${db}.workspace.json`)).toBe(true);

      const main = await spawnMain({ DATABASE_PATH: db }, ['--reset']);
      child = main.child;
      expect(main.out()).toContain(`dealdesk --reset: deleted ${db}`);
      expect(main.out()).toContain(`${db}.workspace.json`);
      const st = (await (await fetch(`http://127.0.0.1:${main.port}/api/state?user=U0SELLER`)).json()) as any;
      expect(st.conversations.C0SALES.messages).toEqual([]);
      expect(await stopChild(child)).toBe(0);
      expect(inspectDb(db)).toEqual({ integrity: 'ok', names: [] });
    } finally {
      child?.kill('SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses --reset and --demo with SLACK_BOT_TOKEN set, and unknown options, deleting nothing', () => {
    const d = mkdtempSync(join(tmpdir(), 'dealdesk-reset-'));
    try {
      const db = join(d, 'dealdesk.db');
      writeFileSync(db, 'not to be deleted');
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SLACK_BOT_TOKEN: 'xoxb-real-workspace', DATABASE_PATH: db };
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--demo', '--reset'], { env, encoding: 'utf8', timeout: 15_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('--demo and --reset are for the local workspace only, and SLACK_BOT_TOKEN is set, so nothing was started or deleted');
      expect(readFileSync(db, 'utf8')).toBe('not to be deleted');
      const typo = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--rest'], { env: { ...env, SLACK_BOT_TOKEN: '' }, encoding: 'utf8', timeout: 15_000 });
      expect(typo.status).toBe(1);
      expect(typo.stderr).toContain('unknown option --rest. Usage: npm start [-- --demo] [--reset]');
      expect(readFileSync(db, 'utf8')).toBe('not to be deleted');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses a bad PORT with one message', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: 'seventy' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, encoding: 'utf8', timeout: 15_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT must be a port number from 0 to 65535');
  });
});

describe('the demo company', () => {
  it('is made with real commands and clicks, once', async () => {
    const d2 = mkdtempSync(join(tmpdir(), 'dealdesk-demo-'));
    const demo = await startLocalWorkspace({ port: 0, demo: true, databasePath: join(d2, 'demo.db'), env: quietEnv, logger: createLogger('warn', [], (l) => logs.push(l)), outbox: { perChannelMs: 10, pollMs: 100 } });
    try {
      const summary = await demo.demoDone!;
      expect(summary).toMatchObject({ skipped: false, clients: expect.any(Number), contracts: 7 });
      const s = demo.driver.state(LEA) as any;
      const legal = s.conversations.C0LEGAL.messages;
      expect(legal.filter((m: any) => (m.blocks ?? []).some((b: any) => b.type === 'header'))).toHaveLength(7);
      expect(legal.some((m: any) => buttonsOf(m).length > 0)).toBe(true); // some still wait for Lea
      expect(legal.some((m: any) => m.reply_count > 0)).toBe(true);
      expect(s.conversations.C0FINANCE.messages.some((m: any) => /overdue invoices/.test(m.text))).toBe(true);
      // Private answers to the seeding commands are not left lying around.
      for (const u of [MARIA, LEA, FILIP, ANA]) expect(demo.emu.ephemeralsFor(u)).toEqual([]);
      const again = await demo.driver.demo();
      expect(again.skipped).toBe(true);
      // The refusal says how to start afresh (the page shows it as it is).
      const refused = (await (await fetch(`http://127.0.0.1:${demo.port}/api/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as any;
      expect(refused).toMatchObject({ ok: true, skipped: true });
      expect(refused.message).toContain('To start afresh, stop dealdesk and run npm start -- --demo --reset');
    } finally {
      await demo.stop();
      rmSync(d2, { recursive: true, force: true });
    }
  }, 60_000);

  it('is a Bulgarian company with DEALDESK_LOCALE=bg: its people, channels, clients with a valid ЕИК, and no English anywhere; the page’s switch sets everyone’s /dealdesk language', async () => {
    const d3 = mkdtempSync(join(tmpdir(), 'dealdesk-demo-bg-'));
    const db = join(d3, 'demo.db');
    const demo = await startLocalWorkspace({ port: 0, demo: true, databasePath: db, env: { ...quietEnv, DEALDESK_LOCALE: 'bg' }, logger: createLogger('warn', [], (l) => logs.push(l)), outbox: { perChannelMs: 10, pollMs: 100 } });
    try {
      expect(await demo.demoDone!).toMatchObject({ skipped: false, clients: 24, contracts: 7, seconds: expect.any(Number) });
      const s = demo.driver.state(MARIA) as any;
      expect(s.locale).toBe('bg');
      expect(s.workspace.name).toBe('Витоша Трейдинг');
      expect(s.users.filter((u: any) => !u.isBot).map((u: any) => u.realName)).toEqual(['Мария Петрова', 'Лиляна Иванова', 'Филип Георгиев', 'Ана Димитрова']);
      for (const c of s.channels) expect(c.topic).toMatch(/[а-я]{4}/);
      const rows = new Database(db, { readonly: true }).prepare('SELECT name, eik FROM clients ORDER BY id').all() as { name: string; eik: string | null }[];
      expect(rows).toHaveLength(24);
      for (const r of rows) {
        expect([r.name, /^[А-Яа-я„“ -]+ (ООД|ЕООД|АД|ЕАД)$/.test(r.name)]).toEqual([r.name, true]);
        expect([r.name, r.eik !== null && validateEik(r.eik).ok]).toEqual([r.name, true]);
      }
      expect(new Set(rows.map((r) => r.eik)).size).toBe(24);
      // Everything in the channels and every DM: dealdesk's posts and the people's messages.
      const phrases = englishPhrases();
      const everyone = [MARIA, 'U0LEGAL', 'U0FINANCE', 'U0ADMIN'];
      const seen = [...s.channels.map((c: any) => s.conversations[c.id].messages), ...everyone.map((u) => (demo.driver.state(u) as any).conversations[u].messages)].flat();
      expect(seen.length).toBeGreaterThan(20);
      const english = seen.flatMap((m: any) => [m, ...(m.replies ?? [])]).map((m: any) => [m.text, englishIn(m, phrases)] as const).filter(([, e]) => e.phrases.length + e.codes.length > 0);
      expect(english.map(([t, e]) => `${String(t).slice(0, 80)}: ${[...e.phrases, ...e.codes].join(' | ')}`)).toEqual([]);
      expect(seen.filter((m: any) => everyone.includes(m.user)).map((m: any) => m.text).join('\n')).not.toMatch(/\b(the|and|would|please)\b/i);

      // The page's switch: every persona's language, so dealdesk answers each in it.
      const switched = (await (await fetch(`http://127.0.0.1:${demo.port}/api/language`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }) })).json()) as any;
      expect(switched).toEqual({ ok: true });
      for (const u of everyone) expect(demo.emu.ephemeralsFor(u)).toEqual([]);
      const r = await demo.driver.command('U0LEGAL', 'C0LEGAL', '/client Елит Строй ЕООД');
      expect(readable(r.reply!.body)).toContain('Stage: payment');
      const bad = await fetch(`http://127.0.0.1:${demo.port}/api/language`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'fr' }) });
      expect(bad.status).toBe(400);
      // Slack's own notices follow the switch too (a page that sends no language of its own).
      const notice = async (typed: string) => {
        await demo.driver.command('U0LEGAL', 'C0LEGAL', typed);
        return demo.emu.ephemeralsFor('U0LEGAL').find((e) => e.from === 'USLACKBOT' && e.text.startsWith(`\`${typed}\``))?.text;
      };
      expect(await notice('/nope')).toContain('is not a valid command');
      await fetch(`http://127.0.0.1:${demo.port}/api/language`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'bg' }) });
      expect(await notice('/няма')).toContain('не е валидна команда');
    } finally {
      await demo.stop();
      rmSync(d3, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the page’s own words', () => {
  it('are in both languages with the same keys and placeholders, and differ from the English', () => {
    const placeholders = (t: string) => [...t.replace(/(one|other) \{[^}]*\}/g, '').matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    expect(Object.keys(WORDS.bg).sort()).toEqual(Object.keys(WORDS.en).sort());
    for (const k of Object.keys(WORDS.en)) {
      expect([k, placeholders(WORDS.bg[k]!)]).toEqual([k, placeholders(WORDS.en[k]!)]);
      if (!/^(page\.title|empty\.financeTry)$/.test(k)) expect([k, WORDS.bg[k] === WORDS.en[k]]).toEqual([k, false]);
    }
  });
});
