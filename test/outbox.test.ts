/**
 * The outbox over the wire: Slack's 429 (Retry-After) and 5xx answers are retried until each
 * message lands exactly once; posts to one channel are paced; what could not be sent before a
 * stop is sent after the next start, once.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { messageKey } from '../src/domain/outbox.ts';
import { ACTION } from '../src/slack/ids.ts';
import type { ApiCall } from './helpers/slack-emulator.ts';
import { buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const undelivered = (hh: Harness): number =>
  (hh.bot.db.$client.prepare("SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')").get() as { n: number }).n;

async function drained(hh: Harness, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (undelivered(hh) > 0) {
    if (Date.now() > deadline) throw new Error(`outbox not drained within ${timeoutMs} ms: ${JSON.stringify(hh.bot.db.$client.prepare("SELECT id, op, channel, state, attempts, last_error FROM outbox WHERE state IN ('pending', 'sending')").all())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start-up catch-up jobs post digests; let them finish so the failures below hit our messages. */
async function settle(hh: Harness): Promise<void> {
  await hh.bot.scheduler.pending;
  await drained(hh, 15_000);
}

async function submit(hh: Harness, client: string): Promise<number> {
  const added = await hh.emu.slashCommand({ command: '/client', text: `add ${client}`, user_id: USERS.seller });
  expect(readable(added.body)).toContain('Added client');
  const r = await hh.emu.slashCommand({ command: '/contract', text: `new ${client} amount:12,500.50 EUR net:30 kind:goods subject:Steel beams, 40 t`, user_id: USERS.seller });
  const id = Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]);
  expect(id, readable(r.body)).toBeGreaterThan(0);
  return id;
}

const delivered = (c: ApiCall) => c.method === 'chat.postMessage' && !c.failed && c.response?.ok === true;
const isRoot = (id: number, channel: string) => (c: ApiCall) => c.method === 'chat.postMessage' && c.args.channel === channel && !c.args.thread_ts && readable(c.args).includes(`Contract #${id} `);
const rootDelivered = (id: number, channel: string) => (c: ApiCall) => delivered(c) && isRoot(id, channel)(c);

