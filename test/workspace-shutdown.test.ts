/**
 * `npm start` under a process manager: SIGTERM or SIGINT to the pid it started (npm's), or to
 * the node process npm runs, stops every process, frees the port and closes the database
 * cleanly — in the local workspace and in HTTP mode against Slack.
 *
 * The emulator (HTTP mode) runs in this process, so children are spawned asynchronously.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, BOT_TOKEN, bareEnv, freePort, inspectDb, SIGNING_SECRET } from './helpers/harness.ts';
import { SlackEmulator } from './helpers/slack-emulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every live descendant of `pid`, from /proc (a zombie has exited: it only waits to be reaped). */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (state === 'Z') return [];
        return [{ pid: Number(d), ppid: Number(ppid), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim() }];
      } catch {
        return [];
      }
    });
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    for (const c of all.filter((x) => x.ppid === p)) {
      out.push({ pid: c.pid, cmd: c.cmd });
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

const children: ChildProcess[] = [];
/** Processes npm started: killed after a failed test even once they no longer descend from npm. */
const started: number[] = [];
let dir: string;
let emu: SlackEmulator;

beforeAll(async () => {
  emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
});

afterAll(async () => {
  await emu?.close();
});

afterEach(() => {
  for (const c of children.splice(0)) {
    if (c.pid !== undefined) started.push(...descendants(c.pid).map((d) => d.pid));
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `npm start`, waits until it serves on its port, sends `signal` to npm's pid or to the
 * node process running src/main.ts, and checks that everything is gone and the database is whole.
 */
async function startAndStop(mode: 'local' | 'slack', signal: 'SIGTERM' | 'SIGINT', to: 'npm' | 'node' | 'both'): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'dealdesk-shutdown-'));
  const db = join(dir, 'dealdesk.db');
  const port = await freePort();
  const env: Record<string, string> = mode === 'local' ? { PORT: String(port), DATABASE_PATH: db, LOG_LEVEL: 'info', SLACK_BOT_TOKEN: '' } : { ...baseEnv(emu.apiUrl, db), PORT: String(port), LOG_LEVEL: 'info' };
  const npm = spawn('npm', ['start'], { cwd: ROOT, env: bareEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(npm);
  let out = '';
  npm.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = mode === 'local' ? /dealdesk local workspace: http:\/\/localhost:\d+/ : /dealdesk is up \(HTTP mode\)/;
  const deadline = Date.now() + 30_000;
  while (!ready.test(out) || !(await answers(port))) {
    if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not come up; output:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (mode === 'local') {
    // Something to write down first, so the database has pages in its WAL to fold back.
    const res = await fetch(`http://127.0.0.1:${port}/api/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'U0SELLER', channel: 'C0SALES', text: '/client add Signal Test Ltd' }) });
    expect(res.status).toBe(200);
  }
  const procs = descendants(npm.pid!);
  started.push(...procs.map((p) => p.pid));
  const main = procs.find((p) => /^(\S*\/)?node .*src\/main\.ts$/.test(p.cmd));
  expect(main, JSON.stringify(procs)).toBeDefined();
  // npm runs node itself: no shell and no tsx launcher left between them.
  expect(procs[0], JSON.stringify(procs)).toEqual(main);
  if (to !== 'node') process.kill(npm.pid!, signal);
  if (to !== 'npm') process.kill(main!.pid, signal);

  const [code, sig] = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`npm did not exit after ${signal}; output:\n${out}`)), 25_000))]);
  expect({ code, sig }).toEqual({ code: 0, sig: null });
  for (const p of procs) await expect.poll(() => alive(p.pid), { timeout: 5000, message: `${p.cmd} (${p.pid}) still runs` }).toBe(false);
  expect(await answers(port)).toBe(false);
  expect(out).toContain(`${signal}: shutting down`);
  expect(existsSync(`${db}-wal`)).toBe(false);
  const { integrity, names } = inspectDb(db);
  expect(integrity).toBe('ok');
  if (mode === 'local') expect(names).toEqual(['Signal Test Ltd']);
}

describe('npm start stops cleanly on a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const to of ['npm', 'node'] as const) {
      it(`local workspace: ${signal} to the ${to} process`, () => startAndStop('local', signal, to), 60_000);
    }
  }
  // Ctrl-C signals the whole foreground group, and npm forwards its own copy too.
  it('local workspace: SIGINT to npm and node at once, as Ctrl-C in a terminal', () => startAndStop('local', 'SIGINT', 'both'), 60_000);
  it('HTTP mode: SIGTERM to the npm process', () => startAndStop('slack', 'SIGTERM', 'npm'), 60_000);
  it('HTTP mode: SIGINT to the node process', () => startAndStop('slack', 'SIGINT', 'node'), 60_000);
});
