/**
 * Several bot instances sharing one database (SPEC §8, issue 13 item 3): two OutboxSenders, each
 * with its own connection, deliver one outbox to the Slack emulator — each message once, in order
 * per channel, one instance at a time per channel, the per-channel pace and a 429's Retry-After
 * holding across both; an instance killed mid-delivery loses nothing once its lease lapses.
 * On SQLite (one file, two connections) and on PostgreSQL (one database, two pools).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { openDb } from '../src/repos/db.ts';
import { countUndelivered, enqueue, type OutboxItem } from '../src/repos/outbox.ts';
import { openPgStore } from '../src/repos/open.ts';
import { SqliteStore, type Store } from '../src/repos/store.ts';
import { OutboxSender, type SenderOptions } from '../src/slack/outbox-sender.ts';
import { freshPgDatabase } from './helpers/pg.ts';
import { SlackEmulator, type ApiCall } from './helpers/slack-emulator.ts';

const TOKEN = 'xoxb-instances-test';
const logs: string[] = [];
const logger = createLogger('warn', [TOKEN], (l) => logs.push(l));

/** One database, reached through two independent connections (two "instances"). */
interface Shared {
  stores: [Store, Store];
  close(): Promise<void>;
}

async function sqliteShared(): Promise<Shared> {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-instances-'));
  const path = join(dir, 'dealdesk.db');
  const stores: [Store, Store] = [new SqliteStore(openDb(path)), new SqliteStore(openDb(path))];
  return {
    stores,
    async close() {
      for (const s of stores) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgShared(): Promise<Shared> {
  const url = await freshPgDatabase();
  const open = (): Promise<Store> => openPgStore(url, { migrate: false });
  const stores: [Store, Store] = [await open(), await open()];
  return {
    stores,
    async close() {
      for (const s of stores) await s.close().catch(() => undefined);
    },
  };
}

/**
 * A Slack in front of the emulator that holds chosen requests: `hold` answers after `delayMs`
 * (forwarded to the emulator then), or never (`delayMs` undefined) until close() drops the
 * sockets; `'after'`: forwarded at once (Slack has the message) but the answer never comes back.
 */
class SlowSlack {
  readonly apiUrl: string;
  held = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    private readonly emu: SlackEmulator,
    private readonly hold: (method: string, n: number) => boolean,
    private readonly delayMs: number | 'after' | undefined,
  ) {
    this.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(emu: SlackEmulator, hold: (method: string, n: number) => boolean, delayMs?: number | 'after'): Promise<SlowSlack> {
    let slow: SlowSlack | undefined;
    let n = 0;
    const server = createServer((req, res) => void slow!.serve(req, res, ++n).catch(() => res.destroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    slow = new SlowSlack(server, emu, hold, delayMs);
    return slow;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, n: number): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '');
    const held = this.hold(method, n);
    if (held) {
      this.held++;
      if (this.delayMs === undefined) return; // never answered
      const delay = this.delayMs;
      if (typeof delay === 'number') await new Promise((r) => setTimeout(r, delay));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const r = await fetch(`${this.emu.baseUrl}${req.url}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) });
    if (held && this.delayMs === 'after') return; // Slack has it; the answer is lost
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json', ...(r.headers.get('retry-after') ? { 'retry-after': r.headers.get('retry-after')! } : {}) });
    res.end(Buffer.from(await r.arrayBuffer()));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const post = (channel: string, text: string): OutboxItem => ({ op: 'post', channel, payload: { text } });
const landed = (c: ApiCall) => c.method === 'chat.postMessage' && !c.failed && c.response?.ok === true;
const textsIn = (emu: SlackEmulator, channel: string): string[] => emu.calls.filter((c) => landed(c) && c.args.channel === channel).map((c) => String(c.args.text));
const atsIn = (emu: SlackEmulator, channel: string): number[] => emu.calls.filter((c) => landed(c) && c.args.channel === channel).map((c) => c.at);
const numbered = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

async function waitUntil(what: string, ok: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each([
  ['SQLite (one file, two connections)', sqliteShared],
  ['PostgreSQL (one database, two pools)', pgShared],
] as const)('two outbox senders over one database: %s', (_name, open) => {
  let db: Shared;
  let emu: SlackEmulator;
  const senders: OutboxSender[] = [];
  const slows: SlowSlack[] = [];

  beforeEach(async () => {
    logs.length = 0;
    db = await open();
    emu = await SlackEmulator.start({ signingSecret: 'instances-secret', botToken: TOKEN });
  });
  afterEach(async () => {
    for (const s of slows.splice(0)) await s.close();
    for (const s of senders.splice(0)) await s.stop();
    await emu.close();
    await db.close();
  });

  const sender = (i: 0 | 1, opts: SenderOptions = {}, apiUrl = emu.apiUrl): OutboxSender => {
    const s = new OutboxSender(db.stores[i], TOKEN, apiUrl, logger, { perChannelMs: 0, pollMs: 50, leaseMs: 2000, holder: `instance-${i}`, ...opts });
    senders.push(s);
    return s;
  };
  const add = (items: OutboxItem[]): Promise<void> => db.stores[0].write((tx) => enqueue(tx, items, Date.now()));
  const drained = (timeoutMs: number): Promise<void> => waitUntil('the outbox to drain', async () => (await db.stores[1].read(countUndelivered)) === 0, timeoutMs);

  it('30 messages in one channel: each delivered once, in order, with both senders running', async () => {
    const a = sender(0);
    const b = sender(1);
    await add(numbered('m', 30).map((t) => post('C1', t)));
    a.start();
    b.start();
    await drained(15_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(textsIn(emu, 'C1')).toEqual(numbered('m', 30));
  });

  it('two channels progress in parallel, each paced and in order', async () => {
    const a = sender(0, { perChannelMs: 200 });
    const b = sender(1, { perChannelMs: 200 });
    await add(numbered('x', 6).flatMap((t) => [post('C1', `C1 ${t}`), post('C2', `C2 ${t}`)]));
    a.start();
    b.start();
    await drained(15_000);
    for (const ch of ['C1', 'C2']) expect(textsIn(emu, ch)).toEqual(numbered(`${ch} x`, 6));
    // Paced per channel, not overall, and not one channel after the other: C2's posts land
    // between C1's (one channel at a time per instance would put them all before or after).
    const [c1, c2] = [atsIn(emu, 'C1'), atsIn(emu, 'C2')];
    const between = c2.filter((at) => at > c1[0]! && at < c1[5]!);
    expect(between.length, `C1 at ${c1.join(', ')}; C2 at ${c2.join(', ')}`).toBeGreaterThanOrEqual(4);
  });

  it('the pace holds across instances: posts to one channel stay about perChannelMs apart', async () => {
    const a = sender(0, { perChannelMs: 200 });
    const b = sender(1, { perChannelMs: 200 });
    await add(numbered('p', 8).map((t) => post('C1', t)));
    a.start();
    b.start();
    await drained(15_000);
    expect(textsIn(emu, 'C1')).toEqual(numbered('p', 8));
    const ats = atsIn(emu, 'C1');
    const gaps = ats.slice(1).map((at, i) => at - ats[i]!);
    expect(gaps.filter((g) => g < 185), `gaps ${gaps.join(', ')} ms`).toEqual([]);
  });

  it("a 429's Retry-After pauses the channel for the other instance too", async () => {
    emu.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '1' } });
    const a = sender(0, { perChannelMs: 20 });
    const b = sender(1, { perChannelMs: 20 });
    await add(numbered('r', 5).map((t) => post('C1', t)));
    a.start();
    b.start();
    await drained(15_000);
    expect(textsIn(emu, 'C1')).toEqual(numbered('r', 5));
    const limited = emu.calls.find((c) => c.method === 'chat.postMessage' && c.failed)!;
    const next = emu.calls.find((c) => c.method === 'chat.postMessage' && c.at > limited.at && c !== limited)!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
  });

  it('a message waiting for its retry after a 503 holds back the ones behind it in its channel, not other channels', async () => {
    // C1's first post fails, whichever of the two senders takes which channel first.
    emu.failNext('chat.postMessage', 1, { status: 503, when: (args) => args.channel === 'C1' });
    const a = sender(0);
    const b = sender(1);
    await add([...numbered('h', 4).map((t) => post('C1', t)), post('C2', 'other')]);
    a.start();
    b.start();
    await drained(15_000);
    expect(textsIn(emu, 'C1')).toEqual(numbered('h', 4));
    const failed = emu.calls.find((c) => c.method === 'chat.postMessage' && c.failed)!;
    // The backoff after a first failure is a second; C2 did not wait for it.
    expect(atsIn(emu, 'C1')[0]! - failed.at).toBeGreaterThanOrEqual(950);
    expect(atsIn(emu, 'C2')[0]! - failed.at).toBeLessThan(500);
  });

  it('an instance killed mid-delivery: its lease lapses and the other delivers everything once, in order', async () => {
    // Instance 0's first post never gets an answer; then it dies (its connection is gone: no renewals, no records).
    const hang = await SlowSlack.start(emu, (m) => m === 'chat.postMessage');
    slows.push(hang);
    const a = sender(0, { leaseMs: 600 }, hang.apiUrl);
    await add(numbered('k', 5).map((t) => post('C1', t)));
    a.start();
    await waitUntil('instance 0 to be stuck in Slack', () => hang.held === 1, 5000);
    const killedAt = Date.now();
    await db.stores[0].close();
    const b = sender(1, { leaseMs: 600 });
    b.start();
    await drained(15_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(textsIn(emu, 'C1')).toEqual(numbered('k', 5));
    // Not before the dead instance's lease ran out.
    expect(atsIn(emu, 'C1')[0]! - killedAt).toBeGreaterThanOrEqual(300);
  });

  it('the at-least-once edge: killed after Slack took a message but before recording it, that one message comes twice', async () => {
    const lost = await SlowSlack.start(emu, (m) => m === 'chat.postMessage', 'after');
    slows.push(lost);
    const a = sender(0, { leaseMs: 600 }, lost.apiUrl);
    await add(numbered('d', 3).map((t) => post('C1', t)));
    a.start();
    await waitUntil('Slack to have the first message', () => textsIn(emu, 'C1').length === 1, 5000);
    await db.stores[0].close();
    const b = sender(1, { leaseMs: 600 });
    b.start();
    await drained(15_000);
    await new Promise((r) => setTimeout(r, 200));
    // One duplicate at most, and the order still holds.
    expect(textsIn(emu, 'C1')).toEqual(['d 1', 'd 1', 'd 2', 'd 3']);
  });

  it('a live instance in a slow Slack call keeps its lease: nothing is sent twice', async () => {
    // Instance 0's first post takes 3 × the lease; it renews its lease meanwhile.
    const slow = await SlowSlack.start(emu, (m, n) => m === 'chat.postMessage' && n === 1, 1500);
    slows.push(slow);
    const a = sender(0, { leaseMs: 500 }, slow.apiUrl);
    const b = sender(1, { leaseMs: 500 });
    await add(numbered('s', 5).map((t) => post('C1', t)));
    a.start();
    await waitUntil('instance 0 to be in its slow call', () => slow.held === 1, 5000);
    b.start();
    await drained(15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsIn(emu, 'C1')).toEqual(numbered('s', 5));
  });
});
