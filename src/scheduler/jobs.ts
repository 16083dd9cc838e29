import type { Policy } from '../policy.ts';
import type { Ctx } from '../services/context.ts';
import { remindOverdueApprovals } from '../services/contracts.ts';
import { remindOverdueTasks } from '../services/delivery.ts';
import { runDunning } from '../services/dunning.ts';
import { overdueDigest } from '../services/invoices.ts';

/** The scheduled jobs, by the name `npm run digest -- <name>` and `/dealdesk digest <name>` use. */
export const JOB_NAMES = ['approvals', 'overdue', 'dunning', 'delivery'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface Job {
  name: JobName;
  schedule: (p: Policy) => string;
  /** Runs the job as of ctx.now; returns a one-line summary for logs and the admin who asked. */
  run: (ctx: Ctx) => string;
}

export const JOBS: Record<JobName, Job> = {
  approvals: {
    name: 'approvals',
    schedule: (p) => p.schedules.approvals,
    run: (ctx) => {
      const r = remindOverdueApprovals(ctx);
      return `approvals: reminded ${r.legal} legal and ${r.finance} finance approvals past their deadline`;
    },
  },
  overdue: {
    name: 'overdue',
    schedule: (p) => p.schedules.overdue,
    run: (ctx) => `overdue: ${overdueDigest(ctx)} overdue invoices reported to finance and their owners`,
  },
  dunning: {
    name: 'dunning',
    schedule: (p) => p.schedules.dunning,
    run: (ctx) => {
      const r = runDunning(ctx);
      return `dunning: ${r.sent} steps sent, ${r.broken} broken promises, ${r.claims} claims offered to legal, ${r.paused} paused by a promise`;
    },
  },
  delivery: {
    name: 'delivery',
    schedule: (p) => p.schedules.delivery,
    run: (ctx) => `delivery: reminded ${remindOverdueTasks(ctx)} tasks past due`,
  },
};

/** The actor recorded for changes a scheduled job makes. */
export const SYSTEM_ACTOR = 'dealdesk';
