/**
 * One dunning run at bench size, on its own: the messages it queues and how long it takes.
 *
 *   BENCH_CLIENTS=20000 BENCH_INVOICES=200000 node --import tsx scripts/bench-dunning.ts
 *
 * Seeds a throwaway SQLite file (the bench's generator, seed 1, as of BENCH_AS_OF or today),
 * runs runDunning once as the scheduler would, and prints the outbox it left: posts by kind of
 * recipient (owners' DMs, managers, channels), App Home refreshes, and the time. It is what
 * `npm run bench`'s dunning figure measures, without the bot, the emulator or PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../src/config.ts';
import { policySchema } from '../src/policy.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { rowsOf, SqliteStore } from '../src/repos/store.ts';
import { seed } from '../src/seed/generate.ts';
import { runDunning } from '../src/services/dunning.ts';
import { rolesCtx } from '../src/slack/deps.ts';
import { makeRender } from '../src/slack/notices.ts';
import { baseEnv } from './bot-env.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 200_000);
const asOf = process.env.BENCH_AS_OF ?? new Date().toISOString().slice(0, 10);

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-bench-dunning-'));
const db = openDb(join(dir, 'bench.db'));
try {
  const s = seed(db, { clients: CLIENTS, invoices: INVOICES, seed: 1, asOf });
  console.log(`seed: ${CLIENTS} clients, ${INVOICES} invoices as of ${asOf} in ${s.seconds.toFixed(1)} s`);
  const store = new SqliteStore(db);
  const base = loadConfig(baseEnv('http://127.0.0.1:9/api/', ':memory:'));
  const config: Config = { ...base, policy: policySchema.parse({}) };
  const render = makeRender(config, { tz: config.tz });
  const now = Date.parse(`${asOf}T07:30:00Z`);
  const t0 = performance.now();
  const totals = await runDunning(rolesCtx(config, { store, actor: 'system', now, render }));
  const took = performance.now() - t0;
  const rows = await store.read((tx) => rowsOf<{ op: string; channel: string; n: number; chars: number }>(tx, sql`SELECT op, channel, count(*) AS n, sum(length(payload)) AS chars FROM outbox GROUP BY op, channel ORDER BY op, channel`));
  const posts = rows.filter((r) => r.op === 'post');
  const dms = posts.filter((r) => /^[UW]/.test(r.channel));
  const count = (rs: typeof rows) => rs.reduce((n, r) => n + Number(r.n), 0);
  console.log(`dunning run: ${(took / 1000).toFixed(1)} s; sent ${totals.sent} rungs, ${totals.broken} promises broken, ${totals.claims} claims, ${totals.paused} paused`);
  console.log(`queued: ${count(posts)} posts (${count(dms)} DMs to ${dms.length} people, ${count(posts) - count(dms)} to channels), ${count(rows.filter((r) => r.op === 'home'))} App Home refreshes, ${count(rows.filter((r) => r.op !== 'post' && r.op !== 'home'))} other`);
  console.log(`most to one recipient: ${Math.max(0, ...posts.map((r) => Number(r.n)))} posts; at Slack's one post a second per channel that is ${Math.max(0, ...posts.map((r) => Number(r.n)))} s for them`);
  for (const r of posts) console.log(`  ${r.channel}: ${r.n} posts, ${Math.round(Number(r.chars) / 1024)} KiB`);
} finally {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
}
