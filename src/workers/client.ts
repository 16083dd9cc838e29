import { fork, type ChildProcess } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartSpec } from '../charts/spec.ts';
import { localDate } from '../domain/dates.ts';
import type { AnalyticsTask, Lane, LaneReply, TaskInput, TaskOutput, TaskProgress, ToHost, WorkerInput } from './tasks.ts';

/**
 * The child runs as the bot does: compiled JavaScript (`npm run build`, dist/) with plain node,
 * or TypeScript with `--import tsx` (whose loader costs each process some 40 MB and seconds).
 */
const COMPILED = import.meta.url.endsWith('.js');
const ENTRY = fileURLToPath(new URL(COMPILED ? './child/host.js' : './child/host.ts', import.meta.url));
/**
 * V8's young generation grows to 3 × 16 MB under a burst of allocation and stays so; 4 MB semi-spaces
 * keep some 25 MB off each process for no measurable loss of speed. The bot's own start command
 * passes the same (package.json, README); the children are started with it here.
 * --expose-gc: each lane's thread collects after a short pause, or at once when its heap grew much (child/entry.ts), which
 * gives back the heap a task grew to.
 */
const EXEC_ARGV = ['--max-semi-space-size=4', '--expose-gc', ...(COMPILED ? [] : ['--import', 'tsx'])];
/**
 * glibc's malloc, unless the environment already says otherwise: each worker thread that runs
 * SQLite would get an arena of its own, which keeps what a task freed; and after one large block
 * is freed, glibc raises its mmap threshold, so the next large ones (a query's JSON text, tens of
 * MB) come from arenas that are not given back either. One arena and a fixed 128 KiB threshold
 * took the process's idle RSS after /abc, /funnel and charts from 264 to 222 MB and its peak from
 * 291 to 263 MB, with the tasks as fast. Other C libraries ignore these; GLIBC_TUNABLES (glibc's
 * own way to say them) in the environment leaves them all to it.
 */
const MALLOC_ENV = process.env.GLIBC_TUNABLES ? {} : { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '1048576' };
// The child runs from the project folder, so `--import tsx` resolves whatever the bot's cwd.
const ROOT = fileURLToPath(new URL(COMPILED ? '../../..' : '../..', import.meta.url));
const TASK_TIMEOUT_MS = 5 * 60_000;
/**
 * The process with no task for this long exits (and is started again by the next task). Its lanes'
 * threads end after a minute without a task (child/host.ts LANE_IDLE_MS), so by then it holds only
 * node itself, some 45 MB; a fresh process adds node's start, a fraction of a second.
 */
const IDLE_EXIT_MS = 5 * 60_000;

/**
 * The analytics process beside the bot (child/host.ts): the event loop that acks Slack stays free,
 * the bot's memory stays its own (a recompute over a million invoices needs hundreds of MB for a
 * few seconds), and a task does not pay for a process's start. Its lanes are threads of their own
 * (LANE_OF); tasks in one lane take turns. A task past its time has its lane's thread ended; a
 * crashed process fails what it held and is started afresh for the next task.
 */
class AnalyticsProcess {
  private child: ChildProcess | undefined;
  private idle: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (p: TaskProgress) => void }>();
  private readonly statusWaiters: ((lanes: Lane[]) => void)[] = [];

  run<R>(lane: Lane, input: WorkerInput, onProgress?: (p: TaskProgress) => void): Promise<R> {
    const w = this.ensure();
    clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      // A task that never answers must not hang a digest or a shutdown: its lane's thread is ended.
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        reject(new Error(`analytics task ${input.task.kind} took over ${TASK_TIMEOUT_MS / 1000} s; its thread was restarted`));
        this.pending.delete(id);
        if (this.child === w) this.send(w, { cancel: lane });
        this.settled(w);
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
      this.send(w, { id, lane, input: 'databasePath' in input ? { ...input, databasePath: resolvePath(input.databasePath) } : input });
    });
  }

  /** The lanes that have a thread now (none when the process is not running). */
  lanes(): Promise<Lane[]> {
    const w = this.child;
    if (!w) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.statusWaiters.push(resolve);
      this.send(w, { status: true });
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.child;
    this.child = undefined;
    if (w && w.exitCode === null) {
      const exited = new Promise((r) => w.once('exit', r));
      // Held while it stops: otherwise nothing keeps the loop alive to hear it exit.
      ref(w);
      w.kill();
      await exited;
    }
  }

  private send(w: ChildProcess, m: ToHost): void {
    w.send(m);
  }

  /** No task left: the process no longer keeps the bot alive, and exits after IDLE_EXIT_MS. */
  private settled(w: ChildProcess): void {
    if (this.pending.size > 0 || this.statusWaiters.length > 0) return;
    unref(w);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.child === w && this.pending.size === 0) void this.close();
    }, IDLE_EXIT_MS).unref();
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const w = fork(ENTRY, ['analytics'], { cwd: ROOT, env: { ...MALLOC_ENV, ...process.env }, execArgv: EXEC_ARGV, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Idle, it must not keep the process alive (a CLI run, a test); busy, it must.
    unref(w);
    w.on('message', (m: LaneReply | { status: Lane[] }) => {
      if ('status' in m) {
        for (const r of this.statusWaiters.splice(0)) r(m.status);
        return this.settled(w);
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) return p.progress?.(m.progress);
      this.pending.delete(m.id);
      this.settled(w);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`analytics task failed: ${m.error}`));
    });
    const fail = (e: Error) => {
      if (this.child === w) this.child = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      for (const r of this.statusWaiters.splice(0)) r([]);
    };
    w.on('error', fail);
    w.on('exit', (code, signal) => fail(new Error(`analytics process exited (${signal ?? code})`)));
    this.child = w;
    return w;
  }
}

/**
 * Tasks go to a lane by what they read, so that the two a person most often runs together do not
 * share one event loop: the ABC family (the recompute, /abc by any criterion, /abc profile) in
 * one, the funnel and the jobs (digests, dunning, reviews, backups, imports) in the other. Two
 * tasks in one lane take turns and each ends about when both would; in two they run side by side
 * on two cores. Charts have a lane of their own: a chart must not wait seconds behind a recompute
 * while the outbox waits for it.
 */
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
const analytics = new AnalyticsProcess();
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
  const run = analytics.run<TaskOutput<T>>(LANE_OF[input.task.kind], input, onProgress);
  if (key !== undefined) {
    running.set(key, run);
    const forget = () => {
      if (running.get(key) === run) running.delete(key);
    };
    run.then(forget, forget);
  }
  return run;
}

/** Draw a chart's PNG in the charts lane (beside the analytics ones, never queued behind them). */
export async function drawChart(chart: ChartSpec): Promise<Buffer> {
  const bytes = await analytics.run<Uint8Array>('charts', { task: { kind: 'chart', chart } });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The analytics process's lanes that have a thread now: what runs side by side (the lanes test). */
export function analyticsLanes(): Promise<Lane[]> {
  return analytics.lanes();
}

/** A bot in this process uses the analytics process; the last to release it stops it. */
export function acquireAnalytics(): void {
  users++;
}

export async function releaseAnalytics(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0) await analytics.close();
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
