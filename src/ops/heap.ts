/**
 * The bot's heap given back after a burst. Under fifty Slack requests at once, what a request
 * allocates outlives V8's small young generation (the start command's --max-semi-space-size=4)
 * and lands in the old one, where V8, with memory to spare, leaves it: the bench's card burst took
 * the heap from 26 to 87 MB used, of which some 60 MB were garbage still held minutes later. With
 * node's --expose-gc (the start command passes it), a full collection runs once the event loop
 * has been nearly idle for a whole check and the heap grew by GROWN_BYTES since the last one: a
 * quiet moment after a burst, not in the middle of a busy one (then V8 collects as it would
 * anyway). Requests that mostly wait (on Slack, on the analytics process) leave the loop idle
 * too: one of them may wait the 10–30 ms a collection of the bot's heap takes. Without
 * --expose-gc it does nothing.
 */
import { getHeapStatistics } from 'node:v8';
import { performance } from 'node:perf_hooks';

/** How often the event loop's use is looked at. */
const CHECK_MS = 1000;
/** Busy for less than this share of the last check is idle. */
const IDLE_UTILISATION = 0.05;
const GROWN_BYTES = 32 * 1024 * 1024;

/**
 * A full collection of this thread's heap (node's --expose-gc), and how much the heap grew since
 * the last one (or since this was made: the modules already loaded are not growth). Undefined
 * without --expose-gc. The bot's tidier below and each analytics thread (workers/child/entry.ts)
 * decide when.
 */
export interface HeapCollector {
  grown(): number;
  collect(): void;
}

export function heapCollector(): HeapCollector | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const used = () => getHeapStatistics().used_heap_size;
  let collected = used();
  return {
    grown: () => used() - collected,
    collect: () => {
      gc();
      collected = used();
    },
  };
}

/** Start tidying; the returned function stops it. */
export function tidyHeapWhenIdle(): () => void {
  const heap = heapCollector();
  if (!heap) return () => undefined;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy > IDLE_UTILISATION || heap.grown() < GROWN_BYTES) return;
    heap.collect();
  }, CHECK_MS).unref();
  return () => clearInterval(timer);
}
