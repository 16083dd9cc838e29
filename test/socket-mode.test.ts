/**
 * The real bot in Socket Mode (SLACK_APP_TOKEN set): Bolt's SocketModeReceiver talks to a loopback
 * WebSocket server that speaks Slack's envelope protocol, and to the Web API emulator for
 * apps.connections.open and everything else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startDealdesk, type Running } from '../src/server.ts';
import { ACTION } from '../src/slack/ids.ts';
import { isWarnOrError } from './helpers/logs.ts';
import { baseEnv, BOT_TOKEN, buttons, readable, SIGNING_SECRET, USERS } from './helpers/harness.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';
import { SocketModeServer } from './helpers/socket-mode-server.ts';

const APP_TOKEN = 'xapp-1-A0EMULATED-1-abc';

let emu: SlackEmulator;
let sm: SocketModeServer;
let bot: Running;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  // Without botToken: the emulator would refuse apps.connections.open (made with the xapp- token)
  // before any method handler runs. Tokens are checked on the recorded calls below instead.
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET });
  sm = await SocketModeServer.start({ emu, appToken: APP_TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-socket-'));
  const config = loadConfig({ ...baseEnv(emu.apiUrl, join(dir, 'dealdesk.db')), SLACK_APP_TOKEN: APP_TOKEN, PORT: '0' });
  const logger = createLogger(config.logLevel, [config.botToken, config.signingSecret, config.appToken], (l) => logs.push(l));
  bot = await startDealdesk(config, { host: '127.0.0.1', logger });
});

afterAll(async () => {
  await bot?.stop();
  // Let the client finish its close handshake before we drop anything that is left.
  await sm?.waitForNoConnections(2000).catch(() => undefined);
  await sm?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const client = (text: string, user_id: string = USERS.seller) => sm.sendSlashCommand({ command: '/client', text, user_id, channel_id: 'C0SALES' });

describe('Socket Mode', () => {
  it('opens the connection with the app token and serves /healthz on PORT', async () => {
    const open = await emu.waitFor('apps.connections.open');
    expect(open.token).toBe(APP_TOKEN);
    expect(open.response).toMatchObject({ ok: true, url: `${sm.linkUrl}?ticket=1` });
    expect(sm.connections).toHaveLength(1);
    expect(sm.openConnections()).toBe(1);

    expect(bot.port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${bot.port}/healthz`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers /client add and /client <name> in the ack, and a card button over the socket', async () => {
    const added = await client('add Socket Co');
    expect(added.connectionId).toBe(1);
    // Bolt's ack(body) becomes {"envelope_id", "payload": body} on the socket.
    expect(JSON.parse(added.raw)).toEqual({ envelope_id: added.envelope_id, payload: added.payload });
    expect(added.payload.response_type).toBe('ephemeral');
    const text = readable(added.payload);
    expect(text).toMatch(/Added client \*#\d+ Socket Co\*/);
    expect(text).toContain('Stage: lead');

    const card = await client('Socket Co');
    expect(readable(card.payload)).toContain('Socket Co');
    expect(readable(card.payload)).toContain('Stage: lead');
    const history = buttons(card.payload).find((b) => b.action_id === ACTION.clientHistory);
    expect(history).toBeDefined();

    // A click: an `interactive` envelope; the bot acks empty and answers on the response_url.
    const click = await sm.sendBlockAction({ action_id: history!.action_id, value: history!.value, user_id: USERS.seller, channel_id: 'C0SALES' });
    expect(click.payload).toEqual({});
    const posted = await emu.waitForResponse((p) => p.id === click.responseUrlId);
    expect(readable(posted.body)).toContain('added the client');
  });

  it('reconnects after a refresh_requested disconnect and keeps answering', async () => {
    const first = sm.current()!;
    expect(first.id).toBe(1);
    sm.sendDisconnect('refresh_requested');

    // socket-mode 3 closes the old socket first (close frame 1000) …
    await sm.waitForClose(first);
    expect(first.closedByClient).toBe(true);
    expect(first.closeCode).toBe(1000);

    // … then, after clientPingTimeout (5 s by default), asks for a new URL and connects again.
    const second = await sm.waitForConnection(2, 12_000);
    const opens = emu.callsTo('apps.connections.open');
    expect(opens).toHaveLength(2);
    expect(opens.every((c) => c.token === APP_TOKEN)).toBe(true);
    expect(second.ticket).toBe(2);
    expect(sm.openConnections()).toBe(1);

    const again = await client('add Socket Two');
    expect(again.connectionId).toBe(second.id);
    expect(readable(again.payload)).toContain('Added client');
    expect(readable((await client('Socket Co')).payload)).toContain('Stage: lead');

    expect(sm.maxOpenConnections).toBeLessThanOrEqual(2);
    expect(sm.strayFrames).toEqual([]);
  }, 20_000);

  it('used the bot token for every other Web API call and logged no errors', () => {
    const others = emu.calls.filter((c) => c.method !== 'apps.connections.open');
    for (const c of others) expect({ method: c.method, token: c.token }).toEqual({ method: c.method, token: BOT_TOKEN });
    expect(logs.filter(isWarnOrError)).toEqual([]);
  });

  it('stop() closes the socket and the health port, and does not reconnect', async () => {
    const conn = sm.current()!;
    const opensBefore = emu.callsTo('apps.connections.open').length;
    await bot.stop();
    await sm.waitForClose(conn, 3000);
    expect(conn.closedByClient).toBe(true);
    expect(conn.closeCode).toBe(1000);
    await expect(fetch(`http://127.0.0.1:${bot.port}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.callsTo('apps.connections.open')).toHaveLength(opensBefore);
    expect(sm.openConnections()).toBe(0);
    expect(sm.maxOpenConnections).toBeLessThanOrEqual(2);
  });
});
