/**
 * The bench's import figure on its own (scripts/bench/import.ts), without the rest of `npm run bench`:
 * a fresh database seeded small (BENCH_IMPORT_CLIENTS, default 20,000 clients, and
 * BENCH_IMPORT_INVOICES, default 200,000 invoices), the real bot as a child process against the
 * Slack emulator, and 100,000 invoice rows shared in the DM and imported.
 *
 *   npx tsx scripts/bench-import.ts
 *
 * Prints the rows/s over Import (absolute, and as a ratio of the 20,000 rows/s target) and the
 * bot's event-loop delay p99 meanwhile.
 *
 *   npx tsx scripts/bench-import.ts --in-process
 *
 * The same file imported in this process instead, timed by phase (read, plan, write), for a
 * profile: `node --cpu-prof --import tsx scripts/bench-import.ts --in-process`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBooks } from '../src/books/index.ts';
import { loadConfig } from '../src/config.ts';
import { localDate } from '../src/domain/dates.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { openStore } from '../src/repos/open.ts';
import { applyImport, planImport } from '../src/services/import.ts';
import { serviceCtx, serviceSetup } from '../src/slack/context.ts';
import { seed } from '../src/seed/generate.ts';
import { SlackEmulator } from '../src/workspace/emulator.ts';
import { startBot } from './bench/bot.ts';
import { children, stopAllNow, stopChild, stopChildrenOnExit } from './bench/children.ts';
import { asOf } from './bench/config.ts';
import { importFigure, invoicesFile, ROWS } from './bench/import.ts';
import { line, ms } from './bench/report.ts';
import { baseEnv, BOT_TOKEN, SIGNING_SECRET, USERS } from './bot-env.ts';

const count = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-import-'));
  const dbPath = join(dir, 'bench.db');
  let emu: SlackEmulator | undefined;
  try {
    const db = openDb(dbPath);
    const r = seed(db, { clients: count('BENCH_IMPORT_CLIENTS', 20_000), invoices: count('BENCH_IMPORT_INVOICES', 200_000), seed: 1, asOf });
    closeDb(db);
    line('seed', `${r.counts.clients} clients, ${r.counts.invoices} invoices in ${r.seconds.toFixed(1)} s`);
    if (process.argv.includes('--in-process')) return await inProcess(dbPath);
    emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    const bot = await startBot(emu, dbPath);
    // CPU time of the bot and its analytics process over the Import: what the import costs,
    // whatever the neighbours on a shared machine take of the wall clock meanwhile.
    let before = new Map<number, number>();
    await importFigure(emu, bot, dbPath, (at) => {
      if (at === 'start') return void (before = cpuOf(bot.pid));
      const after = cpuOf(bot.pid);
      const spent = [...after].map(([pid, s]) => [pid, s - (before.get(pid) ?? 0)] as const).filter(([, s]) => s > 0.05);
      const analytics = spent.filter(([pid]) => pid !== bot.pid).reduce((a, [, s]) => a + s, 0);
      line('CPU over the Import', `${spent.map(([pid, s]) => `${pid === bot.pid ? 'bot' : `child ${pid}`} ${s.toFixed(2)} s`).join(', ')}; ${Math.round(ROWS / analytics)} rows per CPU second of the analytics process`);
    });
  } finally {
    for (const c of children) await stopChild(c).catch(() => undefined);
    await emu?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) of a process and each of its descendants, by pid. */
function cpuOf(pid: number, out = new Map<number, number>()): Map<number, number> {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) cpuOf(Number(c), out);
  } catch {
    // Gone meanwhile.
  }
  return out;
}

async function inProcess(dbPath: string): Promise<void> {
  const bytes = invoicesFile(dbPath);
  const config = loadConfig(baseEnv('http://127.0.0.1:9/api/', dbPath));
  const store = await openStore(config);
  try {
    const ctx = serviceCtx(serviceSetup(config), { store, actor: USERS.finance, now: Date.now() });
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const c0 = cpu();
    const t0 = performance.now();
    const read = readBooks(bytes, { today: localDate(ctx.now, ctx.tz), changeover: ctx.policy.currency.changeover });
    const t1 = performance.now();
    const c1 = cpu();
    const planned = await planImport(ctx, bytes);
    const t2 = performance.now();
    const c2 = cpu();
    if (!planned.ok || !read.ok) throw new Error('the bench file was refused');
    const r = await applyImport(ctx, planned);
    const t3 = performance.now();
    const c3 = cpu();
    const rate = (t: number) => `${Math.round(ROWS / (t / 1000))} rows/s`;
    // CPU time beside wall time: on a shared machine the wall clock says as much about the neighbours.
    line('read (decode, parse, check)', `${ms(t1 - t0)}, ${rate(t1 - t0)} (CPU ${ms(c1 - c0)})`);
    line('plan (read again, load, plan)', `${ms(t2 - t1)}, ${rate(t2 - t1)} (CPU ${ms(c2 - c1)})`);
    line('write', `${ms(t3 - t2)}, ${rate(t3 - t2)} (CPU ${ms(c3 - c2)})`);
    const all = rate(t3 - t1);
    line('import in process (plan + write)', `${all} (${(ROWS / ((t3 - t1) / 1000) / 20_000).toFixed(2)}× the target); ${JSON.stringify(r.counts)}`);
  } finally {
    await store.close();
  }
}

stopChildrenOnExit();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench-import failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    for (const c of children) if (c.log.length > 0) process.stderr.write(`--- last lines of ${c.name}:\n${c.log.slice(-15).join('\n')}\n`);
    stopAllNow();
    process.exit(1);
  },
);
