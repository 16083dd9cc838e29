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
  return withStore(input, (store) => runOn(store, input, progress));
}

async function runOn(store: Store, input: TaskInput, progress: (p: TaskProgress) => void): Promise<unknown> {
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
 * This process's own connections to each database it is asked about (WAL lets it read, and write
 * in short transactions, beside the bot's), kept between tasks: opening one costs a connection
 * (on PostgreSQL a pool and its first connections), the planner's statistics check and every
 * statement compiled afresh, each time. Each task has one to itself while it runs, as when each
 * opened its own: two tasks at once (an overdue digest beside a funnel) do not queue behind each
 * other's transactions. Up to IDLE_PER_DATABASE wait for the next task; a database not asked
 * about for STORE_IDLE_MS is closed, and at most DATABASES are kept (a test suite's many
 * temporary files), the least recently used closed first.
 */
const STORE_IDLE_MS = 5 * 60_000;
const IDLE_PER_DATABASE = 2;
const DATABASES = 4;
const idle = new Map<string, { stores: Store[]; timer: NodeJS.Timeout }>();

async function withStore<T>(target: StoreTarget, fn: (store: Store) => Promise<T>): Promise<T> {
  const key = target.databaseUrl ? `pg ${target.databaseUrl}` : `sqlite ${target.databasePath}`;
  const store = idle.get(key)?.stores.pop() ?? (await openStore(target, { migrate: false }));
  try {
    return await fn(store);
  } finally {
    giveBack(key, store);
  }
}

function giveBack(key: string, store: Store): void {
  const kept = idle.get(key) ?? { stores: [], timer: undefined as unknown as NodeJS.Timeout };
  clearTimeout(kept.timer);
  idle.delete(key);
  if (kept.stores.length < IDLE_PER_DATABASE) kept.stores.push(store);
  else void store.close().catch(() => undefined);
  kept.timer = setTimeout(() => closeIdle(key), STORE_IDLE_MS).unref();
  // Most recently used last.
  idle.set(key, kept);
  while (idle.size > DATABASES) closeIdle(idle.keys().next().value!);
}

function closeIdle(key: string): void {
  const kept = idle.get(key);
  if (!kept) return;
  idle.delete(key);
  clearTimeout(kept.timer);
  for (const s of kept.stores) void s.close().catch(() => undefined);
}

/**
 * When this process has had no task for COLLECT_AFTER_MS, a full collection (node's --expose-gc,
 * which the bot starts this process with): V8 keeps the heap a task grew to (a funnel or an
 * import, hundreds of MB) long after it is garbage, and gives those pages back only after a
 * collection that finds them empty. Not at once after an answer: a collection of such a heap
 * takes 20–120 ms, and a task that follows at once (the same /abc again, a digest after a
 * recompute) would wait for it.
 */
const COLLECT_AFTER_MS = 2000;
const gc = (globalThis as { gc?: () => void }).gc;
let running = 0;
let collect: NodeJS.Timeout | undefined;
function collectWhenIdle(): void {
  clearTimeout(collect);
  if (running > 0 || !gc) return;
  collect = setTimeout(() => {
    if (running === 0) gc();
  }, COLLECT_AFTER_MS).unref();
}

// Runs as a child process (IPC), so analytics memory never counts against the bot's.
const reply = (m: unknown) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onMessage = (m: { id: number; input: WorkerInput }) => {
  running++;
  clearTimeout(collect);
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
