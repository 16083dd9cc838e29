/**
 * The analytics process (workers/client.ts starts one beside the bot). Its main thread only routes:
 * each lane (the ABC family, the jobs, the charts) runs in a worker thread of its own, so the
 * lanes still run side by side on two cores and a chart never waits behind a recompute, while the
 * process's node, its native libraries and its code pages are there once, not once per lane (three
 * processes held some 120–170 MB each at rest; a thread holds what its lane's modules and its last
 * task left, a full collection after).
 *
 * A lane's thread starts on its first task and ends after LANE_IDLE_MS without one, giving back
 * all it held. A thread that fails or is cancelled (a task past its time) fails the tasks it held;
 * the next task starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { Lane, LaneReply, ToHost } from '../tasks.ts';

/** Compiled (dist/) or TypeScript: as the process itself runs. */
const COMPILED = import.meta.url.endsWith('.js');
const ENTRY = new URL(COMPILED ? './entry.js' : './entry.ts', import.meta.url);
/**
 * A lane idle this long ends its thread: another task in it soon after (a second /abc, the chart
 * of an answer, the next job of the night) finds it warm; an idle hour holds nothing.
 */
const LANE_IDLE_MS = 60_000;
/** A thread asked to close that has not within this long is terminated. */
const CLOSE_GRACE_MS = 10_000;

interface LaneThread {
  worker: Worker;
  pending: Set<number>;
  idle: NodeJS.Timeout | undefined;
}

const lanes = new Map<Lane, LaneThread>();
const send = (m: LaneReply | { status: Lane[] }) => process.send?.(m);

function start(lane: Lane): LaneThread {
  // Under tsx, a worker thread's own loader does not get tsx's hooks from --import: the thread
  // registers them before it loads its TypeScript entry.
  const worker = COMPILED
    ? new Worker(ENTRY, { workerData: { lane } })
    : new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`, { eval: true, workerData: { lane }, execArgv: [] });
  const t: LaneThread = { worker, pending: new Set(), idle: undefined };
  worker.on('message', (m: LaneReply) => {
    if (!('progress' in m)) {
      t.pending.delete(m.id);
      if (t.pending.size === 0) closeWhenIdle(lane, t);
    }
    send(m);
  });
  const fail = (why: string) => {
    if (lanes.get(lane) === t) lanes.delete(lane);
    clearTimeout(t.idle);
    for (const id of t.pending) send({ id, ok: false, error: why });
    t.pending.clear();
  };
  worker.on('error', (e) => fail(`the ${lane} thread failed: ${e.message}`));
  worker.on('exit', (code) => fail(`the ${lane} thread exited (${code})`));
  lanes.set(lane, t);
  return t;
}

function closeWhenIdle(lane: Lane, t: LaneThread): void {
  clearTimeout(t.idle);
  t.idle = setTimeout(() => {
    if (t.pending.size > 0 || lanes.get(lane) !== t) return;
    // Out of the map at once: a task that comes while it closes starts a new thread.
    lanes.delete(lane);
    t.worker.postMessage({ close: true });
    setTimeout(() => void t.worker.terminate(), CLOSE_GRACE_MS).unref();
  }, LANE_IDLE_MS);
}

process.on('message', (m: ToHost) => {
  if ('status' in m) return send({ status: [...lanes.keys()] });
  if ('cancel' in m) {
    const t = lanes.get(m.cancel);
    if (t) {
      lanes.delete(m.cancel);
      void t.worker.terminate();
    }
    return;
  }
  const t = lanes.get(m.lane) ?? start(m.lane);
  clearTimeout(t.idle);
  t.pending.add(m.id);
  t.worker.postMessage({ id: m.id, input: m.input });
});
// The bot went away: so do we (and our threads with us).
process.on('disconnect', () => process.exit(0));
