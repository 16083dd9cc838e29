import { Worker } from 'node:worker_threads';
import type { AnalyticsTask, TaskInput, TaskOutput } from './tasks.ts';

const BOOT = new URL('./boot.mjs', import.meta.url);
const ENTRY = new URL('./analytics-worker.ts', import.meta.url).href;

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
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
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

/** Run one analytics task off the main thread. */
export function runAnalytics<T extends AnalyticsTask>(input: TaskInput & { task: T }): Promise<TaskOutput<T>> {
  return shared.run(input);
}

/** Stop the worker (shutdown). */
export function closeAnalytics(): Promise<void> {
  return shared.close();
}
