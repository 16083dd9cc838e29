/**
 * npm run bench — dealdesk at 100,000 clients and 1,000,000 invoices, all figures from one run.
 *
 *  1. Seeds (or reuses data/bench-<hash>.db) and works on a fresh temp copy.
 *  2. SQL floor vs the ABC recompute and the funnel, through runAnalytics (a worker thread, as the bot does).
 *  3. The real bot as a child process (`node --import tsx src/main.ts`) against an in-process
 *     Slack emulator; a bare Bolt app (scripts/bare-bolt.ts) as a second child for the floor.
 *  4. Client cards over the wire, /client list under analytics, event-loop stalls during jobs,
 *     the bot's peak memory (VmHWM).
 *
 * Loopback only; every child is stopped at the end, on error and on Ctrl-C. Bounded to < 10 min.
 * Prints one line per figure (`name: value unit`), with PASS/MISS against its target.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { INVOICE_AGGREGATES_SQL } from '../src/repos/analytics.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { histogramBetween, parsePrometheusText, type Sample } from '../src/ops/prom-text.ts';
import { JOB_NAMES } from '../src/scheduler/jobs.ts';
import { abcPeriod } from '../src/services/analytics.ts';
import { seed, summaryLine, mulberry32 } from '../src/seed/generate.ts';
import { acquireAnalytics, releaseAnalytics, runAnalytics } from '../src/workers/run.ts';
import { baseEnv, BOT_TOKEN, SIGNING_SECRET, USERS } from '../test/helpers/harness.ts';
import { SlackEmulator } from '../test/helpers/slack-emulator.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 100_000;
const INVOICES = 1_000_000;
const SEED = 1;
const TZ = 'Europe/Sofia';
const BUDGET_MS = 9.5 * 60_000;
const started = Date.now();
const asOf = new Date().toISOString().slice(0, 10);

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

function line(name: string, value: string, verdict?: { pass: boolean; target: string }): void {
  const v = verdict ? `  ${verdict.pass ? 'PASS' : 'MISS'} (target ${verdict.target})` : '';
  process.stdout.write(`${name}: ${value}${v}\n`);
}
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x)} ms`;
function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const median = (xs: number[]) => pct(xs, 50);
const left = () => BUDGET_MS - (Date.now() - started);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

// ------------------------------------------------------------------------------------------
// Children: started here, stopped here, whatever happens
// ------------------------------------------------------------------------------------------

interface Child {
  name: string;
  proc: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}
const children: Child[] = [];

function startChild(name: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) log.push(l);
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const child = { name, proc, log, exited };
  children.push(child);
  return child;
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const done = await Promise.race([c.exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!done) {
    c.proc.kill('SIGKILL');
    await c.exited;
  }
}

function stopAllNow(): void {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
}
process.once('SIGINT', () => {
  stopAllNow();
  process.exit(130);
});
process.once('SIGTERM', () => {
  stopAllNow();
  process.exit(143);
});
process.once('exit', stopAllNow);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** /proc/<pid>/status figures in MB. */
function procMem(pid: number): { hwm: number; rss: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

async function waitHttp(url: string, timeoutMs: number, child: Child): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.log.slice(-20).join('\n')}`);
    try {
      const r = await fetch(url);
      await r.text();
      if (r.status < 500) return performance.now() - t0;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.log.slice(-20).join('\n')}`);
    await sleep(100);
  }
}

// ------------------------------------------------------------------------------------------
// Load generators
// ------------------------------------------------------------------------------------------

type Send = (text: string) => Promise<{ ok: boolean; ms: number }>;

/** The first few failures of each kind, printed at the end. */
const errorKinds = new Map<string, number>();
function noteError(kind: string): void {
  errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
}

