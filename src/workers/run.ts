import { Worker } from 'node:worker_threads';
import type { AnalyticsTask, TaskInput, TaskOutput } from './tasks.ts';

const BOOT = new URL('./boot.mjs', import.meta.url);
const ENTRY = new URL('./analytics-worker.ts', import.meta.url).href;
const TASK_TIMEOUT_MS = 5 * 60_000;

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/**
 * One long-lived worker thread for analytics, so the event loop that acks Slack stays free
 * and each task does not pay for starting a thread. Tasks queue in the worker; a crashed
 * worker fails what it held and is started afresh for the next task.
 */
class AnalyticsWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  run<T extends AnalyticsTask>(input: TaskInput & { task: T }): Promise<TaskOutput<T>> {
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise<TaskOutput<T>>((resolve, reject) => {
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
          resolve(v as TaskOutput<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      if (this.pending.size === 1) w.ref();
      w.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(BOOT, { workerData: { entry: ENTRY } });
    // Idle, it must not keep the process alive (a CLI run, a test); busy, it must.
    w.unref();
    w.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`analytics task failed: ${m.error}`));
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`analytics worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }
}

const shared = new AnalyticsWorker();
let users = 0;

/** Run one analytics task off the main thread. */
export function runAnalytics<T extends AnalyticsTask>(input: TaskInput & { task: T }): Promise<TaskOutput<T>> {
  return shared.run(input);
}

/** A bot in this process uses the worker; the last to release it stops it. */
export function acquireAnalytics(): void {
  users++;
}

export async function releaseAnalytics(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0) await shared.close();
}
