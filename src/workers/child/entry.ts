import { parentPort } from 'node:worker_threads';
import { heapCollector } from '../../ops/heap.ts';
import { openStore, type StoreTarget } from '../../repos/open.ts';
import type { Store } from '../../repos/store.ts';
import type { LaneReply, TaskInput, TaskProgress, WorkerInput } from '../tasks.ts';

/**
 * One lane's thread of the analytics process (host.ts). Each task's modules are loaded when a task
 * of that kind first comes: a lane loads only its own (the charts thread vega and resvg alone, the
 * ABC thread none of them, nor the CSV or dunning code), some 20–50 MB less each than all of them.
 */
async function run(input: WorkerInput, progress: (p: TaskProgress) => void): Promise<unknown> {
  if (input.task.kind === 'chart') return (await import('../../charts/spec.ts')).renderChart(input.task.chart);
  return runTask(input as TaskInput, progress);
}

async function runTask(input: TaskInput, progress: (p: TaskProgress) => void): Promise<unknown> {
  // The backup opens its own connections to source and copy.
  if (input.task.kind === 'backup') return (await import('../../repos/backup.ts')).backupTo(input.databasePath, input.task.dest);
  return withStore(input, (store) => runOn(store, input, progress));
}

async function runOn(store: Store, input: TaskInput, progress: (p: TaskProgress) => void): Promise<unknown> {
  const { task, now } = input;
  const { policy, tz } = input.setup;
  if (task.kind === 'abc') return (await (await import('../../services/analytics.ts')).computeAbc(store, policy, task.by, now, tz)).summary;
  if (task.kind === 'funnel') return await (await import('../../services/funnel.ts')).computeFunnel(store, policy, task.period, task.owner, now, tz);
  if (task.kind === 'profile') return await (await import('../../services/retention.ts')).computeProfile(store, policy, now, tz);
  // Tasks that post DM people in the language each chose.
  const people = task.kind === 'recompute' || task.kind === 'overdue' || task.kind === 'dunning' ? await (await import('../../services/prefs.ts')).peopleLocales(store) : undefined;
  const { serviceCtx } = await import('../../slack/context.ts');
  const ctx = serviceCtx(input.setup, { store, actor: input.actor, now, ...(people ? { people } : {}) });
  if (task.kind === 'recompute') return await (await import('../../services/recompute.ts')).recomputeAndAlert(ctx);
  if (task.kind === 'overdue') return await (await import('../../services/invoices.ts')).overdueDigest(ctx);
  if (task.kind === 'dunning') return await (await import('../../services/dunning.ts')).runDunning(ctx);
  if (task.kind === 'reviews') return await (await import('../../services/reviews.ts')).runReviewsDigest(ctx);
  if (task.kind === 'import') return await (await import('./import.ts')).runImport(ctx, task, progress);
  throw new Error(`unknown task ${(task as { kind: string }).kind}`);
}

/**
 * This thread's own connections to each database it is asked about (WAL lets it read, and write
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
  kept.timer = setTimeout(() => void closeIdle(key), STORE_IDLE_MS).unref();
  // Most recently used last.
  idle.set(key, kept);
  while (idle.size > DATABASES) void closeIdle(idle.keys().next().value!);
}

function closeIdle(key: string): Promise<unknown> {
  const kept = idle.get(key);
  if (!kept) return Promise.resolve();
  idle.delete(key);
  clearTimeout(kept.timer);
  return Promise.allSettled(kept.stores.map((s) => s.close()));
}

/**
 * A full collection of this thread's heap (node's --expose-gc, which the bot starts the analytics
 * process with) once it has no task left: at once when its heap grew by BIG_GROWTH since the last
 * one, after SHORT_PAUSE_MS without a task when it grew by GROWTH (a recompute, a funnel, an
 * import), else after LONG_PAUSE_MS. V8 does not collect between tasks while memory is plentiful:
 * back-to-back recompute, funnel and charts grew the process to 611 MB collected only after 2 s
 * without a task, 270 MB collected after each. But a task that comes while a collection runs waits
 * for it (10–50 ms), then starts on a small heap that V8 grows again: the same-day recompute run
 * back to back took 165–185 ms collected after each, 110–140 ms never collected. The short pause
 * lets a task that follows at once (the next of a run of jobs, the same /abc again) skip it.
 */
const LONG_PAUSE_MS = 2000;
const SHORT_PAUSE_MS = 50;
const GROWTH = 32 * 1024 * 1024;
const BIG_GROWTH = 128 * 1024 * 1024;
const heap = heapCollector();
let running = 0;
let collect: NodeJS.Timeout | undefined;
function collectWhenIdle(): void {
  clearTimeout(collect);
  if (running > 0 || !heap) return;
  const grown = heap.grown();
  collect = setTimeout(
    () => {
      if (running === 0) heap.collect();
    },
    grown > BIG_GROWTH ? 0 : grown > GROWTH ? SHORT_PAUSE_MS : LONG_PAUSE_MS,
  ).unref();
}

const port = parentPort!;
const reply = (m: LaneReply) => port.postMessage(m);
port.on('message', (m: { id: number; input: WorkerInput } | { close: true }) => {
  if ('close' in m) return void close();
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
});

/** The host ends an idle lane: its stores are closed (PostgreSQL's pools end their sessions), then the thread. */
async function close(): Promise<void> {
  clearTimeout(collect);
  await Promise.all([...idle.keys()].map(closeIdle));
  process.exit(0);
}
