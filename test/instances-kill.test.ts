/**
 * An instance SIGKILLed while Slack answers 503 loses nothing (SPEC §8): two instances as their
 * own processes on one PostgreSQL database; the one that took the requests is killed while its
 * deliveries are failing; the other delivers each message exactly once, in order per channel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, BOT_TOKEN, CHANNELS, readable, SIGNING_SECRET, USERS } from './helpers/harness.ts';
import { freshPgDatabase } from './helpers/pg.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let emu: SlackEmulator;
let url: string;
const children: ChildProcess[] = [];

async function instance(name: string): Promise<{ proc: ChildProcess; port: number; output: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/instance.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...baseEnv(emu.apiUrl, '/nonexistent/unused.db'), DATABASE_URL: url, PORT: '0', DEALDESK_INSTANCE_ID: name, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${out}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', () => reject(new Error(`${name} exited before it listened:\n${out}`)));
  });
  return { proc, port, output: () => out };
}

beforeAll(async () => {
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  url = await freshPgDatabase();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await emu?.close();
});

/** The approval requests Slack accepted in a channel, as the contract numbers they name, in arrival order. */
function delivered(channel: string): number[] {
  return emu.calls
    .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.channel === channel && !c.args.thread_ts)
    .map((c) => Number(/Contract #(\d+) /.exec(readable(c.args))?.[1]))
    .filter((n) => n > 0);
}

describe('an instance killed mid-delivery', () => {
  it('its messages are delivered by the other instance, each exactly once, in order per channel', async () => {
    const a = await instance('instance-a');
    const b = await instance('instance-b');
    // Slack is down for the first deliveries: everything instance A tries answers 503.
    emu.failNext('chat.postMessage', 6, { status: 503 });
    emu.botUrl = `http://127.0.0.1:${a.port}/slack/events`;
    const ids: number[] = [];
    for (let i = 1; i <= 4; i++) {
      expect(readable((await emu.slashCommand({ command: '/client', text: `add Killed ${i} Ltd`, user_id: USERS.seller })).body)).toContain('Added client');
      const r = await emu.slashCommand({ command: '/contract', text: `new Killed ${i} Ltd amount:1000 EUR net:30 kind:goods subject:Pallets`, user_id: USERS.seller });
      ids.push(Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]));
    }
    expect(ids.every((n) => n > 0)).toBe(true);
    // A is retrying its failed posts (with backoff): kill it there, with no chance to clean up.
    await emu.waitFor('chat.postMessage', (c) => c.failed === true, 10_000);
    a.proc.kill('SIGKILL');
    await new Promise((r) => a.proc.once('exit', r));
    // B takes over once A's leases lapse; the rest of the 503s fall on B's retries.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (delivered(CHANNELS.legal).length < ids.length || delivered(CHANNELS.finance).length < ids.length)) await new Promise((r) => setTimeout(r, 100));
    expect(delivered(CHANNELS.legal), b.output()).toEqual(ids);
    expect(delivered(CHANNELS.finance)).toEqual(ids);
    // Nothing more arrives later (no second copy from a lapsed claim).
    await new Promise((r) => setTimeout(r, 2000));
    expect(delivered(CHANNELS.legal)).toEqual(ids);
    expect(delivered(CHANNELS.finance)).toEqual(ids);
    b.proc.kill('SIGTERM');
  }, 90_000);
});
