/**
 * Several instances on one PostgreSQL database (SPEC §8): three real bots in HTTP mode behind a
 * small round-robin proxy on loopback, as a load balancer would spread Slack's requests.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { rowsOf } from '../src/repos/store.ts';
import { JOBS } from '../src/scheduler/jobs.ts';
import { startDealdesk, type Running } from '../src/server.ts';
import { ACTION } from '../src/slack/ids.ts';
import { baseEnv, BOT_TOKEN, buttons, CHANNELS, readable, SIGNING_SECRET, TestClock, USERS } from './helpers/harness.ts';
import { freshPgDatabase } from './helpers/pg.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';

let emu: SlackEmulator;
let bots: Running[] = [];
let proxy: Server;
const clock = new TestClock(Date.parse('2026-11-27T09:00:00Z'));
/** Which instance each request reached, in order. */
const reached: number[] = [];

/** Forwards each request to the next bot in turn, body and headers as they came. */
function roundRobin(ports: () => number[]): Server {
  let next = 0;
  return createServer((req, res) => {
    const i = next++ % ports().length;
    reached.push(i);
    const up = request({ host: '127.0.0.1', port: ports()[i], path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
}

beforeAll(async () => {
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  const url = await freshPgDatabase();
  for (let i = 0; i < 3; i++) {
    const config = loadConfig({ ...baseEnv(emu.apiUrl, ':memory:'), DATABASE_URL: url, DEALDESK_INSTANCE_ID: `instance-${i}` });
    const logger = createLogger('warn', [config.botToken, config.signingSecret]);
    bots.push(await startDealdesk(config, { now: clock.now, host: '127.0.0.1', logger, outbox: { perChannelMs: 20, pollMs: 100 } }));
  }
  proxy = roundRobin(() => bots.map((b) => b.port));
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  emu.botUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  for (const b of bots) await b.stop();
  bots = [];
  await new Promise((r) => proxy?.close(r));
  await emu?.close();
});

const cmd = (command: string, text: string, user_id: string = USERS.seller) => emu.slashCommand({ command, text, user_id });

describe('three instances on one PostgreSQL database', () => {
  it('all run on PostgreSQL, and the proxy spreads requests over all three', async () => {
    expect(bots.map((b) => b.store.dialect)).toEqual(['postgres', 'postgres', 'postgres']);
    reached.length = 0;
    for (let i = 0; i < 3; i++) expect((await cmd('/client', 'help')).status).toBe(200);
    expect(new Set(reached).size).toBe(3);
  });

  it('20 simultaneous Approve clicks spread over the three make one decision', async () => {
    await cmd('/client', 'add Spread Ltd');
    const r = await cmd('/contract', 'new Spread Ltd amount:12,500.50 EUR net:30 kind:goods subject:Steel beams');
    const id = Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]);
    expect(id, readable(r.body)).toBeGreaterThan(0);
    const legal = await emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    const value = buttons(legal.args).find((b) => b.action_id === ACTION.approve)!.value;
    reached.length = 0;
    const clicks = await Promise.all(Array.from({ length: 20 }, () => emu.blockAction({ action_id: ACTION.approve, value, user_id: USERS.legal, channel_id: CHANNELS.legal })));
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    expect(new Set(reached).size).toBe(3);
    const decided = await bots[0]!.store.read((tx) => rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM approvals WHERE contract_id = ${id} AND function = 'legal' AND decision IS NOT NULL`));
    expect(Number(decided[0]!.n)).toBe(1);
    const refusals = await Promise.all(clicks.map((c) => emu.waitForResponse((p) => p.id === c.responseUrlId, 3000).catch(() => undefined)));
    expect(refusals.filter((x) => x && readable(x.body).includes('already approved'))).toHaveLength(19);
    const audit = await bots[0]!.store.read((tx) => rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM audit_events WHERE entity = 'contract' AND entity_id = ${id} AND action = 'decided'`));
    expect(Number(audit[0]!.n)).toBe(1);
  });

  it('ten people adding the same client at once through three instances make one client, and the others are told', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => cmd('/client', 'add Raced Name Ltd')));
    const texts = answers.map((a) => readable(a.body));
    expect(texts.filter((t) => t.includes('Added client'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('There is already a client called *Raced Name Ltd*')), texts.join('\n')).toHaveLength(9);
    const rows = await bots[2]!.store.read((tx) => rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM clients WHERE name = 'Raced Name Ltd'`));
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('invoices issued at once through three instances draw distinct numbers from the counter', async () => {
    await cmd('/client', 'add Counter Ltd', USERS.finance);
    const answers = await Promise.all(Array.from({ length: 12 }, () => cmd('/invoice', 'add Counter Ltd 100 EUR', USERS.finance)));
    expect(answers.every((a) => readable(a.body).includes('INV-')), answers.map((a) => readable(a.body)).join('\n')).toBe(true);
    const numbers = answers.map((a) => /INV-\d+/.exec(readable(a.body))![0]);
    expect(new Set(numbers).size).toBe(12);
  });

  it('the same signed request delivered to each instance is taken once', async () => {
    // One delivery from Slack, replayed to every instance (a retry the balancer sent elsewhere).
    const body = new URLSearchParams({ command: '/client', text: 'add Replayed Ltd', user_id: USERS.seller, channel_id: CHANNELS.sales, team_id: 'T0001', trigger_id: 'T-replayed-1', response_url: 'http://127.0.0.1:9/none' }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': emu.sign(body, ts) };
    const answers = await Promise.all(
      bots.map(async (b) => {
        const res = await fetch(`http://127.0.0.1:${b.port}/slack/events`, { method: 'POST', headers, body });
        return readable(await res.json());
      }),
    );
    expect(answers.filter((a) => a.includes('Added client'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already received'))).toHaveLength(2);
    const rows = await bots[1]!.store.read((tx) => rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM clients WHERE name = 'Replayed Ltd'`));
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('a scheduled slot runs once however many instances fire it', async () => {
    const slot = Date.parse('2026-11-27T10:00:00Z');
    const ran = await Promise.all(bots.map((b) => b.scheduler.runSlot(JOBS.approvals, slot)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    const again = await Promise.all(bots.map((b) => b.scheduler.runSlot(JOBS.approvals, slot)));
    expect(again.filter(Boolean)).toHaveLength(0);
    const runs = await bots[2]!.store.read((tx) => rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n FROM job_runs WHERE job = 'approvals' AND run_key LIKE 'approvals@2026-11-27T10:00%'`));
    expect(Number(runs[0]!.n)).toBe(1);
  });
});
