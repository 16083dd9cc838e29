import { parentPort } from 'node:worker_threads';
import { closeDb, openDb } from '../repos/db.ts';
import { computeAbc, recomputeSegments } from '../services/analytics.ts';
import { computeFunnel } from '../services/funnel.ts';
import type { TaskInput } from './tasks.ts';

function run(input: TaskInput): unknown {
  // Its own connection per task: WAL lets it read (and, for the recompute, write) beside the bot's.
  const db = openDb(input.databasePath, { migrate: false });
  try {
    const { task, policy, now, tz } = input;
    if (task.kind === 'abc') return computeAbc(db, policy, task.by, now, tz).summary;
    if (task.kind === 'recompute') return recomputeSegments(db, policy, now, tz);
    return computeFunnel(db, policy, task.period, task.owner, now, tz);
  } finally {
    closeDb(db);
  }
}

parentPort!.on('message', (m: { id: number; input: TaskInput }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: true, result: run(m.input) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
});