describe('the outbox against a struggling Slack', () => {
  it('retries a 429 (after Retry-After) and two 503s; each channel gets the contract once; the update targets the recorded ts', async () => {
    h = await startHarness();
    await settle(h);
    const mark = h.emu.calls.length;
    h.emu.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '1' } });
    h.emu.failNext('chat.postMessage', 2, { status: 503 });
    const id = await submit(h, 'Flaky Slack Ltd');
    const legal = await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.legal), 10_000);
    const finance = await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.finance), 10_000);
    await drained(h, 10_000);

    const calls = h.emu.calls.slice(mark);
    const failed = calls.filter((c) => c.method === 'chat.postMessage' && c.failed);
    expect(failed.map((c) => c.response?.error)).toEqual(['ratelimited', 'http_503', 'http_503']);
    // The rate-limited channel was left alone for the second Slack asked for.
    const limited = failed[0]!;
    const nextToSameChannel = calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === limited.args.channel && c.at > limited.at);
    expect(nextToSameChannel).toBeDefined();
    expect(nextToSameChannel!.at - limited.at).toBeGreaterThanOrEqual(950);

    for (const channel of [CHANNELS.legal, CHANNELS.finance]) {
      expect(calls.filter(rootDelivered(id, channel)), channel).toHaveLength(1);
      // Every attempt was the same message: failed ones plus the one that landed.
      expect(calls.filter(isRoot(id, channel)).length, channel).toBeGreaterThanOrEqual(1);
    }
    expect(calls.filter((c) => [CHANNELS.legal, CHANNELS.finance].includes(c.args.channel) && isRoot(id, c.args.channel)(c)).length).toBe(2 + 3);

    // Where each root lives is recorded, with the ts of the delivery that landed.
    const recorded = (fn: string) => h!.bot.db.$client.prepare('SELECT channel, ts FROM slack_messages WHERE key = ?').get(messageKey.approvalRequest(id, fn));
    expect(recorded('legal')).toEqual({ channel: CHANNELS.legal, ts: legal.response.ts });
    expect(recorded('finance')).toEqual({ channel: CHANNELS.finance, ts: finance.response.ts });

    // The approval updates that very message, and replies in its thread.
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(legal.args)[0]!.value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    const update = await h.emu.waitFor('chat.update', (c) => !c.failed && c.args.channel === CHANNELS.legal && readable(c.args).includes('approved by <@U0LEGAL>'), 10_000);
    expect(update.args.ts).toBe(legal.response.ts);
    await h.emu.waitFor('chat.postMessage', (c) => delivered(c) && c.args.thread_ts === legal.response.ts, 10_000);
    await drained(h, 10_000);
    const delivedTs = new Set(h.emu.calls.filter(delivered).map((c) => c.response.ts));
    for (const u of h.emu.calls.filter((c) => c.method === 'chat.update')) expect(delivedTs.has(u.args.ts), JSON.stringify(u.args).slice(0, 200)).toBe(true);
    for (const r of h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts)) expect(delivedTs.has(r.args.thread_ts)).toBe(true);
  }, 40_000);

  it('paces posts to one channel about a second apart', async () => {
    h = await startHarness({}, { perChannelMs: 1000 });
    await settle(h);
    const mark = h.emu.calls.length;
    const id = await submit(h, 'Paced Ltd');
    const legal = await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.legal), 10_000);
    // Clicked at once: the thread reply it causes must still wait for the channel's turn.
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(legal.args)[0]!.value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    const finance = await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.finance), 10_000);
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(finance.args)[0]!.value, user_id: USERS.finance, channel_id: CHANNELS.finance });
    for (const root of [legal, finance]) {
      await h.emu.waitFor('chat.postMessage', (c) => delivered(c) && c.args.thread_ts === root.response.ts && readable(c.args).includes('is *approved*'), 15_000);
    }
    await drained(h, 15_000);

    const byChannel = new Map<string, number[]>();
    for (const c of h.emu.calls.slice(mark).filter(delivered)) byChannel.set(c.args.channel, [...(byChannel.get(c.args.channel) ?? []), c.at]);
    // Root, "approved version 1" reply, and the outcome reply, in each channel.
    expect(byChannel.get(CHANNELS.legal)!.length).toBeGreaterThanOrEqual(3);
    expect(byChannel.get(CHANNELS.finance)!.length).toBeGreaterThanOrEqual(3);
    const tooClose: string[] = [];
    for (const [channel, ats] of byChannel) {
      for (let i = 1; i < ats.length; i++) if (ats[i]! - ats[i - 1]! < 900) tooClose.push(`${channel}: ${ats[i]! - ats[i - 1]!} ms`);
    }
    expect(tooClose).toEqual([]);
  }, 40_000);

  it('a message Slack kept refusing until the bot stopped is sent once after the restart', async () => {
    h = await startHarness();
    await settle(h);
    h.emu.failNext('chat.postMessage', 50, { status: 503 });
    const id = await submit(h, 'Patient Ltd');
    for (const channel of [CHANNELS.legal, CHANNELS.finance]) await h.emu.waitFor('chat.postMessage', (c) => !!c.failed && isRoot(id, channel)(c), 10_000);

    // stop() tries to flush for a while, then gives up and leaves the rows for the next start.
    const stopping = Date.now();
    await h.bot.stop();
    expect(Date.now() - stopping).toBeLessThan(15_000);
    const attempts = h.emu.calls.filter((c) => isRoot(id, CHANNELS.legal)(c) || isRoot(id, CHANNELS.finance)(c));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((c) => c.failed)).toBe(true);
    const file = new Database(h.config.databasePath, { readonly: true, fileMustExist: true });
    try {
      const rows = file.prepare("SELECT channel, state, attempts FROM outbox WHERE channel IN (?, ?) AND op = 'post' AND thread_key IS NULL").all(CHANNELS.legal, CHANNELS.finance) as { state: string; attempts: number }[];
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r.state).toBe('pending');
        expect(r.attempts).toBeGreaterThanOrEqual(1);
      }
    } finally {
      file.close();
    }

    h.emu.reset();
    await h.restart();
    await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.legal), 20_000);
    await h.emu.waitFor('chat.postMessage', rootDelivered(id, CHANNELS.finance), 20_000);
    await drained(h, 20_000);
    // Give a duplicate every chance to show up.
    await new Promise((r) => setTimeout(r, 300));
    for (const channel of [CHANNELS.legal, CHANNELS.finance]) {
      expect(h.emu.calls.filter(isRoot(id, channel)), channel).toHaveLength(1);
      expect(h.emu.calls.filter(rootDelivered(id, channel)), channel).toHaveLength(1);
    }
  }, 60_000);
});
