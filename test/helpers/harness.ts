import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppLogger } from '../../src/log.ts';
import { createBotLogger, startDealdesk, type Running } from '../../src/server.ts';
import { baseEnv, BOT_TOKEN, SIGNING_SECRET } from '../../scripts/bot-env.ts';
import { SlackEmulator } from './slack-emulator.ts';
import type { SQL } from 'drizzle-orm';
import { rowsOf, runSql } from '../../src/repos/store.ts';
import { freshPgDatabase } from './pg.ts';

export { baseEnv, BOT_TOKEN, CHANNELS, SIGNING_SECRET, USERS } from '../../scripts/bot-env.ts';

/** The project folder: CLI scripts run from here so `--import tsx` resolves. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A clock the tests move; the bot reads time only through it. */
export class TestClock {
  constructor(public ms: number) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Harness {
  emu: SlackEmulator;
  bot: Running;
  clock: TestClock;
  config: Config;
  dir: string;
  logs: string[];
  /** Which database the bot runs on: the SQLite file, or (DEALDESK_TEST_BACKEND=postgres) a fresh PostgreSQL database. */
  backend: 'sqlite' | 'postgres';
  /** Rows of a query on the bot's database, whichever it is. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Run a statement that changes the bot's database (a test breaking it on purpose, say), in a write. */
  exec(query: SQL): Promise<void>;
  /** Stop the bot and start it again on the same database file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The backend the over-the-wire suite runs on: `npm test` runs it on both (vitest.config.ts projects). */
export function testBackend(): 'sqlite' | 'postgres' {
  return process.env.DEALDESK_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

/** The real bot (Bolt HTTP receiver, SQLite file or PostgreSQL, migrations) on loopback, driven by the emulator. */
export async function startHarness(env: Record<string, string> = {}, opts: { perChannelMs?: number } = {}): Promise<Harness> {
  const emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-test-'));
  const backend = testBackend();
  const pg = backend === 'postgres' && env.DATABASE_URL === undefined ? { DATABASE_URL: await freshPgDatabase() } : {};
  const config = loadConfig({ ...baseEnv(emu.apiUrl, join(dir, 'dealdesk.db')), ...pg, ...env });
  const clock = new TestClock(Date.parse('2026-11-27T09:00:00Z'));
  const logs: string[] = [];
  // The bot's own logger (its redaction of every secret), with the lines kept for the test.
  const logger: AppLogger = createBotLogger(config, (l) => (logs.push(l), process.env.DEALDESK_TEST_LOGS ? process.stderr.write(l + '\n') : undefined));
  const boot = async () => {
    // Pacing is Slack's one post per second per channel in production; tests shorten it
    // except where pacing itself is under test.
    const bot = await startDealdesk(config, { now: clock.now, host: '127.0.0.1', logger, outbox: { perChannelMs: opts.perChannelMs ?? 20, pollMs: 100 } });
    emu.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    // A suite meant for PostgreSQL that quietly ran on SQLite would prove nothing.
    if (bot.store.dialect !== (config.databaseUrl ? 'postgres' : 'sqlite')) throw new Error(`the bot runs on ${bot.store.dialect}, not the backend this test asked for`);
    return bot;
  };
  const h: Harness = {
    emu,
    bot: await boot(),
    clock,
    config,
    dir,
    logs,
    backend,
    rows: (query) => h.bot.store.read((tx) => rowsOf(tx, query)),
    exec: async (query) => void (await h.bot.store.write((tx) => runSql(tx, query))),
    async restart() {
      await h.bot.stop();
      h.bot = await boot();
    },
    async close() {
      await h.bot.stop();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Text of every block and the fallback, flattened: what a person would read. */
export function readable(msg: any): string {
  const parts: string[] = [];
  const walk = (v: any): void => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      if (typeof v.text === 'string') parts.push(v.text);
      for (const [k, x] of Object.entries(v)) if (k !== 'text' || typeof x !== 'string') walk(x);
    }
  };
  walk(msg?.blocks ?? []);
  return [msg?.text ?? '', ...parts].join('\n');
}

/** The text of the blocks only (without the notification fallback), to count occurrences. */
export function blocksText(msg: any): string {
  return readable({ blocks: msg?.blocks ?? [] });
}

/** The buttons of a message, by action_id. */
export function buttons(msg: any): { action_id: string; value: string; text: string }[] {
  return (msg?.blocks ?? [])
    .filter((b: any) => b.type === 'actions')
    .flatMap((b: any) => b.elements)
    .filter((e: any) => e.type === 'button')
    .map((e: any) => ({ action_id: e.action_id, value: e.value, text: e.text.text }));
}

/**
 * Block Kit's limits, checked on every message the bot sent: a fallback `text`, at most 50
 * blocks, 3,000 characters per section text, 75 per button label, 150 per header.
 */
export function blockKitProblems(args: any): string[] {
  const out: string[] = [];
  const blocks: any[] = args?.blocks ?? args?.view?.blocks ?? [];
  if (!args?.view && (typeof args?.text !== 'string' || args.text.trim() === '')) out.push('no fallback text');
  if (blocks.length > (args?.view ? 100 : 50)) out.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    if (b.type === 'section' && (b.text?.text?.length ?? 0) > 3000) out.push(`section of ${b.text.text.length} chars`);
    if (b.type === 'header' && (b.text?.text?.length ?? 0) > 150) out.push(`header of ${b.text.text.length} chars`);
    for (const f of b.fields ?? []) if ((f.text?.length ?? 0) > 2000) out.push('field over 2000 chars');
    if (b.type === 'actions') {
      if (b.elements.length > 25) out.push('more than 25 elements');
      for (const e of b.elements) {
        if ((e.text?.text?.length ?? 0) > 75) out.push(`button label of ${e.text.text.length} chars`);
        if ((e.value?.length ?? 0) > 2000) out.push('button value over 2000 chars');
      }
    }
  }
  return out;
}

/** The environment of a CLI run (npm run digest, backup …) against the harness's bot and emulator. */
export function cliEnv(h: Harness, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...baseEnv(h.config.apiUrl, h.config.databasePath), ...(h.config.databaseUrl ? { DATABASE_URL: h.config.databaseUrl } : {}), DEALDESK_TZ: h.config.tz, ...extra };
}

/** Run a CLI script asynchronously (the emulator answering it lives in this process). */
export function runCli(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** What a database file holds after a crash or a backup: its integrity and its clients' names. */
export function inspectDb(path: string): { integrity: string; names: string[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const names = (db.prepare('SELECT name FROM clients ORDER BY id').all() as { name: string }[]).map((r) => r.name);
    return { integrity, names };
  } finally {
    db.close();
  }
}

/** Only what a child process needs to run, so a test controls its environment exactly. */
export function bareEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}

/** A TCP port nothing listens on right now (for a child process's PORT). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
