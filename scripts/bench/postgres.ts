/**
 * 5. The same figures on PostgreSQL (SPEC §8): the bench's data copied once into a cluster kept
 * in data/bench-pg-<hash>/ (db:copy's own code), a fresh database from it each run, then the SQL
 * floor (one GROUP BY over the period's invoices on that server), the ABC recompute in the
 * analytics process, and client cards against a second bot child on DATABASE_URL. The server
 * runs with fsync on, as in production. BENCH_PG=0 skips it.
 */
import { basename, join } from 'node:path';
import pg from 'pg';
import { DEFAULT_POLICY } from '../../src/policy.ts';
import { copySqliteToPg } from '../../src/repos/copy.ts';
import { closePgDb, openPgDb } from '../../src/repos/pg.ts';
import { abcPeriod } from '../../src/services/analytics.ts';
import { acquireAnalytics, releaseAnalytics } from '../../src/workers/client.ts';
import { timedRecomputes } from './analytics.ts';
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { CHANNELS } from '../bot-env.ts';
import { findPgBin, startPgCluster, type PgCluster } from '../pg-cluster.ts';
import { startBot, startupCatchUp } from './bot.ts';
import { bareBolt } from './bare.ts';
import { cards } from './card.ts';
import { procMem, stopChild } from './children.ts';
import { ROOT, TZ } from './config.ts';
import type { Names } from './load.ts';
import { line, median, ms } from './report.ts';

const CACHED_DB = 'bench_cached';
const RUN_DB = 'bench_run';

const urlOf = (admin: string, db: string) => admin.replace(/\/postgres$/, `/${db}`);

export async function postgresPhase(emu: SlackEmulator, cachedSqlite: string, now: number, names: Names): Promise<void> {
  if (process.env.BENCH_PG === '0') return line('postgres', 'skipped (BENCH_PG=0)');
  if (!findPgBin()) return line('postgres', 'skipped: PostgreSQL is not installed here (apt-get install -y postgresql)');
  const cluster = await startPgCluster({ keepIn: join(ROOT, 'data', basename(cachedSqlite).replace(/^bench-/, 'bench-pg-').replace(/\.db$/, '')), durable: true });
  try {
    await ensureCopied(cluster, cachedSqlite);
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${RUN_DB}`);
      const t = performance.now();
      await admin.query(`CREATE DATABASE ${RUN_DB} TEMPLATE ${CACHED_DB}`);
      line('postgres fresh copy', `${ms(performance.now() - t)} (CREATE DATABASE … TEMPLATE)`);
    } finally {
      await admin.end();
    }
    const url = urlOf(cluster.adminUrl, RUN_DB);
    const floor = await pgFloor(url, now);
    await pgRecompute(url, now, floor);
    const bot = await startBot(emu, join(ROOT, 'data', 'unused-on-postgres.db'), { DATABASE_URL: url }, 'bot on postgres');
    try {
      await startupCatchUp(bot, { url }, ' on postgres');
      const run = await cards(emu, bot, names, ' on postgres');
      line('bot on postgres peak memory', `${procMem(bot.pid).hwm.toFixed(0)} MiB after the cards (VmHWM)`);
      await stopChild(bot.child);
      await bareBolt(emu, names, run, ' (after the postgres cards)');
    } finally {
      await stopChild(bot.child);
    }
  } finally {
    cluster.stop();
  }
}

/** The bench's SQLite data in the kept cluster, copied once (it is as large as the SQLite file). */
async function ensureCopied(cluster: PgCluster, cachedSqlite: string): Promise<void> {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    const have = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [CACHED_DB]);
    if (have.rowCount === 1) return line('postgres data', `cached in the kept cluster (${CACHED_DB})`);
    await admin.query(`DROP DATABASE IF EXISTS ${CACHED_DB}_partial`);
    await admin.query(`CREATE DATABASE ${CACHED_DB}_partial`);
    const db = await openPgDb(urlOf(cluster.adminUrl, `${CACHED_DB}_partial`));
    const t = performance.now();
    try {
      const counts = await copySqliteToPg(cachedSqlite, db);
      await db.$client.query('ANALYZE');
      line('postgres data', `copied with db:copy in ${((performance.now() - t) / 1000).toFixed(1)} s (${counts.reduce((n, c) => n + c.target, 0)} rows)`);
    } finally {
      await closePgDb(db);
    }
    await admin.query(`ALTER DATABASE ${CACHED_DB}_partial RENAME TO ${CACHED_DB}`);
  } finally {
    await admin.end();
  }
}

/** One GROUP BY over the period's invoices, fresh connection each run, median of three. */
async function pgFloor(url: string, now: number): Promise<number> {
  const period = abcPeriod(DEFAULT_POLICY, now, TZ);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const t = performance.now();
    const r = await c.query('SELECT client_id, currency, sum(amount_minor) AS revenue FROM invoices WHERE issue_date >= $1 AND issue_date <= $2 GROUP BY client_id, currency', [period.from, period.to]);
    times.push(performance.now() - t);
    await c.end();
    if (r.rowCount === 0) throw new Error('no rows from the PostgreSQL floor query');
  }
  const floor = median(times);
  line('postgres sql floor', `${ms(floor)} (GROUP BY client_id, currency over ${period.from} … ${period.to}, on the same server)`);
  return floor;
}

async function pgRecompute(url: string, now: number, floor: number): Promise<void> {
  const input = { databasePath: '', databaseUrl: url, now, actor: 'bench', setup: { policy: DEFAULT_POLICY, tz: TZ, roles: { legal: [], finance: [], admins: [] }, channels: CHANNELS, approvers: { legal: [], finance: [] } } };
  acquireAnalytics();
  try {
    const { cold, nightly, warm } = await timedRecomputes(input);
    line('postgres abc recompute (first)', ms(cold));
    line('postgres abc recompute, nightly', `${ms(nightly)} (a day later: every snapshot rewritten)`);
    line('postgres abc recompute', `${ms(warm)} (the same day again: nothing written; median of three)`);
    line('postgres abc recompute / postgres sql floor', `${(warm / floor).toFixed(1)}× (nightly ${(nightly / floor).toFixed(1)}×)`, { pass: warm <= 1.5 * floor, target: '≤ 1.5×, as on SQLite' });
  } finally {
    await releaseAnalytics();
  }
}
