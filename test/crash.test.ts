/**
 * The real bot as a child process (`node --import tsx src/main.ts`), killed while it works.
 * A command the bot answered "Added client" to must survive SIGKILL (the commit is fsynced
 * before the answer); SIGTERM shuts down cleanly with exit code 0.
 *
 * The emulator runs in this process, so children are spawned asynchronously: a spawnSync
 * would block the event loop that answers the child's Web API calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { baseEnv, BOT_TOKEN, freePort, inspectDb, readable, SIGNING_SECRET, USERS } from './helpers/harness.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Bot {
  proc: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let emu: SlackEmulator;
let dir: string;
let dbPath: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-crash-'));
  dbPath = join(dir, 'dealdesk.db');
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await once(c, 'exit').catch(() => undefined);
    }
  }
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Start the bot on a free port and wait until /healthz answers. */
async function startBot(env: Record<string, string> = {}): Promise<Bot> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...baseEnv(emu.apiUrl, dbPath), PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the bot exited before it was healthy:\n${out}`);
    if (Date.now() > deadline) throw new Error(`the bot did not answer /healthz within 15 s:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  emu.botUrl = `http://127.0.0.1:${port}/slack/events`;
  return { proc, port, output: () => out, exited };
}

const add = (name: string) => emu.slashCommand({ command: '/client', text: `add ${name}`, user_id: USERS.seller });

const readDb = () => inspectDb(dbPath);

/**
 * Sends `names` as concurrent `/client add`s; calls `onAnswer(n)` after each answer.
 * Resolves, once every request has settled, with the names the bot confirmed.
 */
async function addConcurrently(names: string[], onAnswer: (answered: number) => void): Promise<{ confirmed: string[]; failed: number }> {
  const confirmed: string[] = [];
  let answered = 0;
  let failed = 0;
  await Promise.all(
    names.map((name) =>
      add(name).then(
        (r) => {
          if (r.status === 200 && readable(r.body).includes(`Added client`) && readable(r.body).includes(name)) confirmed.push(name);
          answered += 1;
          onAnswer(answered);
        },
        () => {
          failed += 1;
        },
      ),
    ),
  );
  return { confirmed, failed };
}

describe('the bot as a process', () => {
  it('keeps every client it confirmed when it is SIGKILLed in the middle of sixty concurrent adds', async () => {
    const bot = await startBot();
    // The first request also makes Bolt call auth.test; do it before the burst.
    expect(readable((await add('Warm Up Ltd')).body)).toContain('Added client');

    const names = Array.from({ length: 60 }, (_, i) => `Crash Client ${i + 1}`);
    let killedAt = -1;
    const { confirmed, failed } = await addConcurrently(names, (answered) => {
      if (answered >= 20 && killedAt < 0) {
        killedAt = answered;
        bot.proc.kill('SIGKILL');
      }
    });
    const end = await bot.exited;
    expect(end.signal).toBe('SIGKILL');
    expect(killedAt).toBe(20);
    expect(confirmed.length).toBeGreaterThanOrEqual(20);
    // Not all sixty got an answer: the kill did land while requests were in flight.
    expect(failed).toBeGreaterThan(0);
    expect(confirmed.length + failed).toBe(60);

    // The file, as the killed process left it (a reader replays the WAL).
    const afterKill = readDb();
    expect(afterKill.integrity).toBe('ok');
    expect(afterKill.names).toEqual(expect.arrayContaining(['Warm Up Ltd', ...confirmed]));

    const again = await startBot();
    for (const name of confirmed) {
      const card = readable((await emu.slashCommand({ command: '/client', text: name, user_id: USERS.seller })).body);
      expect(card, name).toContain(name);
      expect(card, name).toContain('Stage: lead');
    }
    const history = readable((await emu.slashCommand({ command: '/client', text: `history ${confirmed[0]}`, user_id: USERS.seller })).body);
    expect(history).toContain('added the client');
    // A name the bot never confirmed may or may not have been committed; adding it now either
    // works or says it exists — never an error.
    const unconfirmed = names.find((n) => !confirmed.includes(n))!;
    expect(readable((await add(unconfirmed)).body)).toMatch(/Added client|already a client/);

    const db = readDb();
    expect(db.integrity).toBe('ok');
    expect(new Set(db.names).size).toBe(db.names.length);
    again.proc.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 60_000);

  it('shuts down on SIGTERM within seconds with exit code 0, keeping what it answered, and says so', async () => {
    // Every job once a year, half a year from now: nothing falls in the start-up catch-up
    // window (a shutdown waits for the whole catch-up, which can take seconds of analytics and
    // chart rendering), so the time measured is the shutdown's own.
    const policy = join(dir, 'policy.yml');
    const far = new Date(Date.now() + 182 * 24 * 3600_000);
    const never = `0 0 ${Math.min(far.getUTCDate(), 28)} ${far.getUTCMonth() + 1} *`;
    writeFileSync(policy, `schedules:\n${Object.keys(DEFAULT_POLICY.schedules).map((j) => `  ${j}: "${never}"`).join('\n')}\n`);
    const bot = await startBot({ LOG_LEVEL: 'info', DEALDESK_POLICY: policy });
    expect(readable((await add('Before Term Ltd')).body)).toContain('Added client');
    expect(bot.output()).toContain('dealdesk is up');

    const names = Array.from({ length: 30 }, (_, i) => `Term Client ${i + 1}`);
    let termAt = 0;
    const { confirmed } = await addConcurrently(names, (answered) => {
      if (answered === 3) {
        termAt = Date.now();
        bot.proc.kill('SIGTERM');
      }
    });
    const end = await bot.exited;
    const tookMs = Date.now() - termAt;
    expect(end).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(8000);
    expect(confirmed.length).toBeGreaterThanOrEqual(3);
    expect(bot.output()).toContain('SIGTERM: shutting down');
    expect(bot.output()).not.toMatch(/ERROR|shutdown failed/);

    const db = readDb();
    expect(db.integrity).toBe('ok');
    expect(db.names).toEqual(expect.arrayContaining(['Before Term Ltd', ...confirmed]));
  }, 60_000);
});