function sender(emu: SlackEmulator, url: string, command: string, check: (text: string) => boolean): Send {
  return async (text) => {
    emu.botUrl = url;
    const t0 = performance.now();
    try {
      const r = await emu.slashCommand({ command, text, user_id: USERS.seller, channel_id: 'C0SALES' });
      const dt = performance.now() - t0;
      if (r.status !== 200 || !check(r.text)) noteError(`${command}: HTTP ${r.status} ${r.text.slice(0, 120)}`);
      return { ok: r.status === 200 && check(r.text), ms: dt };
    } catch (err) {
      const e = err as { message?: string; cause?: { code?: string; message?: string } };
      noteError(`${command}: ${e.message ?? String(err)}${e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''}`);
      return { ok: false, ms: performance.now() - t0 };
    }
  };
}

async function sequential(send: Send, texts: string[]): Promise<{ lat: number[]; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  for (const t of texts) {
    const r = await send(t);
    lat.push(r.ms);
    if (!r.ok) errors++;
  }
  return { lat, errors };
}

async function concurrent(send: Send, texts: string[], inFlight: number): Promise<{ lat: number[]; errors: number; seconds: number }> {
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < texts.length) {
        const r = await send(texts[next++]!);
        lat.push(r.ms);
        if (!r.ok) errors++;
      }
    }),
  );
  return { lat, errors, seconds: (performance.now() - t0) / 1000 };
}

/** GET /healthz every 5 ms (one in flight) until stopped: the longest answer is the longest event-loop stall. */
function pinger(url: string): { stop: () => Promise<number[]> } {
  const lat: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const r = await fetch(url);
        await r.arrayBuffer();
      } catch {
        /* counted by its latency */
      }
      const dt = performance.now() - t0;
      lat.push(dt);
      if (dt < 5) await sleep(5 - dt);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return lat;
    },
  };
}

