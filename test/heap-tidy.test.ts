/**
 * src/ops/heap.ts in a node process of its own, started as the bot is (--expose-gc): garbage left
 * in the old generation by a burst is collected in the first quiet second, and not while the event
 * loop is busy.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Run `body` (an ES module's text, with `tidy` and `usedMb` in scope) and read the JSON it prints last. */
function run(body: string, flags: string[] = ['--expose-gc']): { held: number; after: number } {
  const script = `
    import { getHeapStatistics } from 'node:v8';
    import { tidyHeapWhenIdle as tidy } from './src/ops/heap.ts';
    const usedMb = () => getHeapStatistics().used_heap_size / 1048576;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    ${body}`;
  const r = spawnSync(process.execPath, [...flags, '--max-semi-space-size=4', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { held: number; after: number };
}

// 80 MB of small objects kept through a few scavenges (so they reach the old generation), then dropped.
const BURST = `
  let kept = [];
  for (let i = 0; i < 800; i++) { kept.push(Array.from({ length: 2500 }, (_, j) => ({ i, j }))); if (i % 100 === 0) await sleep(1); }
  const held = usedMb();
  kept = null;`;

describe('the bot heap tidier', () => {
  it('collects the garbage of a burst within a few quiet seconds', () => {
    const r = run(`
      const stop = tidy();
      ${BURST}
      // Within a few checks (a loaded machine's timers run late): polled for up to 6 s.
      let after = usedMb();
      for (let i = 0; i < 60 && after > held - 50; i++) { await sleep(100); after = usedMb(); }
      stop();
      console.log(JSON.stringify({ held, after }));`);
    expect(r.held).toBeGreaterThan(60);
    expect(r.after).toBeLessThan(r.held - 50);
  });

  it('leaves a busy event loop alone, and does nothing without --expose-gc', () => {
    const busy = run(`
      const stop = tidy();
      ${BURST}
      // Busy for 2.5 s: synchronous work in 50 ms slices.
      const until = Date.now() + 2500;
      while (Date.now() < until) { const t = Date.now() + 50; while (Date.now() < t); await new Promise((r) => setImmediate(r)); }
      const after = usedMb();
      stop();
      console.log(JSON.stringify({ held, after }));`);
    expect(busy.after).toBeGreaterThan(busy.held - 10);
    const bare = run(
      `
      const stop = tidy();
      ${BURST}
      await sleep(2500);
      console.log(JSON.stringify({ held, after: usedMb() }));`,
      [],
    );
    expect(bare.after).toBeGreaterThan(bare.held - 10);
  });
});
