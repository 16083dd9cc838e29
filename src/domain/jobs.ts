/** The scheduled jobs, by the name `npm run digest -- <name>` and `/dealdesk digest <name>` use. */
export const JOB_NAMES = ['overdue', 'dunning', 'approvals', 'abc', 'funnel', 'segments', 'delivery', 'backup', 'reviews'] as const;
export type JobName = (typeof JOB_NAMES)[number];
