import { fork, type ChildProcess } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartSpec } from '../charts/spec.ts';
import { localDate } from '../domain/dates.ts';
import type { AnalyticsTask, TaskInput, TaskOutput, TaskProgress, WorkerInput } from './tasks.ts';

/**
 * The child runs as the bot does: compiled JavaScript (`npm run build`, dist/) with plain node,
 * or TypeScript with `--import tsx` (whose loader costs each process some 40 MB and seconds).
 */
const COMPILED = import.meta.url.endsWith('.js');
const ENTRY = fileURLToPath(new URL(COMPILED ? './child/entry.js' : './child/entry.ts', import.meta.url));
/**
 * V8's young generation grows to 3 × 16 MB under a burst of allocation and stays so; 4 MB semi-spaces
 * keep some 25 MB off each process for no measurable loss of speed. The bot's own start command
 * passes the same (package.json, README); the children are started with it here.
 * --expose-gc: the child collects once it has had no task for 2 s (child/entry.ts), which gives back
 * the heap a task grew to (a funnel leaves 600 MB resident otherwise, 170 MB after).
 */
const EXEC_ARGV = ['--max-semi-space-size=4', '--expose-gc', ...(COMPILED ? [] : ['--import', 'tsx'])];
// The child runs from the project folder, so `--import tsx` resolves whatever the bot's cwd.
const ROOT = fileURLToPath(new URL(COMPILED ? '../../..' : '../..', import.meta.url));
const TASK_TIMEOUT_MS = 5 * 60_000;
/**
 * A process with no task for this long exits (and is started again by the next task): idle, each
 * holds some 100–170 MB for nothing, most hours of the day. As long as the child keeps its store
 * (child/entry.ts STORE_IDLE_MS), so the next task would reopen that anyway; a fresh process adds
 * node's start and its modules' loading on top, a fraction of a second.
 */
const IDLE_EXIT_MS = 5 * 60_000;

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { id: number; progress: TaskProgress };

/**
 * A long-lived analytics process beside the bot: the event loop that acks Slack stays free,
 * the bot's memory stays its own (a recompute over a million invoices needs hundreds of MB for
 * a few seconds), and each task does not pay for a start. Tasks queue in it; a crashed one
 * fails what it held and is started afresh for the next task.
 */
class AnalyticsWorker {
  /** `name`: its argument on the command line (ps, /proc/<pid>/cmdline), nothing else. */
  constructor(private readonly name: string) {}
  private worker: ChildProcess | undefined;
  private idle: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (p: TaskProgress) => void }>();

  run<R>(input: WorkerInput, onProgress?: (p: TaskProgress) => void): Promise<R> {
    const w = this.ensure();
    clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      // A task that never answers must not hang a digest or a shutdown: the worker is replaced.
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        reject(new Error(`analytics task ${input.task.kind} took over ${TASK_TIMEOUT_MS / 1000} s; the worker was restarted`));
        this.pending.delete(id);
        if (this.worker === w) void this.close();
      }, TASK_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as R);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        ...(onProgress ? { progress: onProgress } : {}),
      });
      if (this.pending.size === 1) ref(w);
      // Paths are the bot's, relative to its cwd; the child's cwd is the project folder.
      w.send({ id, input: 'databasePath' in input ? { ...input, databasePath: resolvePath(input.databasePath) } : input });
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    if (w && w.exitCode === null) {
      const exited = new Promise((r) => w.once('exit', r));
      // Held while it stops: otherwise nothing keeps the loop alive to hear it exit.
      ref(w);
      w.kill();
      await exited;
    }
  }

  private exitWhenIdle(w: ChildProcess): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.worker === w && this.pending.size === 0) void this.close();
    }, IDLE_EXIT_MS).unref();
  }

  private ensure(): ChildProcess {
    if (this.worker) return this.worker;
    const w = fork(ENTRY, [this.name], { cwd: ROOT, execArgv: EXEC_ARGV, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Idle, it must not keep the process alive (a CLI run, a test); busy, it must.
    unref(w);
    w.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) return p.progress?.(m.progress);
      this.pending.delete(m.id);
      if (this.pending.size === 0) {
        unref(w);
        this.exitWhenIdle(w);
      }
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`analytics task failed: ${m.error}`));
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code, signal) => fail(new Error(`analytics process exited (${signal ?? code})`)));
    this.worker = w;
    return w;
  }
}

