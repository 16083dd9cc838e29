import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Policy } from '../policy.ts';
import { pruneBackups } from '../repos/backup.ts';
import { announce } from '../services/announce.ts';
import type { Ctx } from '../services/context.ts';
import { remindOverdueApprovals } from '../services/contracts.ts';
import { remindOverdueTasks } from '../services/delivery.ts';
import { pgBackup, type PgBackupResult } from '../repos/pg-backup.ts';
import { runAnalytics } from '../workers/client.ts';
import type { AnalyticsTask, TaskInput } from '../workers/tasks.ts';
import type { Config } from '../config.ts';
import type { AbcCriterion } from '../domain/abc.ts';
import type { PeriodName } from '../services/funnel.ts';

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

/** What a run did, as figures; slack/ui/messages/jobs.ts says it in words (the log's English, the admin's language). */
export type JobOutcome =
  | { job: 'approvals'; legal: number; finance: number }
  | { job: 'overdue'; invoices: number }
  | { job: 'dunning'; sent: number; broken: number; claims: number; paused: number }
  | { job: 'delivery'; tasks: number }
  | { job: 'segments'; by: AbcCriterion; changed: number; written: number }
  | { job: 'abc'; by: AbcCriterion; changed: number }
  | { job: 'funnel'; period: PeriodName }
  | { job: 'reviews'; due: number; owners: number; quiet: number }
  | { job: 'backup'; backup: PgBackupResult | { kind: 'sqlite'; file: string; kib: number; pruned: number } };

export interface Job {
  name: JobName;
  schedule: (p: Policy) => string;
  /** Runs the job as of ctx.now; returns what it did, for logs and the admin who asked. */
  run: (ctx: Ctx, env: JobEnv) => Promise<JobOutcome>;
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
      return { job: 'approvals', legal: r.legal, finance: r.finance };
    },
  },
  overdue: {
    name: 'overdue',
    schedule: (p) => p.schedules.overdue,
    // In the analytics process, as dunning: both read every overdue invoice (tens of thousands).
    run: async (ctx, env) => ({ job: 'overdue', invoices: await runAnalytics(task(ctx, env, { kind: 'overdue' })) }),
  },
  dunning: {
    name: 'dunning',
    schedule: (p) => p.schedules.dunning,
    run: async (ctx, env) => {
      const r = await runAnalytics(task(ctx, env, { kind: 'dunning' }));
      return { job: 'dunning', sent: r.sent, broken: r.broken, claims: r.claims, paused: r.paused };
    },
  },
  delivery: {
    name: 'delivery',
    schedule: (p) => p.schedules.delivery,
    run: async (ctx) => ({ job: 'delivery', tasks: await remindOverdueTasks(ctx) }),
  },
  segments: {
    name: 'segments',
    schedule: (p) => p.schedules.segments,
    run: async (ctx, env) => {
      const r = await recompute(ctx, env);
      return { job: 'segments', by: r.summary.by, changed: r.changes.length, written: r.written };
    },
  },
  abc: {
    name: 'abc',
    schedule: (p) => p.schedules.abc,
    run: async (ctx, env) => {
      const r = await recompute(ctx, env);
      await announce(ctx, [{ kind: 'abc-digest', summary: r.summary }]);
      return { job: 'abc', by: r.summary.by, changed: r.changes.length };
    },
  },
  funnel: {
    name: 'funnel',
    schedule: (p) => p.schedules.funnel,
    run: async (ctx, env) => {
      const result = await runAnalytics(task(ctx, env, { kind: 'funnel', period: ctx.policy.funnel.defaultPeriod }));
      await announce(ctx, [{ kind: 'funnel-digest', result }]);
      return { job: 'funnel', period: result.period };
    },
  },
  reviews: {
    name: 'reviews',
    schedule: (p) => p.schedules.reviews,
    // In the analytics process: the quiet rule reads the A and B clients' whole invoice history.
    run: async (ctx, env) => {
      const r = await runAnalytics(task(ctx, env, { kind: 'reviews' }));
      return { job: 'reviews', due: r.due, owners: r.owners.filter((o) => o.due.length > 0).length, quiet: r.quiet.length };
    },
  },
  backup: {
    name: 'backup',
    schedule: (p) => p.schedules.backup,
    run: async (ctx, env) => {
      // PostgreSQL: a pg_dump where the tool is installed, else a plain answer (SPEC §8).
      if (env.databaseUrl) return { job: 'backup', backup: await pgBackup(env.databaseUrl, resolve(ctx.policy.backup.dir ?? './data/backups'), ctx.now) };
      const dir = resolve(ctx.policy.backup.dir ?? join(dirname(resolve(env.databasePath)), 'backups'));
      mkdirSync(dir, { recursive: true });
      const stamp = new Date(ctx.now).toISOString().replace(/[:.]/g, '-').slice(0, 19);
      const file = join(dir, `${BACKUP_PREFIX}${stamp}.db`);
      // In the analytics process: the copy's integrity check reads the whole file.
      const r = await runAnalytics(task(ctx, env, { kind: 'backup', dest: file }));
      const pruned = pruneBackups(dir, BACKUP_PREFIX, ctx.policy.backup.keep);
      return { job: 'backup', backup: { kind: 'sqlite', file, kib: Math.round(r.bytes / 1024), pruned: pruned.length } };
    },
  },
};

const BACKUP_PREFIX = 'dealdesk-';

/** The actor recorded for changes a scheduled job makes. */
export const SYSTEM_ACTOR = 'dealdesk';
