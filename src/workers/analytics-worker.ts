import { parentPort } from 'node:worker_threads';
import { backupTo } from '../repos/backup.ts';
import { closeDb, openDb, type Db } from '../repos/db.ts';
import type { Ctx } from '../services/context.ts';
import { runDunning } from '../services/dunning.ts';
import { overdueDigest } from '../services/invoices.ts';
import { renderChart } from '../slack/charts.ts';
import { makeRender } from '../slack/notices.ts';
import { computeAbc, recomputeSegments } from '../services/analytics.ts';
import { computeFunnel } from '../services/funnel.ts';
import type { TaskInput, WorkerInput } from './tasks.ts';

async function run(input: WorkerInput): Promise<unknown> {
  if (input.task.kind === 'chart') return renderChart(input.task.chart);
  return runTask(input as TaskInput);
}

async function runTask(input: TaskInput): Promise<unknown> {
  // The backup opens its own connections to source and copy.
  if (input.task.kind === 'backup') return backupTo(input.databasePath, input.task.dest);
  // Its own connection per task: WAL lets it read (and write, in short transactions) beside the bot's.
  const db = openDb(input.databasePath, { migrate: false });
  try {
    const { task, policy, now, tz } = input;
    if (task.kind === 'abc') return computeAbc(db, policy, task.by, now, tz).summary;
    if (task.kind === 'recompute') return recomputeSegments(db, policy, now, tz);
    if (task.kind === 'funnel') return computeFunnel(db, policy, task.period, task.owner, now, tz);
    if (task.kind === 'overdue') return overdueDigest(postingCtx(db, input));
    if (task.kind === 'dunning') return await runDunning(postingCtx(db, input));
    throw new Error(`unknown task ${(task as { kind: string }).kind}`);
  } finally {
    closeDb(db);
  }
}

/** A service context for a task that posts: its messages go to the outbox the bot delivers from. */
function postingCtx(db: Db, input: TaskInput): Ctx {
  const post = input.post;
  if (!post) throw new Error(`task ${input.task.kind} needs to know who acts and where to post`);
  const render = makeRender(post, { tz: input.tz });
  return { db, actor: post.actor, now: input.now, policy: input.policy, tz: input.tz, render, roles: post.roles };
}

// Runs as a child process (IPC), so analytics memory never counts against the bot's.
const reply = (m: unknown) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onMessage = (m: { id: number; input: WorkerInput }) => {
  run(m.input).then(
    (result) => reply({ id: m.id, ok: true, result }),
    (err: unknown) => reply({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
};
if (parentPort) parentPort.on('message', onMessage);
else process.on('message', onMessage);
// The bot went away: so do we.
process.on('disconnect', () => process.exit(0));