/**
 * Tasks go to one of two long-lived processes by what they read, so that the two a person most
 * often runs together do not share one event loop: the ABC family (the recompute, /abc by any
 * criterion, /abc profile) in one, the funnel and the jobs (digests, dunning, reviews, backups,
 * imports) in the other. Two tasks in one process take turns on its loop and each ends about
 * when both would; in two they run side by side on two cores.
 */
type Lane = 'abc' | 'jobs';
const LANE_OF: Record<AnalyticsTask['kind'], Lane> = {
  abc: 'abc',
  recompute: 'abc',
  profile: 'abc',
  funnel: 'jobs',
  backup: 'jobs',
  overdue: 'jobs',
  dunning: 'jobs',
  reviews: 'jobs',
  import: 'jobs',
};
const lanes: Record<Lane, AnalyticsWorker> = { abc: new AnalyticsWorker('abc'), jobs: new AnalyticsWorker('jobs') };
/** Charts get their own process: a chart must not wait seconds behind a recompute while the outbox waits for it. */
const charts = new AnalyticsWorker('charts');
let users = 0;

/**
 * Read-only or idempotent tasks asked again while the same one runs (the same task on the same
 * database, configuration and day) share that run's answer: three /abc in a second cost one
 * recompute, and the later askers get it as soon as the first does. A recompute's changes are
 * recorded and alerted once either way (its writes are guarded), so sharing loses nothing.
 */
const SHARED_KINDS = new Set<AnalyticsTask['kind']>(['abc', 'recompute', 'profile', 'funnel']);
const running = new Map<string, Promise<unknown>>();

function sharingKey(input: TaskInput): string | undefined {
  if (!SHARED_KINDS.has(input.task.kind)) return undefined;
  // The day as the task sees it: the ABC period is whole days; the funnel's rolling periods move
  // with the clock, so a funnel is shared only within the same minute.
  const when = input.task.kind === 'funnel' ? Math.floor(input.now / 60_000) : localDate(input.now, input.setup.tz);
  return JSON.stringify([input.task, input.databasePath, input.databaseUrl ?? '', input.setup, when]);
}

/** Run one analytics task off the main thread. */
export function runAnalytics<T extends AnalyticsTask>(input: TaskInput & { task: T }, onProgress?: (p: TaskProgress) => void): Promise<TaskOutput<T>> {
  const key = onProgress ? undefined : sharingKey(input);
  const same = key === undefined ? undefined : running.get(key);
  if (same) return same as Promise<TaskOutput<T>>;
  const run = lanes[LANE_OF[input.task.kind]].run<TaskOutput<T>>(input, onProgress);
  if (key !== undefined) {
    running.set(key, run);
    const forget = () => {
      if (running.get(key) === run) running.delete(key);
    };
    run.then(forget, forget);
  }
  return run;
}

/** Draw a chart's PNG in the charts process (beside the analytics one, never queued behind it). */
export async function drawChart(chart: ChartSpec): Promise<Buffer> {
  const bytes = await charts.run<Uint8Array>({ task: { kind: 'chart', chart } });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A bot in this process uses the worker; the last to release it stops it. */
export function acquireAnalytics(): void {
  users++;
}

export async function releaseAnalytics(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0) await Promise.all([lanes.abc.close(), lanes.jobs.close(), charts.close()]);
}

/** A child with an IPC channel keeps the parent alive through both the process and the channel. */
function unref(w: ChildProcess): void {
  w.unref();
  (w as unknown as { channel?: { unref(): void } }).channel?.unref();
}

function ref(w: ChildProcess): void {
  w.ref();
  (w as unknown as { channel?: { ref(): void } }).channel?.ref();
}
