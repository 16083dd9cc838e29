import type { Policy } from '../policy.ts';
import type { Ctx } from '../services/context.ts';
import { remindOverdueApprovals } from '../services/contracts.ts';

/** The scheduled jobs, by the name `npm run digest -- <name>` and `/dealdesk digest <name>` use. */
export const JOB_NAMES = ['approvals'] as const;
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
};

/** The actor recorded for changes a scheduled job makes. */
export const SYSTEM_ACTOR = 'dealdesk';
