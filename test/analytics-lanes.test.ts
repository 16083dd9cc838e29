import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { seed } from '../src/seed/generate.ts';
import type { ChartSpec } from '../src/charts/spec.ts';
import type { ServiceSetup } from '../src/slack/context.ts';
import { acquireAnalytics, analyticsLanes, drawChart, releaseAnalytics, runAnalytics } from '../src/workers/client.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-lanes-'));
const databasePath = join(dir, 'lanes.db');
const setup: ServiceSetup = {
  policy: DEFAULT_POLICY,
  tz: 'UTC',
  channels: { legal: 'C0LEGAL', finance: 'C0FINANCE', sales: 'C0SALES' },
  approvers: { legal: ['U0LEGAL'], finance: ['U0FINANCE'] },
  roles: { legal: ['U0LEGAL'], finance: ['U0FINANCE'], admins: [] },
};
const funnelChart: ChartSpec = { kind: 'funnel', title: 'Funnel', stages: [{ stage: 'lead', reached: 10 }, { stage: 'won', reached: 3 }] };
const input = { databasePath, now: Date.parse('2026-11-27T12:00:00Z'), actor: 'U0SYSTEM', setup };

/** This process's children that run the analytics process. */
function analyticsChildren(): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workers/child/host.ts')) out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(() => {
  const db = openDb(databasePath);
  seed(db, { clients: 300, invoices: 3000, seed: 4, asOf: '2026-11-27' });
  closeDb(db);
  acquireAnalytics();
});
afterAll(async () => {
  await releaseAnalytics();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('analytics process', () => {
  it('runs /abc and /funnel side by side, each in its own lane\'s thread, and charts in a third, all in one process', async () => {
    const both = Promise.all([runAnalytics({ task: { kind: 'recompute' }, ...input }), runAnalytics({ task: { kind: 'funnel', period: '90d' }, ...input })]);
    // Both lanes have a thread while the two tasks run (neither waits in the other's queue).
    expect((await analyticsLanes()).sort()).toEqual(['abc', 'jobs']);
    const [abc, funnel] = await both;
    expect(abc.summary.segments.map((s) => s.segment)).toEqual(['A', 'B', 'C']);
    expect(funnel.report.stages.lead).toBeDefined();
    const png = await drawChart(funnelChart);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect((await analyticsLanes()).sort()).toEqual(['abc', 'charts', 'jobs']);
    // One process for the three.
    expect(analyticsChildren()).toHaveLength(1);
  });

  it('share one run among the same tasks asked while it runs, and run again once it is done', async () => {
    const [a, b, c] = await Promise.all([
      runAnalytics({ task: { kind: 'recompute' }, ...input }),
      runAnalytics({ task: { kind: 'recompute' }, ...input, now: input.now + 1000, actor: 'U0OTHER' }),
      runAnalytics({ task: { kind: 'abc', by: 'margin' }, ...input }),
    ]);
    expect(b).toBe(a);
    expect(c).not.toBe(a.summary);
    expect(c.by).toBe('margin');
    const again = await runAnalytics({ task: { kind: 'recompute' }, ...input });
    expect(again).not.toBe(a);
    expect(again.summary).toEqual(a.summary);
    // Another day is another period: not shared.
    const [today, tomorrow] = await Promise.all([runAnalytics({ task: { kind: 'abc', by: 'revenue' }, ...input }), runAnalytics({ task: { kind: 'abc', by: 'revenue' }, ...input, now: input.now + 86_400_000 })]);
    expect(tomorrow).not.toBe(today);
    expect(tomorrow.period.to).not.toBe(today.period.to);
  });
});
