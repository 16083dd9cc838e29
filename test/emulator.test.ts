/**
 * Self-test of the Slack emulator against a real Bolt app (HTTP mode, default HTTPReceiver).
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from './helpers/slack-emulator.ts';

const SECRET = 'emulator-self-test-secret';
const TOKEN = 'xoxb-test';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG = Buffer.concat([PNG_SIGNATURE, Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(32, 7)]);
const PING_BLOCKS = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];

let emu: SlackEmulator;
let app: App;
const seenRetryNums: (number | undefined)[] = [];

beforeAll(async () => {
  emu = await SlackEmulator.start({ signingSecret: SECRET, botToken: TOKEN });
  app = new App({
    signingSecret: SECRET,
    token: TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: {
      slackApiUrl: emu.apiUrl,
      // Fast and deterministic: one immediate retry (the default policy waits seconds to minutes).
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    },
  });

  app.command('/ping', async ({ ack, client, respond }) => {
    await ack('pong');
    await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks: PING_BLOCKS });
    await respond({ text: 'later' });
  });

  app.action('approve', async ({ ack, body, respond }) => {
    await ack();
    const value = body.type === 'block_actions' && body.actions[0]?.type === 'button' ? body.actions[0].value : '?';
    await respond({ text: `approved ${value}`, replace_original: true });
  });

  app.view('deal_modal', async ({ ack, view }) => {
    const amount = view.state.values.amount?.amount_input?.value;
    if (!amount) {
      await ack({ response_action: 'errors', errors: { amount: 'Enter an amount' } });
      return;
    }
    await ack();
  });

  app.event('app_mention', async ({ event, client, context }) => {
    seenRetryNums.push(context.retryNum);
    await client.chat.postMessage({ channel: event.channel, text: `you said: ${event.text}` });
  });

  const server = await app.start({ port: 0, host: '127.0.0.1' });
  emu.botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  // Bolt calls auth.test from its constructor when given a single token.
  await emu.waitFor('auth.test');
});

afterAll(async () => {
  await app?.stop();
  await emu?.close();
});

describe('SlackEmulator with a real Bolt app', () => {
  it('answered the auth.test Bolt sends at start-up, with the bot token', () => {
    const [call] = emu.callsTo('auth.test');
    expect(call?.token).toBe(TOKEN);
    expect(call?.response).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' });
  });

  describe('traffic', () => {
    beforeEach(() => emu.reset());

    it('delivers a signed slash command; ack body, Web API call and respond() are all observable', async () => {
      const reply = await emu.slashCommand({ command: '/ping', text: 'hello world & more' });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('pong');
      expect(reply.body).toBe('pong');

      const post = await emu.waitFor('chat.postMessage');
      expect(post.token).toBe(TOKEN);
      expect(post.args.channel).toBe('C1');
      expect(post.args.text).toBe('hi');
      expect(post.args.blocks).toEqual(PING_BLOCKS); // parsed back from the form's JSON string
      expect(post.response).toMatchObject({ ok: true, channel: 'C1', ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });

      const responded = await emu.waitForResponse((p) => p.id === reply.responseUrlId);
      expect(responded.body).toEqual({ text: 'later' });
    });

    it('gives unique increasing message ts and Slack-like errors', async () => {
      const a = await app.client.chat.postMessage({ channel: 'C1', text: 'one' });
      const b = await app.client.chat.postMessage({ channel: 'C1', text: 'two' });
      expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));

      await expect(app.client.chat.postMessage({ channel: 'C1' } as never)).rejects.toMatchObject({
        data: { ok: false, error: 'no_text' },
      });
      await expect(app.client.apiCall('no.such.method')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
      expect(emu.callsTo('no.such.method')).toHaveLength(1);

      emu.setUsergroup('S_SALES', ['U1', 'U2']);
      expect((await app.client.usergroups.users.list({ usergroup: 'S_SALES' })).users).toEqual(['U1', 'U2']);
      await expect(app.client.usergroups.users.list({ usergroup: 'S_NOPE' })).rejects.toMatchObject({
        data: { error: 'no_such_subteam' },
      });

      emu.setUser('U1', { real_name: 'Ann Seller', tz: 'Europe/Berlin' });
      const info = await app.client.users.info({ user: 'U1' });
      expect(info.user).toMatchObject({ id: 'U1', real_name: 'Ann Seller', tz: 'Europe/Berlin' });
      expect((await app.client.users.info({ user: 'U9' })).user).toMatchObject({ id: 'U9', tz: 'UTC' });

      expect((await app.client.conversations.open({ users: 'U1' })).channel?.id).toBe('DU1');
    });

    it('delivers a block action with its own response_url', async () => {
      const reply = await emu.blockAction({ action_id: 'approve', value: 'deal-7', message_ts: '1700000000.000100' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
      const responded = await emu.waitForResponse((p) => p.id === reply.responseUrlId);
      expect(responded.body).toEqual({ text: 'approved deal-7', replace_original: true });
    });

    it('delivers a view submission and returns the ack body (response_action errors)', async () => {
      const bad = await emu.viewSubmission({
        callback_id: 'deal_modal',
        state_values: { amount: { amount_input: { type: 'plain_text_input', value: null } } },
      });
      expect(bad.status).toBe(200);
      expect(bad.body).toEqual({ response_action: 'errors', errors: { amount: 'Enter an amount' } });

      const good = await emu.viewSubmission({
        callback_id: 'deal_modal',
        state_values: { amount: { amount_input: { type: 'plain_text_input', value: '1200' } } },
      });
      expect(good).toMatchObject({ status: 200, text: '' });
    });

    it('delivers Events API callbacks, including redeliveries with retry headers', async () => {
      const reply = await emu.event({ type: 'app_mention', user: 'U1', channel: 'C_SALES', text: '<@UBOT> status' });
      expect(reply.status).toBe(200);
      const post = await emu.waitFor('chat.postMessage');
      expect(post.args).toMatchObject({ channel: 'C_SALES', text: 'you said: <@UBOT> status' });

      await emu.event({ type: 'app_mention', user: 'U1', channel: 'C_SALES', text: 'again' }, { retryNum: 1 });
      await emu.waitFor('chat.postMessage', (c) => c.args.text === 'you said: again');
      expect(seenRetryNums).toEqual([undefined, 1]);
    });

    it('rejects forged, stale and unsigned requests with 401', async () => {
      const forged = await emu.slashCommand({ command: '/ping', text: '' }, { secret: 'wrong-secret' });
      expect(forged.status).toBe(401);
      const stale = await emu.slashCommand(
        { command: '/ping', text: '' },
        { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
      );
      expect(stale.status).toBe(401);
      const unsigned = await emu.slashCommand({ command: '/ping', text: '' }, { unsigned: true });
      expect(unsigned.status).toBe(401);
      const raw = await emu.rawPost('command=%2Fping&text=', {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
        'X-Slack-Signature': 'v0=deadbeef',
      });
      expect(raw.status).toBe(401);
      expect(emu.calls).toHaveLength(0);
      expect(emu.responseUrlPosts).toHaveLength(0);
    });

    it('failNext: a 429 with Retry-After is retried by the WebClient; persistent 503s surface', async () => {
      emu.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '0' } });
      const res = await app.client.chat.postMessage({ channel: 'C1', text: 'retry me' });
      expect(res.ok).toBe(true);
      expect(emu.callsTo('chat.postMessage').map((c) => c.failed ?? false)).toEqual([true, false]);
      // Without a predicate, waitFor skips failed attempts.
      expect((await emu.waitFor('chat.postMessage')).failed).toBeUndefined();

      emu.reset();
      emu.failNext('chat.postMessage', 2, { status: 503, body: 'upstream down' });
      await expect(app.client.chat.postMessage({ channel: 'C1', text: 'doomed' })).rejects.toMatchObject({
        code: 'slack_webapi_http_error',
        statusCode: 503,
      });
      expect(emu.callsTo('chat.postMessage')).toHaveLength(2); // first try + 1 retry
    });

    it('stores the bytes of files.uploadV2 (getUploadURLExternal → upload POST → completeUploadExternal)', async () => {
      const res = await app.client.files.uploadV2({ channel_id: 'C1', file: PNG, filename: 'x.png' });
      expect(res.ok).toBe(true);

      const getUrl = emu.callsTo('files.getUploadURLExternal')[0]!;
      expect(getUrl.args).toMatchObject({ filename: 'x.png', length: String(PNG.length) });
      const fileId: string = getUrl.response.file_id;
      const stored = emu.uploads.get(fileId);
      expect(stored?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(stored?.equals(PNG)).toBe(true);

      const complete = await emu.waitFor('files.completeUploadExternal');
      expect(complete.args).toMatchObject({ channel_id: 'C1', files: [{ id: fileId }] });
      expect(complete.response.files[0]).toMatchObject({ id: fileId, name: 'x.png', size: PNG.length });
    });

    it('waitFor rejects with a message listing what was recorded', async () => {
      await app.client.chat.postMessage({ channel: 'C1', text: 'x' });
      await expect(emu.waitFor('views.open', undefined, 50)).rejects.toThrow(/views\.open.*chat\.postMessage/);
    });

    it('rejects Web API calls with a wrong token when botToken is set', async () => {
      await expect(app.client.auth.test({ token: 'xoxb-other' })).rejects.toMatchObject({
        data: { error: 'invalid_auth' },
      });
    });
  });
});

describe('the emulator\'s connections to the bot', () => {
  it('drops an idle kept-alive socket before the bot\'s server would (no request written on a socket being closed)', async () => {
    const { createServer } = await import('node:http');
    const { BotPoster } = await import('../src/workspace/emulator/signing.ts');
    let connections = 0;
    // Node's defaults, as Bolt's HTTPReceiver leaves them: keepAliveTimeout 5 s.
    const server = createServer((_req, res) => res.end('{}'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const poster = new BotPoster('secret');
    poster.botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    try {
      await poster.sendSigned('a=1', 'application/x-www-form-urlencoded', {});
      await new Promise((r) => setTimeout(r, 3_000));
      await poster.sendSigned('a=2', 'application/x-www-form-urlencoded', {});
      // The socket idle for 3 s was closed by the emulator, so the second POST opened a new one.
      expect(connections).toBe(2);
    } finally {
      poster.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
