import { parentPort } from 'node:worker_threads';
import { backupTo } from '../repos/backup.ts';
import { closeDb, openDb } from '../repos/db.ts';
import { computeAbc, recomputeSegments } from '../services/analytics.ts';
import { computeFunnel } from '../services/funnel.ts';
import type { TaskInput } from './tasks.ts';

async function run(input: TaskInput): Promise<unknown> {
  // The backup opens its own connections to source and copy.
  if (input.task.kind === 'backup') return backupTo(input.databasePath, input.task.dest);
  return runOnDb(input);
}

function runOnDb(input: TaskInput): unknown {
  // Its own connection per task: WAL lets it read (and, for the recompute, write) beside the bot's.
  const db = openDb(input.databasePath, { migrate: false });
  try {
    const { task, policy, now, tz } = input;
    if (task.kind === 'abc') return computeAbc(db, policy, task.by, now, tz).summary;
    if (task.kind === 'recompute') return recomputeSegments(db, policy, now, tz);
    if (task.kind === 'funnel') return computeFunnel(db, policy, task.period, task.owner, now, tz);
    throw new Error(`unknown task ${task.kind}`);
  } finally {
    closeDb(db);
  }
}

// Runs as a child process (IPC), so analytics memory never counts against the bot's.
const reply = (m: unknown) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onMessage = (m: { id: number; input: TaskInput }) => {
  run(m.input).then(
    (result) => reply({ id: m.id, ok: true, result }),
    (err: unknown) => reply({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
};
if (parentPort) parentPort.on('message', onMessage);
else process.on('message', onMessage);
// The bot went away: so do we.
process.on('disconnect', () => process.exit(0));
