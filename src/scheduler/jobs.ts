import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Policy } from '../policy.ts';
import { pruneBackups } from '../repos/backup.ts';
import { announce } from '../services/announce.ts';
import type { Ctx } from '../services/context.ts';
import { remindOverdueApprovals } from '../services/contracts.ts';
import { remindOverdueTasks } from '../services/delivery.ts';
import { plural } from '../slack/ui/format.ts';
import { pgBackup } from '../repos/pg-backup.ts';
import { runAnalytics } from '../workers/client.ts';
import type { AnalyticsTask, TaskInput } from '../workers/tasks.ts';
import type { Config } from '../config.ts';

import { JOB_NAMES, type JobName } from '../domain/jobs.ts';

export { JOB_NAMES, type JobName };

/** What a job needs besides a service context, for the analytics process: the database file and where to post. */
export interface JobEnv {
  databasePath: string;
  databaseUrl?: string;
  channels: Config['channels'];
  approvers: Config['approvers'];
  /** The workspace's language, for what the analytics process posts. */
  locale: Config['locale'];
}

export function jobEnv(config: Config): JobEnv {
  return { databasePath: config.databasePath, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), channels: config.channels, approvers: config.approvers, locale: config.locale };
}

/** A task for the analytics process, as of the job's context. */
function task<T extends AnalyticsTask>(ctx: Ctx, env: JobEnv, t: T): TaskInput & { task: T } {
  return {
    task: t,
    databasePath: env.databasePath,
    ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
    now: ctx.now,
    actor: ctx.actor,
    setup: { policy: ctx.policy, tz: ctx.tz, locale: env.locale, roles: ctx.roles, channels: env.channels, approvers: env.approvers },
  };
}

export interface Job {
  name: JobName;
  schedule: (p: Policy) => string;
  /** Runs the job as of ctx.now; returns a one-line summary for logs and the admin who asked. */
  run: (ctx: Ctx, env: JobEnv) => string | Promise<string>;
}

/** The nightly recompute: segments stored, changes alerted to the sales channel and the owners (recomputeAndAlert). */
function recompute(ctx: Ctx, env: JobEnv) {
  return runAnalytics(task(ctx, env, { kind: 'recompute' }));
}

export const JOBS: Record<JobName, Job> = {
  approvals: {
    name: 'approvals',
    schedule: (p) => p.schedules.approvals,
    run: async (ctx) => {
      const r = await remindOverdueApprovals(ctx);
      return `approvals: reminded ${r.legal} legal and ${plural(r.finance, 'finance approval')} past their deadline`;
    },
  },
  overdue: {
    name: 'overdue',
    schedule: (p) => p.schedules.overdue,
    // In the analytics process, as dunning: both read every overdue invoice (tens of thousands).
    run: async (ctx, env) => `overdue: ${plural(await runAnalytics(task(ctx, env, { kind: 'overdue' })), 'overdue invoice')} reported to finance and their owners`,
  },
  dunning: {
    name: 'dunning',
    schedule: (p) => p.schedules.dunning,
    run: async (ctx, env) => {
      const r = await runAnalytics(task(ctx, env, { kind: 'dunning' }));
      return `dunning: ${plural(r.sent, 'step')} sent, ${plural(r.broken, 'broken promise')}, ${plural(r.claims, 'claim')} offered to legal, ${r.paused} paused by a promise`;
    },
  },
  delivery: {
    name: 'delivery',
    schedule: (p) => p.schedules.delivery,
    run: async (ctx) => `delivery: reminded ${plural(await remindOverdueTasks(ctx), 'task')} past due`,
  },
  segments: {
    name: 'segments',
    schedule: (p) => p.schedules.segments,
    run: async (ctx, env) => {
      const r = await recompute(ctx, env);
      return `segments: recomputed by ${r.summary.by}; ${plural(r.changes.length, 'client')} changed segment, ${plural(r.written, 'snapshot')} written`;
    },
  },
  abc: {
    name: 'abc',
    schedule: (p) => p.schedules.abc,
    run: async (ctx, env) => {
      const r = await recompute(ctx, env);
      await announce(ctx, [{ kind: 'abc-digest', summary: r.summary }]);
      return `abc: posted the ${r.summary.by} digest to the sales channel; ${plural(r.changes.length, 'client')} changed segment`;
    },
  },
  funnel: {
    name: 'funnel',
    schedule: (p) => p.schedules.funnel,
    run: async (ctx, env) => {
      const result = await runAnalytics(task(ctx, env, { kind: 'funnel', period: ctx.policy.funnel.defaultPeriod }));
      await announce(ctx, [{ kind: 'funnel-digest', result }]);
      return `funnel: posted ${result.label} to the sales channel`;
    },
  },
  reviews: {
    name: 'reviews',
    schedule: (p) => p.schedules.reviews,
    // In the analytics process: the quiet rule reads the A and B clients' whole invoice history.
    run: async (ctx, env) => {
      const r = await runAnalytics(task(ctx, env, { kind: 'reviews' }));
      return `reviews: ${plural(r.due, 'client review')} due sent to ${plural(r.owners.filter((o) => o.due.length > 0).length, 'owner')}; ${plural(r.quiet.length, 'client')} newly gone quiet reported`;
    },
  },
  backup: {
    name: 'backup',
    schedule: (p) => p.schedules.backup,
    run: async (ctx, env) => {
      // PostgreSQL: a pg_dump where the tool is installed, else a plain answer (SPEC §8).
      if (env.databaseUrl) return `backup: ${await pgBackup(env.databaseUrl, resolve(ctx.policy.backup.dir ?? './data/backups'), ctx.now)}`;
      const dir = resolve(ctx.policy.backup.dir ?? join(dirname(resolve(env.databasePath)), 'backups'));
      mkdirSync(dir, { recursive: true });
      const stamp = new Date(ctx.now).toISOString().replace(/[:.]/g, '-').slice(0, 19);
      const file = join(dir, `${BACKUP_PREFIX}${stamp}.db`);
      // In the analytics process: the copy's integrity check reads the whole file.
      const r = await runAnalytics(task(ctx, env, { kind: 'backup', dest: file }));
      const pruned = pruneBackups(dir, BACKUP_PREFIX, ctx.policy.backup.keep);
      return `backup: ${file} (${Math.round(r.bytes / 1024)} KiB, verified); ${plural(pruned.length, 'old backup')} removed`;
    },
  },
};

const BACKUP_PREFIX = 'dealdesk-';

/** The actor recorded for changes a scheduled job makes. */
export const SYSTEM_ACTOR = 'dealdesk';
