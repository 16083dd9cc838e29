/**
 * npm run bench — dealdesk at 100,000 clients and 1,000,000 invoices, all figures from one run.
 *
 *  1. Seeds (or reuses data/bench-<hash>.db) and works on a fresh temp copy.
 *  2. SQL floor vs the ABC recompute and the funnel, through runAnalytics (a worker thread, as the bot does).
 *  3. The real bot as a child process (`node dist/src/main.js`, as production runs it) against an in-process
 *     Slack emulator; a bare Bolt app (scripts/bare-bolt.ts) as a second child for the floor.
 *  4. Client cards over the wire, /client list under analytics, event-loop stalls during jobs,
 *     an import of 100,000 invoice rows shared in the DM, the bot's peak memory (VmHWM).
 *
 *  5. The same on PostgreSQL (scripts/bench/postgres.ts; BENCH_PG=0 skips it): the data copied once
 *     into a kept cluster, then the SQL floor, the recompute and the cards on that server.
 *
 * Loopback only; every child is stopped at the end, on error and on Ctrl-C. Bounded to < 10 min
 * (< 15 min with PostgreSQL, whose first run copies the data).
 * Prints one line per figure (`name: value unit`), with PASS/MISS against its target.
 *
 * BENCH_CLIENTS and BENCH_INVOICES (whole numbers) set a smaller size for a quick run that
 * checks the bench itself; its figures are not the targets' (those are at the full size).
 *
 * The phases are in scripts/bench/, one file each, in the order main runs them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackEmulator } from '../src/workspace/emulator.ts';
import { analyticsInWorker } from './bench/analytics.ts';
import { bareBolt } from './bench/bare.ts';
import { ensureBuilt, startBot, startupCatchUp } from './bench/bot.ts';
import { cards, clientNames } from './bench/card.ts';
import { children, stopAllNow, stopChild, stopChildrenOnExit } from './bench/children.ts';
import { acksUnderAnalytics, analyticsAnswers } from './bench/concurrency.ts';
import { sqlFloor } from './bench/floor.ts';
import { importFigure } from './bench/import.ts';
import { jobStalls } from './bench/jobs.ts';
import { errorKinds } from './bench/load.ts';
import { memoryAndStop } from './bench/memory.ts';
import { BUDGET_MS, line, started } from './bench/report.ts';
import { freshCopy, seededDb } from './bench/seed.ts';
import { postgresPhase } from './bench/postgres.ts';
import { BOT_TOKEN, SIGNING_SECRET } from './bot-env.ts';

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    process.stdout.write(`bench: over the ${BUDGET_MS / 60_000}-minute budget; stopping\n`);
    stopAllNow();
    process.exit(1);
  }, BUDGET_MS + 20_000);
  hardStop.unref();

  line('machine', `${process.platform} node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at start`);
  ensureBuilt();
  const cached = seededDb();
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-'));
  const dbPath = join(dir, 'bench.db');
  let emu: SlackEmulator | undefined;
  try {
    freshCopy(cached, dbPath);
    const now = Date.now();
    const floor = sqlFloor(dbPath, now);
    await analyticsInWorker(dbPath, now, floor);
    emu = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    const bot = await startBot(emu, dbPath);
    await startupCatchUp(bot, dbPath);
    const names = clientNames(dbPath);
    await bareBolt(emu, names, await cards(emu, bot, names));
    await analyticsAnswers(emu, bot, floor.floor);
    await acksUnderAnalytics(emu, bot);
    await jobStalls(emu, bot);
    await importFigure(emu, bot, dbPath);
    await memoryAndStop(bot);
    await postgresPhase(emu, cached, now, names);
  } finally {
    for (const c of children) await stopChild(c).catch(() => undefined);
    await emu?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    for (const [kind, n] of [...errorKinds].slice(0, 8)) line('request error', `${n}× ${kind}`);
    line('bench time', `${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(2)} at end`);
  }
}

stopChildrenOnExit();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    for (const c of children) if (c.log.length > 0) process.stderr.write(`--- last lines of ${c.name}:\n${c.log.slice(-15).join('\n')}\n`);
    stopAllNow();
    process.exit(1);
  },
);
