/**
 * The emulator's conversation state (what the local workspace page shows), driven by a real
 * Bolt app and a real WebClient against it.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator, type StateChange } from '../src/workspace/emulator.ts';

const SECRET = 'workspace-emulator-secret';
const TOKEN = 'xoxb-state-test';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 3)]);

let emu: SlackEmulator;
let app: App;
let web: WebClient;
const changes: StateChange[] = [];
const ticks: any[] = [];

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'form',
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [{ type: 'input', block_id: 'amount', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'plain_text_input', action_id: 'v' } }],
  ...extra,
});

beforeAll(async () => {
  emu = await SlackEmulator.start({ signingSecret: SECRET, botToken: TOKEN });
  emu.setUser('U1', { name: 'maria', real_name: 'Maria Petrova' });
  emu.setUser('U2', { name: 'lea', real_name: 'Lea Ivanova' });
  emu.setChannel('C1', { name: 'sales' });
  app = new App({ signingSecret: SECRET, token: TOKEN, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } } });

  app.command('/slow', async ({ ack, respond }) => {
    await ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: working…' });
    await respond({ response_type: 'ephemeral', text: 'done', replace_original: true });
  });
  app.command('/shout', async ({ ack }) => {
    await ack({ response_type: 'in_channel', text: 'for everyone' });
  });
  app.command('/card', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'card', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'advance', text: { type: 'plain_text', text: 'Advance' }, value: '1' }] }] });
  });
  app.command('/form', async ({ ack, client, command }) => {
    await ack();
    await client.views.open({ trigger_id: command.trigger_id, view: modal('First', { external_id: 'ext-1' }) });
  });
  app.action('advance', async ({ ack, respond }) => {
    await ack();
    await respond({ text: 'advanced', replace_original: true });
  });
  app.action('note', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'only you can see this', replace_original: false });
  });
  app.action('tick', async ({ ack, action }) => {
    await ack();
    ticks.push(action);
  });
  app.action('push', async ({ ack, client, body }) => {
    await ack();
    await client.views.push({ trigger_id: (body as { trigger_id: string }).trigger_id, view: modal('Second') });
  });
  app.view('form', async ({ ack, view }) => {
    const v = view.state.values.amount?.v?.value ?? '';
    if (v === 'bad') return void (await ack({ response_action: 'errors', errors: { amount: 'Not a number' } }));
    if (v === 'next') return void (await ack({ response_action: 'update', view: modal('Done', { submit: undefined }) }));
    await ack();
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  emu.botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  web = new WebClient(TOKEN, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });
  emu.on('change', (c: StateChange) => changes.push(c));
});

afterAll(async () => {
  await app?.stop();
  await emu?.close();
});

beforeEach(() => {
  emu.reset();
  changes.length = 0;
});

describe('conversation state from Web API calls', () => {
  it('keeps channel messages, threads, updates and deletes; a DM is keyed by the user', async () => {
    const root = await web.chat.postMessage({ channel: 'C1', text: 'root', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*root*' } }] });
    const reply = await web.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: root.ts! });
    await web.chat.postMessage({ channel: 'C1', text: 'broadcast', thread_ts: root.ts!, reply_broadcast: true });
    expect(emu.history('C1').map((m) => m.text)).toEqual(['root', 'broadcast']);
    expect(emu.message('C1', root.ts!)).toMatchObject({ thread_ts: root.ts, user: 'UBOT' });
    expect(emu.replies('C1', root.ts!).map((m) => m.text)).toEqual(['reply', 'broadcast']);

    await web.chat.update({ channel: 'C1', ts: root.ts!, text: 'root v2', blocks: [] });
    expect(emu.message('C1', root.ts!)).toMatchObject({ text: 'root v2', blocks: [], edited: expect.any(Number) });

    await web.chat.delete({ channel: 'C1', ts: reply.ts! });
    expect(emu.replies('C1', root.ts!).map((m) => m.text)).toEqual(['broadcast']);
    await web.chat.delete({ channel: 'C1', ts: root.ts! });
    expect(emu.message('C1', root.ts!)).toMatchObject({ deleted: true, text: 'This message was deleted.' });

    await web.chat.postMessage({ channel: 'U1', text: 'to the user id' });
    const dm = (await web.conversations.open({ users: 'U1' })).channel!.id!;
    await web.chat.postMessage({ channel: dm, text: 'to the D id' });
    expect(emu.history('U1').map((m) => m.text)).toEqual(['to the user id', 'to the D id']);
    expect(emu.history(dm)).toHaveLength(2);
    expect(changes.some((c) => c.kind === 'message' && c.channel === 'C1')).toBe(true);
  });

  it('keeps ephemerals per user, the App Home per user (same view id on republish)', async () => {
    await web.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' });
    expect(emu.ephemeralsFor('U1', 'C1').map((e) => e.text)).toEqual(['psst']);
    expect(emu.ephemeralsFor('U2')).toEqual([]);
    const [e] = emu.ephemeralsFor('U1');
    expect(emu.dismissEphemeral('U2', e!.id)).toBe(false);
    expect(emu.dismissEphemeral('U1', e!.id)).toBe(true);

    const a = await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'one' } }] } });
    const b = await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'two' } }] } });
    expect(b.view?.id).toBe(a.view?.id);
    expect(emu.homeView('U1')?.blocks[0].text.text).toBe('two');
    expect(emu.homeView('U2')).toBeUndefined();
    expect(changes.filter((c) => c.kind === 'home').map((c) => c.user)).toEqual(['U1', 'U1']);
  });

  it('shares an uploaded file as an image message served at /files/<id>', async () => {
    await web.files.uploadV2({ channel_id: 'C1', file: PNG, filename: 'chart.png', title: 'Sales funnel' });
    const [m] = emu.history('C1');
    expect(m?.files?.[0]).toMatchObject({ name: 'chart.png', title: 'Sales funnel', mimetype: 'image/png', url: expect.stringMatching(/^\/files\/F/) });
    expect(m?.blocks?.[0]).toMatchObject({ type: 'image', image_url: m?.files?.[0]?.url, alt_text: 'Sales funnel' });
    const res = await fetch(`${emu.baseUrl}${m!.files![0]!.url}`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('round-trips through snapshot() / restore(), and later ts come after the restored ones', async () => {
    const root = await web.chat.postMessage({ channel: 'C1', text: 'kept' });
    await web.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: root.ts! });
    const snap = JSON.parse(JSON.stringify(emu.snapshot()));
    const other = await SlackEmulator.start({ signingSecret: SECRET });
    try {
      other.restore(snap);
      expect(other.history('C1').map((m) => m.text)).toEqual(['kept']);
      expect(other.replies('C1', root.ts!)).toHaveLength(1);
      const next = await new WebClient(undefined, { slackApiUrl: other.apiUrl }).chat.postMessage({ channel: 'C1', text: 'after' });
      expect(Number(next.ts)).toBeGreaterThan(Number(root.ts));
    } finally {
      await other.close();
    }
  });

  it('escapes command text as Slack does with should_escape', () => {
    expect(emu.escapeCommandText('add A & B <x> owner:@maria cc @Lea #sales #12 mail@maria.bg')).toBe(
      'add A &amp; B &lt;x&gt; owner:<@U1|maria> cc <@U2|lea> <#C1|sales> #12 mail@maria.bg',
    );
  });
});

describe('conversation state from interactions', () => {
  it('shows a slash command ack as an ephemeral, and replace_original on its response_url replaces it', async () => {
    await emu.slashCommand({ command: '/slow', text: '', user_id: 'U1', channel_id: 'C1' });
    await emu.waitForResponse();
    const eph = emu.ephemeralsFor('U1', 'C1');
    expect(eph.map((e) => [e.text, e.command])).toEqual([['done', '/slow']]);
    expect(emu.history('C1')).toEqual([]);
  });

  it('makes an in_channel answer a message everyone sees', async () => {
    await emu.slashCommand({ command: '/shout', text: 'hi', user_id: 'U1', channel_id: 'C1' });
    expect(emu.history('C1')).toMatchObject([{ text: 'for everyone', user: 'UBOT', command: '/shout hi' }]);
    expect(emu.ephemeralsFor('U1')).toEqual([]);
  });

  it('replaces the clicked ephemeral on replace_original; adds one for replace_original: false', async () => {
    await emu.slashCommand({ command: '/card', text: '', user_id: 'U1', channel_id: 'DU1' });
    const [card] = emu.ephemeralsFor('U1', 'U1');
    expect(card?.blocks?.[0].type).toBe('actions');
    await emu.blockAction({ user_id: 'U1', action_id: 'advance', value: '1', channel_id: 'DU1', container: { type: 'message', message_ts: card!.ts, channel_id: 'DU1', is_ephemeral: true } });
    await emu.waitForResponse();
    expect(emu.ephemeralsFor('U1', 'U1').map((e) => [e.id, e.text])).toEqual([[card!.id, 'advanced']]);

    const posted = await web.chat.postMessage({ channel: 'C1', text: 'public' });
    await emu.blockAction({ user_id: 'U2', action_id: 'note', channel_id: 'C1', message_ts: posted.ts! });
    await emu.waitForResponse((p) => p.body?.text === 'only you can see this');
    expect(emu.ephemeralsFor('U2', 'C1').map((e) => e.text)).toEqual(['only you can see this']);
    expect(emu.message('C1', posted.ts!)?.text).toBe('public');
  });

  it('sends the clicked element when a message repeats an action_id across blocks', async () => {
    // One Done button per task, no block_ids: Slack tells the clicks apart by block_id and value.
    const row = (title: string, value: string) => ({ type: 'section', text: { type: 'mrkdwn', text: title }, accessory: { type: 'button', action_id: 'tick', text: { type: 'plain_text', text: `Done ${title}` }, value } });
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'checklist', blocks: [row('Dispatch', '11'), row('Delivery note', '12'), row('Invoice', '14')] });
    const reply = await emu.blockAction({ user_id: 'U1', action_id: 'tick', block_id: 'emu2', channel_id: 'C1', message_ts: posted.ts! });
    expect(reply.status).toBe(200);
    expect(ticks.pop()).toMatchObject({ type: 'button', action_id: 'tick', block_id: 'emu2', value: '14', text: { text: 'Done Invoice' } });
    // Identified by its value alone, the button reports its block.
    await emu.blockAction({ user_id: 'U1', action_id: 'tick', value: '12', channel_id: 'C1', message_ts: posted.ts! });
    expect(ticks.pop()).toMatchObject({ block_id: 'emu1', value: '12', text: { text: 'Done Delivery note' } });
  });

  it('keeps a modal stack per user: open, push, update by external_id, errors, update, close on empty ack', async () => {
    await emu.slashCommand({ command: '/form', text: '', user_id: 'U1', channel_id: 'C1' });
    await emu.waitFor('views.open');
    const [first] = emu.modalStack('U1');
    expect(first).toMatchObject({ callback_id: 'form', external_id: 'ext-1', title: { text: 'First' } });
    expect(emu.modalStack('U2')).toEqual([]);

    await emu.blockAction({ user_id: 'U1', action_id: 'push', container: { type: 'view', view_id: first!.id }, view: first });
    await emu.waitFor('views.push');
    expect(emu.modalStack('U1').map((v) => v.title.text)).toEqual(['First', 'Second']);
    expect(emu.modalStack('U1')[1]?.previous_view_id).toBe(first!.id);
    await emu.closeView('U1', emu.modalStack('U1')[1]!.id);
    expect(emu.modalStack('U1').map((v) => v.title.text)).toEqual(['First']);

    const upd = await web.views.update({ external_id: 'ext-1', view: modal('Renamed', { external_id: 'ext-1' }) });
    expect(upd.view?.id).toBe(first!.id);
    expect(emu.modalStack('U1')[0]?.title.text).toBe('Renamed');

    const bad = await emu.viewSubmission({ user_id: 'U1', view_id: first!.id, callback_id: 'form', state_values: { amount: { v: { type: 'plain_text_input', value: 'bad' } } } });
    expect(bad.body).toMatchObject({ response_action: 'errors' });
    expect(emu.modalStack('U1')[0]?.errors).toEqual({ amount: 'Not a number' });

    await emu.viewSubmission({ user_id: 'U1', view_id: first!.id, callback_id: 'form', state_values: { amount: { v: { type: 'plain_text_input', value: 'next' } } } });
    expect(emu.modalStack('U1')).toMatchObject([{ id: first!.id, title: { text: 'Done' } }]);
    expect(emu.modalStack('U1')[0]?.errors).toBeUndefined();

    await emu.viewSubmission({ user_id: 'U1', view_id: first!.id, callback_id: 'form', state_values: { amount: { v: { type: 'plain_text_input', value: '12' } } } });
    expect(emu.modalStack('U1')).toEqual([]);
    expect(changes.filter((c) => c.kind === 'modal').length).toBeGreaterThanOrEqual(5);
  });
});
