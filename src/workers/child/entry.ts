import { parentPort } from 'node:worker_threads';
import { backupTo } from '../../repos/backup.ts';
import { openStore, type StoreTarget } from '../../repos/open.ts';
import type { Store } from '../../repos/store.ts';
import { runDunning } from '../../services/dunning.ts';
import { overdueDigest } from '../../services/invoices.ts';
import { renderChart } from '../../charts/spec.ts';
import { serviceCtx } from '../../slack/context.ts';
import { computeAbc } from '../../services/analytics.ts';
import { recomputeAndAlert } from '../../services/recompute.ts';
import { computeFunnel } from '../../services/funnel.ts';
import { computeProfile } from '../../services/retention.ts';
import { runReviewsDigest } from '../../services/reviews.ts';
import type { TaskInput, TaskProgress, WorkerInput } from '../tasks.ts';
import { runImport } from './import.ts';
import { peopleLocales } from '../../services/prefs.ts';

async function run(input: WorkerInput, progress: (p: TaskProgress) => void): Promise<unknown> {
  if (input.task.kind === 'chart') return renderChart(input.task.chart);
  return runTask(input as TaskInput, progress);
}

async function runTask(input: TaskInput, progress: (p: TaskProgress) => void): Promise<unknown> {
  // The backup opens its own connections to source and copy.
  if (input.task.kind === 'backup') return backupTo(input.databasePath, input.task.dest);
  const store = await storeFor(input);
  const { task, now } = input;
  // Tasks that post DM people in the language each chose.
  const people = task.kind === 'recompute' || task.kind === 'overdue' || task.kind === 'dunning' ? await peopleLocales(store) : undefined;
  const ctx = serviceCtx(input.setup, { store, actor: input.actor, now, ...(people ? { people } : {}) });
  if (task.kind === 'abc') return (await computeAbc(store, ctx.policy, task.by, now, ctx.tz)).summary;
  if (task.kind === 'recompute') return await recomputeAndAlert(ctx);
  if (task.kind === 'funnel') return await computeFunnel(store, ctx.policy, task.period, task.owner, now, ctx.tz);
  if (task.kind === 'overdue') return await overdueDigest(ctx);
  if (task.kind === 'dunning') return await runDunning(ctx);
  if (task.kind === 'reviews') return await runReviewsDigest(ctx);
  if (task.kind === 'profile') return await computeProfile(store, ctx.policy, now, ctx.tz);
  if (task.kind === 'import') return await runImport(ctx, task, progress);
  throw new Error(`unknown task ${(task as { kind: string }).kind}`);
}

/**
 * This process's own connection to each database it is asked about (WAL lets it read, and write
 * in short transactions, beside the bot's), kept between tasks: opening one costs a connection
 * (on PostgreSQL a pool and its first connections), the planner's statistics check and every
 * statement compiled afresh, each time. A database not asked about for STORE_IDLE_MS is closed,
 * and at most STORES are kept (a test suite's many temporary files), the least recently used
 * closed first.
 */
const STORE_IDLE_MS = 5 * 60_000;
const STORES = 4;
const stores = new Map<string, { store: Promise<Store>; timer: NodeJS.Timeout }>();

function storeFor(target: StoreTarget): Promise<Store> {
  const key = target.databaseUrl ? `pg ${target.databaseUrl}` : `sqlite ${target.databasePath}`;
  const got = stores.get(key);
  if (got) clearTimeout(got.timer);
  const store = got?.store ?? openStore(target, { migrate: false });
  // Opening failed: the next task tries afresh.
  store.catch(() => stores.get(key)?.store === store && drop(key));
  stores.delete(key);
  stores.set(key, { store, timer: setTimeout(() => drop(key), STORE_IDLE_MS).unref() });
  while (stores.size > STORES) drop(stores.keys().next().value!);
  return store;
}

function drop(key: string): void {
  const got = stores.get(key);
  if (!got) return;
  stores.delete(key);
  clearTimeout(got.timer);
  // A task still running on it holds it through the store's own queue; close waits for that on SQLite.
  void got.store.then((s) => s.close()).catch(() => undefined);
}

/**
 * When the last task running here has answered, a full collection (node's --expose-gc, which the
 * bot starts this process with): V8 keeps the heap a task grew to (a funnel or an import, hundreds
 * of MB) long after it is garbage, and gives those pages back only after a collection that finds
 * them empty. Run once the answer is on its way (setImmediate), on a heap that is mostly garbage
 * it takes some tens of ms.
 */
const gc = (globalThis as { gc?: () => void }).gc;
let running = 0;
function collectWhenIdle(): void {
  if (running > 0 || !gc) return;
  setImmediate(() => {
    if (running > 0) return;
    gc();
  });
}

// Runs as a child process (IPC), so analytics memory never counts against the bot's.
const reply = (m: unknown) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onMessage = (m: { id: number; input: WorkerInput }) => {
  running++;
  run(m.input, (progress) => reply({ id: m.id, progress }))
    .then(
      (result) => reply({ id: m.id, ok: true, result }),
      (err: unknown) => reply({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => {
      running--;
      collectWhenIdle();
    });
};
if (parentPort) parentPort.on('message', onMessage);
else process.on('message', onMessage);
// The bot went away: so do we.
process.on('disconnect', () => process.exit(0));
