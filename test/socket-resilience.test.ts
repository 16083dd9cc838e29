/**
 * Socket Mode resilience of the real bot (startDealdesk with SLACK_APP_TOKEN) against the loopback
 * Socket Mode server: `disconnect` requests (`warning`, `too_many_websockets`), sockets the server
 * closes or drops, and a command whose ack is lost with the socket and is then redelivered.
 *
 * What @slack/socket-mode 3.1 does (node_modules/@slack/socket-mode/dist/src/SocketModeClient.js):
 *  - every `{"type":"disconnect"}` is handled the same, whatever the reason (onWebSocketMessage,
 *    line ~332: `if (event.type === 'disconnect') { …; this.websocket?.disconnect(); return; }`):
 *    it sends a close frame (1000) at once, and once the close completes (the `close` handler,
 *    line ~165) schedules a reconnect in clientPingTimeout × consecutive failures (line ~247;
 *    the counter is reset by every successful apps.connections.open, so 5 s each time).
 *    `too_many_websockets` is not treated as fatal: it reconnects like the rest.
 *  - so there is never more than one connection, and always a ~5 s gap with none. Envelopes that
 *    arrive after that close frame are dropped by undici (websocket.js #onMessage returns unless
 *    readyState is OPEN), and an ack for an envelope still being handled fails with
 *    SMSendWhileNotReadyError. src/slack/socket-handover.ts closes that gap for `warning` and
 *    `refresh_requested`: a second connection first, the old one closed once it is up.
 *  - a socket closed (1001) or dropped (1006) by the server: undici fires `close`, the client cleans
 *    up and reconnects the same way.
 * Each reconnect costs ~5 s of wall time; the file makes six of them (~35 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startDealdesk, type Running } from '../src/server.ts';
import { isWarnOrError } from './helpers/logs.ts';
import { baseEnv, readable, SIGNING_SECRET, USERS } from './helpers/harness.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';
import { SocketModeServer, type SendEnvelopeOpts, type SmAck, type SmConnection } from './helpers/socket-mode-server.ts';

const APP_TOKEN = 'xapp-1-A0EMULATED-1-resilience';
/** socket-mode's reconnect delay is clientPingTimeout (5 s); leave room for a slow machine. */
const RECONNECT_MS = 15_000;
const TEST_MS = 40_000;
const ALREADY = /already received; nothing was done twice/;

let emu: SlackEmulator;
let sm: SocketModeServer;
let bot: Running;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  // Without botToken: the emulator would refuse apps.connections.open (made with the xapp- token).
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET });
  // Slack pings its Socket Mode connections; so do we, which also arms the client's server-ping watch.
  sm = await SocketModeServer.start({ emu, appToken: APP_TOKEN, pingIntervalMs: 2000 });
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-socket-resilience-'));
  const config = loadConfig({ ...baseEnv(emu.apiUrl, join(dir, 'dealdesk.db')), SLACK_APP_TOKEN: APP_TOKEN, PORT: '0' });
  const logger = createLogger(config.logLevel, [config.botToken, config.signingSecret, config.appToken], (l) => logs.push(l));
  bot = await startDealdesk(config, { host: '127.0.0.1', logger });
});

