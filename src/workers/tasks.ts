import type { AbcCriterion } from '../domain/abc.ts';
import type { Policy } from '../policy.ts';
import type { AbcSummary, SegmentChange } from '../services/analytics.ts';
import type { FunnelPeriod, FunnelResult } from '../services/funnel.ts';
import type { BackupResult } from '../repos/backup.ts';

/** Heavy read-mostly work that runs off the event loop that answers Slack. */
export type AnalyticsTask =
  | { kind: 'abc'; by: AbcCriterion }
  | { kind: 'recompute' }
  | { kind: 'funnel'; period: FunnelPeriod; owner?: string }
  /** The online backup and its verification (an integrity check of the whole copy). */
  | { kind: 'backup'; dest: string };

export interface TaskInput {
  task: AnalyticsTask;
  databasePath: string;
  policy: Policy;
  now: number;
  tz: string;
}

export type TaskOutput<T extends AnalyticsTask> = T extends { kind: 'abc' }
  ? AbcSummary
  : T extends { kind: 'recompute' }
    ? { summary: AbcSummary; changes: SegmentChange[] }
    : T extends { kind: 'backup' }
      ? BackupResult
      : FunnelResult;