// ------------------------------------------------------------------------------------------
// The bench
// ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    process.stdout.write(`bench: over the ${BUDGET_MS / 60_000}-minute budget; stopping\n`);
    stopAllNow();
    process.exit(1);
  }, BUDGET_MS + 20_000);
  hardStop.unref();

  line('machine', `${process.platform} node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at start`);

  // ---- 1. data ------------------------------------------------------------------------------
  const hash = createHash('sha256')
    .update(readFileSync(join(ROOT, 'src/seed/generate.ts')))
    .update(readFileSync(join(ROOT, 'db/migrations/meta/_journal.json')))
    .update(JSON.stringify({ CLIENTS, INVOICES, SEED, asOf }))
    .digest('hex')
    .slice(0, 12);
  const cached = join(ROOT, 'data', `bench-${hash}.db`);
  if (existsSync(cached)) {
    line('seed', `cached ${relative(ROOT, cached)} (${CLIENTS} clients, ${INVOICES} invoices as of ${asOf})`);
  } else {
    const tmp = `${cached}.tmp`;
    for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
    const db = openDb(tmp);
    const r = seed(db, { clients: CLIENTS, invoices: INVOICES, seed: SEED, asOf });
    closeDb(db);
    for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
    renameSync(tmp, cached);
    line('seed', `not cached; ${summaryLine(relative(ROOT, cached), r)}`);
    line('seed time', `${r.seconds.toFixed(1)} s`, { pass: r.seconds < 60, target: '< 60 s' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-'));
  const dbPath = join(dir, 'bench.db');
  let emu: SlackEmulator | undefined;
  let analyticsHeld = false;
  try {
    const tc = performance.now();
    copyFileSync(cached, dbPath, constants.COPYFILE_FICLONE);
    line('fresh copy', `${ms(performance.now() - tc)} (${dbPath})`);

    // ---- 2. SQL floor, ABC recompute, funnel (in the worker, as the bot runs them) --------------
    const now = Date.now();
    const period = abcPeriod(DEFAULT_POLICY, now, TZ);
    const floorSql = (hint: string) =>
      `SELECT client_id, currency, sum(amount_minor) AS revenue FROM invoices ${hint} WHERE issue_date >= ? AND issue_date <= ? GROUP BY client_id, currency`;
    const timeQuery = (sql: string, runs: number, args: unknown[] = [period.from, period.to]): number => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const db = new Database(dbPath, { readonly: true });
        const t = performance.now();
        const rows = db.prepare(sql).all(...args);
        times.push(performance.now() - t);
        db.close();
        if (rows.length === 0) throw new Error(`no rows from ${sql}`);
      }
      return median(times);
    };
    const planOf = (sql: string, args: unknown[] = [period.from, period.to]): string => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
      } finally {
        db.close();
      }
    };
    // The floor is the faster of SQLite's own plan (any index it likes, e.g. the recompute's
    // covering invoices_abc_idx) and a plain table scan, so an index only ever lowers it.
    const planned = timeQuery(floorSql(''), 3);
    const scanned = timeQuery(floorSql('NOT INDEXED'), 3);
    const floor = Math.min(planned, scanned);
    line(
      'sql floor',
      `${ms(floor)} (GROUP BY client_id, currency over ${period.from} … ${period.to}, fresh connection each run; as SQLite plans it [${planOf(floorSql(''))}]: ${ms(planned)}; as a table scan (NOT INDEXED): ${ms(scanned)})`,
    );
    {
      // Where the recompute's time goes: its one query, as src/repos/analytics.ts runs it.
      const args = [{ from: period.from, to: period.to, today: period.to }];
      const agg = timeQuery(INVOICE_AGGREGATES_SQL, 3, args);
      line('abc recompute query (on the bench thread)', `invoiceAggregates ${ms(agg)} [${planOf(INVOICE_AGGREGATES_SQL, args)}]`);
    }
    const input = { databasePath: dbPath, policy: DEFAULT_POLICY, now, tz: TZ };
    acquireAnalytics();
    analyticsHeld = true;
    // The recompute writes only snapshots that differ. The first runs as of yesterday; today's
    // is then the nightly case (the period moved: every snapshot is rewritten); a second one
    // today finds nothing to write (an /abc right after the night's run). The database ends as
    // of today, as before.
    let t0 = performance.now();
    const first = await runAnalytics({ task: { kind: 'recompute' }, ...input, now: now - 86_400_000 });
    const cold = performance.now() - t0;
    t0 = performance.now();
    await runAnalytics({ task: { kind: 'recompute' }, ...input });
    const nightly = performance.now() - t0;
    t0 = performance.now();
    await runAnalytics({ task: { kind: 'recompute' }, ...input });
    const warm = performance.now() - t0;
    line('abc recompute (first: worker start + first segments written)', `${ms(cold)}, ${first.summary.clientsWithSales} clients with sales`);
    line('abc recompute, nightly', `${ms(nightly)} (warm worker, a day later: every snapshot rewritten)`, { pass: nightly < 2000, target: '< 2 s' });
    line('abc recompute', `${ms(warm)} (warm worker, the same day again: nothing changed, nothing written)`, { pass: warm < 2000, target: '< 2 s' });
    line(
      'abc recompute / sql floor',
      `${(warm / floor).toFixed(1)}× (nightly ${(nightly / floor).toFixed(1)}×; against the table-scan floor ${(warm / scanned).toFixed(1)}× and ${(nightly / scanned).toFixed(1)}×)`,
      { pass: warm < 2 * floor, target: '< 2×' },
    );
    t0 = performance.now();
    const funnel = await runAnalytics({ task: { kind: 'funnel', period: DEFAULT_POLICY.funnel.defaultPeriod }, ...input });
    line('funnel', `${ms(performance.now() - t0)} (${DEFAULT_POLICY.funnel.defaultPeriod}; ${funnel.report.stages.lead.reached} leads reached, ${funnel.report.stages.won.reached} won)`);
    analyticsHeld = false;
    await releaseAnalytics();

    // ---- 3. the bot, as a child process ------------------------------------------------------
    emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    const botPort = await freePort();
    const metricsPort = await freePort();
    // pretty: the complaints at the end are read from WARN/ERROR text lines.
    const botEnv = { ...baseEnv(emu.apiUrl, dbPath), PORT: String(botPort), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty' };
    const bot = startChild('bot', ['--import', 'tsx', 'src/main.ts'], botEnv);
    const botPid = bot.proc.pid!;
    const botBase = `http://127.0.0.1:${botPort}`;
    const botEvents = `${botBase}/slack/events`;
    const up = await waitHttp(`${botBase}/healthz`, 60_000, bot);
    line('bot start', `${ms(up)} to /healthz (pid ${botPid})`);
    const memByPhase: string[] = [];
    const notePhase = (phase: string) => memByPhase.push(`${phase} ${procMem(botPid).hwm.toFixed(0)}`);
    notePhase('started');

    // The scheduler catches up every job whose slot was missed: wait for it, pinging meanwhile.
    {
      const watch = new Database(dbPath, { readonly: true, fileMustExist: true });
      const ping = pinger(`${botBase}/healthz`);
      const t = performance.now();
      let state = { n: 0, done: 0 };
      let stableSince = performance.now();
      while (performance.now() - t < Math.min(180_000, left() - 240_000)) {
        const s = watch.prepare('SELECT count(*) AS n, coalesce(sum(finished_at IS NOT NULL), 0) AS done FROM job_runs').get() as { n: number; done: number };
        if (s.n !== state.n || s.done !== state.done) stableSince = performance.now();
        state = s;
        if (s.n >= JOB_NAMES.length && s.done === s.n) break;
        if (s.n > 0 && s.done === s.n && performance.now() - stableSince > 3000) break;
        await sleep(100);
      }
      const lat = await ping.stop();
      const took = performance.now() - t;
      const queued = (watch.prepare("SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')").get() as { n: number }).n;
      const runs = watch.prepare('SELECT job, finished_at - started_at AS ms FROM job_runs ORDER BY started_at').all() as { job: string; ms: number | null }[];
      watch.close();
      line('startup catch-up', `${(took / 1000).toFixed(1)} s for ${state.done}/${state.n} jobs (${runs.map((r) => `${r.job} ${r.ms ?? '?'} ms`).join(', ')}); ${queued} Slack messages queued after it`);
      if (took > 1000) line('startup catch-up max /healthz latency (event-loop stall, from outside)', `${ms(Math.max(...lat))} (p99 ${ms(pct(lat, 99))}, ${lat.length} pings)`);
    }

    // ---- 4. client cards ----------------------------------------------------------------------
    const names = (() => {
      const db = new Database(dbPath, { readonly: true });
      const r = mulberry32(20261127);
      const get = db.prepare('SELECT name FROM clients WHERE id = ?');
      const out = Array.from({ length: 20 + 300 + 600 }, () => (get.get(1 + Math.floor(r() * CLIENTS)) as { name: string }).name);
      db.close();
      return out;
    })();
    const warmup = names.slice(0, 20);
    const seqNames = names.slice(20, 320);
    const conNames = names.slice(320);
    const card = sender(emu, botEvents, '/client', (t) => t.includes('Stage:'));
    await sequential(card, warmup);
    const cs = await sequential(card, seqNames);
    // 50 connections opened and warmed first (Slack keeps its connections alive too): a cold
    // first wave starves for seconds while the sockets are set up under load.
    await concurrent(card, seqNames.slice(0, 100), 50);
    const cc = await concurrent(card, conNames, 50);
    notePhase('cards');
    const csP99 = pct(cs.lat, 99);
    const ccP99 = pct(cc.lat, 99);
    // The card is the ack's own body, so the ack and the answer arrive together: one figure each.
    line('card sequential p50 (ack = answer)', ms(median(cs.lat)));
    line('card sequential p99', `${ms(csP99)} (${cs.lat.length} requests, ${cs.errors} without "Stage:")`, { pass: csP99 < 100, target: '< 100 ms' });
    line('card 50-concurrent p50 (ack = answer)', ms(median(cc.lat)));
    line('card 50-concurrent p99', `${ms(ccP99)} (${cc.lat.length} requests, ${cc.errors} without "Stage:", ${(cc.lat.length / cc.seconds).toFixed(0)} req/s)`, {
      pass: ccP99 < 100,
      target: '< 100 ms',
    });

    // ---- 5. the floor: a bare Bolt app ---------------------------------------------------------
    {
      const barePort = await freePort();
      const bare = startChild('bare bolt', ['--import', 'tsx', 'scripts/bare-bolt.ts'], {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: emu.apiUrl,
        PORT: String(barePort),
      });
      await waitHttp(`http://127.0.0.1:${barePort}/healthz`, 60_000, bare);
      const ok = sender(emu, `http://127.0.0.1:${barePort}/slack/events`, '/client', (t) => t.includes('ok'));
      await sequential(ok, warmup);
      const bs = await sequential(ok, seqNames);
      await concurrent(ok, seqNames.slice(0, 100), 50);
      const bc = await concurrent(ok, conNames, 50);
      await stopChild(bare);
      line('bare bolt sequential p50', ms(median(bs.lat)));
      line('bare bolt sequential p99', `${ms(pct(bs.lat, 99))} (${bs.errors} errors)`);
      line('bare bolt 50-concurrent p50', ms(median(bc.lat)));
      line('bare bolt 50-concurrent p99', `${ms(pct(bc.lat, 99))} (${bc.errors} errors, ${(bc.lat.length / bc.seconds).toFixed(0)} req/s)`);
      const rs = median(cs.lat) / median(bs.lat);
      const rc = median(cc.lat) / median(bc.lat);
      line('card/bare p50 sequential', `${rs.toFixed(1)}×`, { pass: rs <= 3, target: '≤ 3×' });
      line('card/bare p50 50-concurrent', `${rc.toFixed(1)}×`, { pass: rc <= 3, target: '≤ 3×' });
    }

    // ---- 6. acks while analytics run -----------------------------------------------------------
    {
      emu.botUrl = botEvents;
      const list = sender(emu, botEvents, '/client', (t) => /clients/i.test(t));
      const lat: number[] = [];
      let errors = 0;
      const inflight = new Set<Promise<void>>();
      const fired: { cmd: string; id: string; ack: number; at: number }[] = [];
      const t = performance.now();
      const fire = async (command: string, text: string) => {
        const a0 = performance.now();
        const r = await emu!.slashCommand({ command, text, user_id: USERS.seller, channel_id: 'C0SALES' });
        fired.push({ cmd: `${command} ${text}`.trim(), id: r.responseUrlId, ack: performance.now() - a0, at: a0 });
      };
      const analytics = (async () => {
        await fire('/abc', '');
        await sleep(500);
        await fire('/funnel', '');
        await sleep(500);
        await fire('/abc', '');
        await sleep(500);
        await fire('/abc', '');
      })();
      // /client list at ~20/s, open loop, until every analytics answer has come back.
      const done = () => fired.length === 4 && fired.every((f) => emu!.responseUrlPosts.some((p) => p.id === f.id));
      const limit = Math.min(150_000, left() - 90_000);
      while (!(done() && fired.length === 4) && performance.now() - t < limit) {
        const p = list('list').then((r) => {
          lat.push(r.ms);
          if (!r.ok) errors++;
        });
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
        await sleep(50);
      }
      await analytics;
      await Promise.all(inflight);
      notePhase('analytics');
      const took = performance.now() - t;
      const p99 = pct(lat, 99);
      line(
        'analytics under load',
        `${fired.map((f) => `${f.cmd} ack ${ms(f.ack)}`).join(', ')}; all answered in ${(took / 1000).toFixed(1)} s${done() ? '' : ' (NOT all answered within the limit)'}`,
      );
      line('ack p99 while analytics run', `${ms(p99)} (/client list at ~20/s: ${lat.length} requests, p50 ${ms(median(lat))}, max ${ms(Math.max(...lat))}, ${errors} errors)`, {
        pass: p99 < 300,
        target: '< 300 ms',
      });
    }

    // ---- 7. event-loop stalls during nightly jobs ------------------------------------------------
    {
      // Prometheus text on METRICS_PORT; the delay during a job is the histogram's growth between two scrapes.
      const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      const metrics = async (): Promise<Sample[] | undefined> => {
        try {
          const r = await fetch(metricsUrl);
          if (r.status !== 200) return undefined;
          return parsePrometheusText(await r.text());
        } catch {
          return undefined;
        }
      };
      const hasMetrics = (await metrics()) !== undefined;
      const jobs = ['segments', 'backup', 'abc', 'overdue', 'dunning'] as const;
      for (const job of jobs) {
        if (left() < 60_000) {
          line(`event-loop stall during ${job}`, 'skipped (time budget)');
          continue;
        }
        const m0 = hasMetrics ? await metrics() : undefined;
        const ping = pinger(`${botBase}/healthz`);
        const j0 = performance.now();
        emu.botUrl = botEvents;
        const r = await emu.slashCommand({ command: '/dealdesk', text: `digest ${job}`, user_id: USERS.admin, channel_id: 'C0SALES' });
        let answered = true;
        await emu.waitForResponse((p) => p.id === r.responseUrlId, Math.min(120_000, left() - 30_000)).catch(() => (answered = false));
        // The job's messages go out after it; keep pinging a little to catch the sender's work (charts).
        await sleep(2000);
        const lat = await ping.stop();
        const took = performance.now() - j0;
        const m1 = hasMetrics ? await metrics() : undefined;
        const m = m0 && m1 ? histogramBetween(m0, m1, 'dealdesk_event_loop_delay_seconds') : undefined;
        notePhase(job);
        const label = job === 'segments' ? 'event-loop delay p99 during nightly jobs' : `event-loop stall during /dealdesk digest ${job}`;
        const outside = `max /healthz latency ${ms(Math.max(...lat))}, p99 ${ms(pct(lat, 99))} over ${lat.length} pings at 5 ms`;
        const own =
          m !== undefined
            ? `p99 ${ms(m.p99 * 1000)}, max ≤ ${ms(m.max * 1000)} (the bot's dealdesk_event_loop_delay_seconds between two scrapes, ${m.count} samples; 10 ms timer lateness, interval excluded); from outside: ${outside}`
            : `${outside} [measured from outside: no scrape of the bot's METRICS_PORT]`;
        line(label, `${own}; /dealdesk digest ${job} took ${(took / 1000).toFixed(1)} s${answered ? '' : ' (no answer in time)'}`);
      }
    }

    // ---- 8. memory, then stop ----------------------------------------------------------------------
    line('bot peak memory by phase', `${memByPhase.join(', ')} MB (VmHWM after each)`);
    const mem = procMem(botPid);
    line('bot peak memory', `${mem.hwm.toFixed(0)} MB (VmHWM; VmRSS now ${mem.rss.toFixed(0)} MB)`, { pass: mem.hwm < 300, target: '< 300 MB' });
    await stopChild(bot);
    // What the bot complained about: the distinct first lines of its warnings and errors.
    const complaints = new Map<string, number>();
    for (const l of bot.log) {
      const m = /\b(WARN|ERROR|warn|error)\b.*/.exec(l) ?? /^\s*(\w*Error\b.*)/.exec(l);
      if (m) complaints.set(m[0].slice(0, 200), (complaints.get(m[0].slice(0, 200)) ?? 0) + 1);
    }
    for (const [text, n] of [...complaints].slice(0, 6)) line('bot log', `${n}× ${text}`);
  } finally {
    for (const c of children) await stopChild(c).catch(() => undefined);
    if (analyticsHeld) await releaseAnalytics().catch(() => undefined);
    await emu?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    for (const [kind, n] of [...errorKinds].slice(0, 8)) line('request error', `${n}× ${kind}`);
    line('bench time', `${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(2)} at end`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    for (const c of children) if (c.log.length > 0) process.stderr.write(`--- last lines of ${c.name}:\n${c.log.slice(-15).join('\n')}\n`);
    stopAllNow();
    process.exit(1);
  },
);
