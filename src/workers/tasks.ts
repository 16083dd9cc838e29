import type { AbcCriterion } from '../domain/abc.ts';
import type { Policy } from '../policy.ts';
import type { AbcSummary, recomputeSegments } from '../services/analytics.ts';
import type { FunnelPeriod, FunnelResult } from '../services/funnel.ts';
import type { BackupResult } from '../repos/backup.ts';
import type { Config } from '../config.ts';
import type { ChartSpec } from '../slack/charts.ts';
import type { Ctx } from '../services/context.ts';
import type { DunningTotals } from '../services/dunning.ts';

/** Heavy read-mostly work that runs off the event loop that answers Slack. */
export type AnalyticsTask =
  | { kind: 'abc'; by: AbcCriterion }
  | { kind: 'recompute' }
  | { kind: 'funnel'; period: FunnelPeriod; owner?: string }
  /** The online backup and its verification (an integrity check of the whole copy). */
  | { kind: 'backup'; dest: string }
  /** Jobs that read every overdue invoice and post about them (they need `post`). */
  | { kind: 'overdue' }
  | { kind: 'dunning' };

/** What a task that posts needs to act as a service call would: who acts, and where messages go. */
export interface PostSetup {
  actor: string;
  roles: Ctx['roles'];
  channels: Config['channels'];
  approvers: Config['approvers'];
}

export interface TaskInput {
  task: AnalyticsTask;
  databasePath: string;
  policy: Policy;
  now: number;
  tz: string;
  post?: PostSetup;
}

/** A chart to draw (vega-lite → SVG → PNG takes 0.1–0.3 s of CPU): no database involved. */
export interface ChartInput {
  task: { kind: 'chart'; chart: ChartSpec };
}

/** What the analytics process is sent. */
export type WorkerInput = TaskInput | ChartInput;

export type TaskOutput<T extends AnalyticsTask> = T extends { kind: 'abc' }
  ? AbcSummary
  : T extends { kind: 'recompute' }
    ? ReturnType<typeof recomputeSegments>
    : T extends { kind: 'backup' }
      ? BackupResult
      : T extends { kind: 'overdue' }
        ? number
        : T extends { kind: 'dunning' }
          ? DunningTotals
          : FunnelResult;