afterAll(async () => {
  await bot?.stop();
  await sm?.waitForNoConnections(2000).catch(() => undefined);
  await sm?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const client = (text: string, opts: SendEnvelopeOpts = {}) => sm.sendSlashCommand({ command: '/client', text, user_id: USERS.seller, channel_id: 'C0SALES' }, opts);

/** Settles either way: the ack, or why there was none. */
const settle = (p: Promise<SmAck>) =>
  p.then(
    (ack) => ({ acked: true as const, ack }),
    (err: Error) => ({ acked: false as const, error: err.message }),
  );

const clientsNamed = (name: string): number => (bot.db.$client.prepare('SELECT count(*) AS n FROM clients WHERE name = ?').get(name) as { n: number }).n;

const opens = () => emu.callsTo('apps.connections.open').length;

/** After a reconnect: the old connection closed, and only the new one — reached through one more apps.connections.open — is open. */
async function expectReconnected(old: SmConnection, opensBefore: number): Promise<SmConnection> {
  await sm.waitForClose(old, RECONNECT_MS);
  const next = await sm.waitForConnection(old.id + 1, RECONNECT_MS);
  expect(sm.connections).toHaveLength(old.id + 1);
  expect(opens()).toBe(opensBefore + 1);
  expect(emu.callsTo('apps.connections.open').at(-1)!.token).toBe(APP_TOKEN);
  expect(next.ticket).toBe(opensBefore + 1);
  expect(sm.openConnections()).toBe(1);
  expect(sm.current()).toBe(next);
  return next;
}

/** `/client add <name>` and `/client <name>` answered on `conn`, and exactly one record made. */
async function expectServed(name: string, conn: SmConnection): Promise<void> {
  const added = await client(`add ${name}`);
  expect(added.connectionId).toBe(conn.id);
  expect(readable(added.payload)).toMatch(new RegExp(`Added client \\*#\\d+ ${name}\\*`));
  const card = await client(name);
  expect(card.connectionId).toBe(conn.id);
  expect(readable(card.payload)).toContain('Stage: lead');
  expect(clientsNamed(name)).toBe(1);
}

/** What happened around the `warning` disconnect, for the pinned-gap test further down. */
let warning: {
  inflight: Awaited<ReturnType<typeof settle>>;
  during: Awaited<ReturnType<typeof settle>>;
  old: SmConnection;
  next: SmConnection;
} | undefined;

describe('Socket Mode resilience', () => {
  it('is connected once and answering', async () => {
    const first = await sm.waitForConnection(1);
    expect(opens()).toBe(1);
    await expectServed('Before Co', first);
  });

  it('disconnect "warning": keeps working, moves to a new connection, answers after; nothing done twice', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    // A command on its way when Slack announces the connection will close in ~10 s, and one that
    // Slack delivers on that connection right after the announcement (it is still Slack's open link).
    const inflight = settle(client('add Warning Inflight Co', { ackTimeoutMs: 3000 }));
    sm.sendDisconnect('warning', old);
    const during = settle(client('add Warning During Co', { ackTimeoutMs: 3000 }));

    const next = await expectReconnected(old, opensBefore);
    expect(old.closedByClient).toBe(true);
    expect(old.closeCode).toBe(1000);
    warning = { inflight: await inflight, during: await during, old, next };

    await expectServed('After Warning Co', next);
    // Whatever became of the two commands, neither was carried out twice.
    expect(clientsNamed('Warning Inflight Co')).toBeLessThanOrEqual(1);
    expect(clientsNamed('Warning During Co')).toBeLessThanOrEqual(1);
  }, TEST_MS);

  // Known gap in @slack/socket-mode 3.1 (see the header): it breaks before it makes. Flip to `it`
  // once the bot hands over to a new connection before closing the old one.
  it('disconnect "warning": answers the commands in flight and delivered during the warning, with no gap between connections', () => {
    expect(warning).toBeDefined();
    const { inflight, during, old, next } = warning!;
    expect(inflight).toMatchObject({ acked: true });
    expect(during).toMatchObject({ acked: true });
    expect(next.openedAt).toBeLessThanOrEqual(old.closedAt!);
  });

  it('disconnect "too_many_websockets": not fatal — reconnects like any other disconnect', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    sm.sendDisconnect('too_many_websockets', old);
    const next = await expectReconnected(old, opensBefore);
    expect(old.closedByClient).toBe(true);
    expect(old.closeCode).toBe(1000);
    await expectServed('After Too Many Co', next);
  }, TEST_MS);

  it('socket dropped by the server without a close frame: reconnects and answers', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    sm.closeConnection(old, 'terminate');
    const next = await expectReconnected(old, opensBefore);
    expect(old.closedByClient).toBe(false);
    expect(old.closeCode).toBe(1006);
    await expectServed('After Terminate Co', next);
  }, TEST_MS);

  it('socket closed by the server with a close frame: reconnects and answers', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    sm.closeConnection(old, 'close', 1001);
    const next = await expectReconnected(old, opensBefore);
    expect(old.closedByClient).toBe(false);
    expect(old.closeCode).toBe(1001);
    await expectServed('After Close Co', next);
  }, TEST_MS);

  it('a command whose ack is lost with the socket, redelivered with the same envelope after reconnecting, is carried out once', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    // The bot does the work and acks; the connection dies with the ack on the wire.
    const lost = await client('add Lost Ack Co', { loseAck: 'close' });
    expect(lost.lost).toBe(true);
    expect(readable(lost.payload)).toMatch(/Added client \*#\d+ Lost Ack Co\*/);
    expect(clientsNamed('Lost Ack Co')).toBe(1);
    const next = await expectReconnected(old, opensBefore);

    // Slack retries: same envelope_id, same payload (so the same trigger_id).
    const again = await sm.redeliver(lost.envelope_id);
    const deliveries = sm.envelopes.filter((e) => e.envelope_id === lost.envelope_id);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.payload).toEqual(deliveries[0]!.payload);
    expect(deliveries[1]!.payload.trigger_id).toBeTruthy();
    expect(again.connectionId).toBe(next.id);
    expect(readable(again.payload)).toMatch(ALREADY);
    expect(clientsNamed('Lost Ack Co')).toBe(1);
    await expectServed('After Lost Ack Co', next);
  }, TEST_MS);

  it('a command whose socket is dropped right after it is sent, redelivered after reconnecting, is carried out once', async () => {
    const old = sm.current()!;
    const opensBefore = opens();
    // Dropped in the same tick: the bot may or may not have read it before the socket died.
    const first = settle(client('add Dropped Co', { ackTimeoutMs: 2000 }));
    sm.closeConnection(old, 'terminate');
    const next = await expectReconnected(old, opensBefore);
    const sent = await first;
    expect(sent.acked).toBe(false);
    const envelopeId = sm.envelopes.find((e) => e.payload?.text === 'add Dropped Co')!.envelope_id;

    const again = await sm.redeliver(envelopeId);
    expect(again.connectionId).toBe(next.id);
    // Either the first delivery was carried out (and this one is recognised) or this one is.
    expect(readable(again.payload)).toMatch(new RegExp(`Added client \\*#\\d+ Dropped Co\\*|${ALREADY.source}`));
    expect(clientsNamed('Dropped Co')).toBe(1);
  }, TEST_MS);

  it('never held more than two connections, acked no delivery twice, and left one connection open', () => {
    expect(sm.maxOpenConnections).toBeGreaterThanOrEqual(1);
    expect(sm.maxOpenConnections).toBeLessThanOrEqual(2);
    // Each connection was opened through its own apps.connections.open; no connection left behind.
    expect(sm.connections.map((c) => c.ticket)).toEqual(sm.connections.map((_, i) => i + 1));
    expect(opens()).toBe(sm.connections.length);
    expect(sm.openConnections()).toBe(1);
    expect(sm.connections.slice(0, -1).every((c) => c.closedAt !== undefined)).toBe(true);

    const allAcks = [...sm.acks, ...sm.lostAcks];
    for (const id of new Set(sm.envelopes.map((e) => e.envelope_id))) {
      const acks = allAcks.filter((a) => a.envelope_id === id);
      // At most one ack per delivery, and never two on the same connection.
      expect({ id, acks: acks.length <= sm.deliveries(id) }).toEqual({ id, acks: true });
      expect({ id, perConnection: new Set(acks.map((a) => a.connectionId)).size }).toEqual({ id, perConnection: acks.length });
    }
    // The commands sent on a healthy connection were each acked exactly once.
    for (const name of ['Before Co', 'After Warning Co', 'After Too Many Co', 'After Terminate Co', 'After Close Co', 'After Lost Ack Co']) {
      const env = sm.envelopes.filter((e) => e.payload?.text === `add ${name}`);
      expect(env).toHaveLength(1);
      expect(allAcks.filter((a) => a.envelope_id === env[0]!.envelope_id)).toHaveLength(1);
    }
    expect(sm.strayFrames).toEqual([]);
  });

  it('logged no errors beyond the dropped sockets and the acks that could not be sent', () => {
    // One JSON line each, its stack (if any) inside it.
    const expected = [/WebSocket error/, /has no active connection/, /SMSendWhileNotReadyError|SMSendWhileDisconnectedError/];
    const unexpected = logs.filter(isWarnOrError).filter((l) => !expected.some((re) => re.test(l)));
    expect(unexpected).toEqual([]);
  });
});
