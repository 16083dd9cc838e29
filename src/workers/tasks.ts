import type { AbcCriterion } from '../domain/abc.ts';
import type { AbcSummary } from '../services/analytics.ts';
import type { recomputeAndAlert } from '../services/recompute.ts';
import type { FunnelPeriod, FunnelResult } from '../services/funnel.ts';
import type { BackupResult } from '../repos/backup.ts';
import type { ChartSpec } from '../charts/spec.ts';
import type { ServiceSetup } from '../slack/context.ts';
import type { DunningTotals } from '../services/dunning.ts';
import type { AbcProfile } from '../domain/profile.ts';
import type { ReviewsRun } from '../services/reviews.ts';
import type { Counts, Kind } from '../books/index.ts';
import type { Locale } from '../domain/locales.ts';

/** Heavy read-mostly work that runs off the event loop that answers Slack. */
export type AnalyticsTask =
  | { kind: 'abc'; by: AbcCriterion }
  | { kind: 'recompute' }
  | { kind: 'funnel'; period: FunnelPeriod; owner?: string }
  /** The online backup and its verification (an integrity check of the whole copy). */
  | { kind: 'backup'; dest: string }
  /** Jobs that read every overdue invoice and post about them (they need `post`). */
  | { kind: 'overdue' }
  | { kind: 'dunning' }
  /** Reviews due and clients gone quiet (SPEC §7): every client and the A and B clients' whole invoice history. */
  | { kind: 'reviews' }
  /** `/abc profile`: every classified client and the ABC period's invoices. */
  | { kind: 'profile' }
  /**
   * A CSV from the books (SPEC §6), read from `path` (a temporary file the bot downloaded):
   * `preview` plans it and writes nothing, `apply` writes it, reporting progress on the way;
   * what it tells is worded in `locale`, the language of the person who shared the file.
   */
  | { kind: 'import'; path: string; mode: 'preview' | 'apply'; fileKind?: Kind; locale?: Locale };

/** What an import (or its preview) tells the person: in words already (the task's locale), and the failed rows as a CSV. */
export type ImportOutcome =
  | { ok: false; refusal: string }
  | {
      ok: true;
      kind: Kind;
      counts: Counts;
      /** The first failed rows, worded. */
      failures: { row: number; reason: string }[];
      /** Every failed row, in the file's encoding and separator, with `row` and `problem` columns. */
      failedCsv?: Uint8Array;
      notes: string[];
    };

/** What a task reports while it runs (the import's rows written so far). */
export interface TaskProgress {
  done: number;
  total: number;
}

export interface TaskInput {
  task: AnalyticsTask;
  databasePath: string;
  /** PostgreSQL instead of the file, when the bot runs on it. */
  databaseUrl?: string;
  now: number;
  /** Who acts: the person who asked, or the scheduler. */
  actor: string;
  /** The bot's configuration as a service context needs it (slack/context.ts): tasks that post build the same context. */
  setup: ServiceSetup;
}

/** A chart to draw (vega-lite → SVG → PNG takes 0.1–0.3 s of CPU): no database involved. */
export interface ChartInput {
  task: { kind: 'chart'; chart: ChartSpec };
}

/** What the analytics process is sent. */
export type WorkerInput = TaskInput | ChartInput;

/** What each task answers, by its kind: every kind must be listed. */
interface TaskOutputs {
  abc: AbcSummary;
  recompute: ReturnType<typeof recomputeAndAlert>;
  funnel: FunnelResult;
  backup: BackupResult;
  overdue: number;
  dunning: DunningTotals;
  reviews: ReviewsRun;
  profile: AbcProfile;
  import: ImportOutcome;
}

export type TaskOutput<T extends AnalyticsTask> = TaskOutputs[T['kind']];

/**
 * The analytics process's lanes, each a thread of its own (child/host.ts): the ABC family, the
 * jobs and the funnel, the charts. Tasks in one lane take turns; lanes run side by side.
 */
export type Lane = 'abc' | 'jobs' | 'charts';

/** What the bot sends the analytics process: a task for a lane, a lane to cancel (its task ran past its time), or a question of which lanes have a thread now. */
export type ToHost = { id: number; lane: Lane; input: WorkerInput } | { cancel: Lane } | { status: true };

/** What a lane answers about a task: its result, its failure, or its progress. */
export type LaneReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { id: number; progress: TaskProgress };
