/**
 * 3. The bot as a child process, started as production runs it (`node --max-semi-space-size=4
 * --expose-gc dist/src/main.js`, one process on compiled JavaScript: `npm run build` first when the sources
 * are newer), against the emulator; and its startup catch-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JOB_NAMES } from '../../src/scheduler/jobs.ts';
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { baseEnv } from '../bot-env.ts';
import { freePort, procMem, startChild, waitHttp, type Child } from './children.ts';
import { sampleMemory, type MemSampler } from './sampler.ts';
import { pinger } from './load.ts';
import { ROOT } from './config.ts';
import { left, line, ms, pct, sleep } from './report.ts';

const BUILT = join(ROOT, 'dist/src/main.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) t = Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs);
  return t;
}

/** `npm run build` unless dist/ is newer than src/ and db/. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist/.built')) && statSync(join(ROOT, 'dist/.built')).mtimeMs > Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'db')))) return line('build', 'dist/ is up to date');
  const t = performance.now();
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  line('build', `npm run build in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

export interface Bot {
  child: Child;
  pid: number;
  /** http://127.0.0.1:<port> */
  base: string;
  /** http://127.0.0.1:<metrics port>/metrics: Prometheus text, never on the Slack port. */
  metricsUrl: string;
  /** Where Slack posts: <base>/slack/events. */
  events: string;
  /** The bot's peak memory (VmHWM, MB) after each phase so far. */
  memByPhase: string[];
  /** Every process's RSS under the bot (and the bot's), sampled every 50 ms from its start. */
  mem: MemSampler;
  /** A phase ended: the bot's VmHWM so far, and the samples since the last phase are this one's. */
  notePhase(phase: string): void;
}

export async function startBot(emu: SlackEmulator, dbPath: string, extraEnv: Record<string, string> = {}, name = 'bot'): Promise<Bot> {
  const botPort = await freePort();
  const metricsPort = await freePort();
  // pretty: the complaints at the end are read from WARN/ERROR text lines.
  const botEnv = { ...baseEnv(emu.apiUrl, dbPath), PORT: String(botPort), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty', ...extraEnv };
  // As README's production command starts it.
  const child = startChild(name, ['--max-semi-space-size=4', '--expose-gc', BUILT], botEnv);
  const pid = child.proc.pid!;
  const base = `http://127.0.0.1:${botPort}`;
  const up = await waitHttp(`${base}/healthz`, 60_000, child);
  line(`${name} start`, `${ms(up)} to /healthz (pid ${pid})`);
  const memByPhase: string[] = [];
  const mem = sampleMemory(pid);
  void child.exited.then(() => mem.stop('after the bot stopped'));
  const notePhase = (phase: string) => {
    memByPhase.push(`${phase} ${procMem(pid).hwm.toFixed(0)}`);
    mem.phase(phase);
  };
  const bot: Bot = { child, pid, base, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, events: `${base}/slack/events`, memByPhase, mem, notePhase };
  bot.notePhase('started');
  return bot;
}

/** What the catch-up watch reads, from SQLite's file or PostgreSQL's database. */
interface JobWatch {
  all<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

function sqliteWatch(dbPath: string): JobWatch {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  return { all: async <T>(q: string) => db.prepare(q).all() as T[], close: async () => void db.close() };
}

async function pgWatch(url: string): Promise<JobWatch> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return { all: async <T>(q: string) => (await c.query(q)).rows as T[], close: () => c.end() };
}

/**
 * The scheduler catches up every job whose slot was missed: wait for it, pinging meanwhile, so
 * the cards that follow are not measured against the catch-up's digests and their messages.
 * `db`: the SQLite file, or `{ url }` on PostgreSQL.
 */
export async function startupCatchUp(bot: Bot, db: string | { url: string }, on = ''): Promise<void> {
  const watch = typeof db === 'string' ? sqliteWatch(db) : await pgWatch(db.url);
  const ping = pinger(`${bot.base}/healthz`);
  const t = performance.now();
  let state = { n: 0, done: 0 };
  let stableSince = performance.now();
  while (performance.now() - t < Math.min(180_000, left() - 240_000)) {
    const [row] = await watch.all<{ n: number | string; done: number | string }>('SELECT count(*) AS n, coalesce(sum(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done FROM job_runs');
    const s = { n: Number(row!.n), done: Number(row!.done) };
    if (s.n !== state.n || s.done !== state.done) stableSince = performance.now();
    state = s;
    if (s.n >= JOB_NAMES.length && s.done === s.n) break;
    if (s.n > 0 && s.done === s.n && performance.now() - stableSince > 3000) break;
    await sleep(100);
  }
  const lat = await ping.stop();
  const took = performance.now() - t;
  const [queued] = await watch.all<{ n: number | string }>("SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')");
  const runs = await watch.all<{ job: string; ms: number | string | null }>('SELECT job, finished_at - started_at AS ms FROM job_runs ORDER BY started_at');
  await watch.close();
  bot.notePhase('catch-up');
  line(`startup catch-up${on}`, `${(took / 1000).toFixed(1)} s for ${state.done}/${state.n} jobs (${runs.map((r) => `${r.job} ${r.ms ?? '?'} ms`).join(', ')}); ${Number(queued!.n)} Slack messages queued after it`);
  if (took > 1000) line(`startup catch-up max /healthz latency (event-loop stall, from outside)${on}`, `${ms(Math.max(...lat))} (p99 ${ms(pct(lat, 99))}, ${lat.length} pings)`);
}
