import type { Logger } from '@slack/bolt';
import cron, { type ScheduledTask } from 'node-cron';
import type { Policy } from '../policy.ts';
import { claimRun, finishRun, hasAnyRun } from '../repos/jobs.ts';
import type { Store } from '../repos/store.ts';
import type { Ctx } from '../services/context.ts';
import { JOBS, SYSTEM_ACTOR, type Job, type JobEnv } from './jobs.ts';
import { jobStarted } from '../ops/metrics.ts';
import { jobSummary } from '../slack/ui/messages/jobs.ts';

const MINUTE = 60_000;
/** How far back a missed run is looked for at start: a week covers weekly digests. */
const LOOKBACK_MS = 8 * 24 * 60 * MINUTE;

export interface SchedulerDeps {
  store: Store;
  policy: Policy;
  tz: string;
  logger: Logger;
  now: () => number;
  ctx: (actor: string) => Ctx;
  env: JobEnv;
}

/**
 * node-cron fires each job in DEALDESK_TZ; every run first claims the run key
 * `<job>@<slot>` in the database, so it runs once per slot across restarts and processes.
 * At start, the latest slot missed while the bot was down runs once.
 */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private stopping = false;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.stopping = false;
    for (const job of Object.values(JOBS)) {
      const task = cron.schedule(job.schedule(this.deps.policy), (c) => this.runSlot(job, c.date.getTime()).then(() => undefined), {
        name: `dealdesk-${job.name}`,
        timezone: this.deps.tz,
        noOverlap: true,
        unref: true,
      });
      this.tasks.set(job.name, task);
    }
    this.pending = this.catchUp();
  }

  /** The catch-up started by start(), for whoever must wait for it (a test, a shutdown). */
  pending: Promise<string[]> = Promise.resolve([]);

  /** Run every job whose latest slot (as of the clock) has not run yet. Resolves to the jobs it ran. */
  async catchUp(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of Object.values(JOBS)) {
      // Shutting down: finish the job in hand, start no more (they run at the next start).
      if (this.stopping) break;
      const slot = this.previousSlot(job, this.deps.now());
      if (slot === undefined) continue;
      // A job that never ran here has missed nothing: a new install must not post last week's
      // digest on its first start. Its latest slot is marked as the baseline instead.
      if (!(await this.deps.store.read((tx) => hasAnyRun(tx, job.name)))) {
        const key = this.keyOf(job, slot);
        await this.deps.store.write(async (tx) => {
          await claimRun(tx, key, job.name, this.deps.now());
          await finishRun(tx, key, this.deps.now());
        });
        continue;
      }
      if (await this.runSlot(job, slot)) ran.push(job.name);
    }
    return ran;
  }

  private keyOf(job: Job, slot: number): string {
    return `${job.name}@${new Date(Math.floor(slot / MINUTE) * MINUTE).toISOString()}`;
  }

  /** The latest minute at or before `now` that matches the job's schedule. */
  previousSlot(job: Job, now: number): number | undefined {
    const task = this.tasks.get(job.name) ?? cron.createTask(job.schedule(this.deps.policy), () => undefined, { timezone: this.deps.tz });
    try {
      for (let t = Math.floor(now / MINUTE) * MINUTE; t > now - LOOKBACK_MS; t -= MINUTE) if (task.match(new Date(t))) return t;
      return undefined;
    } finally {
      if (!this.tasks.has(job.name)) void task.destroy();
    }
  }

  /** Claim and run one slot; false when it had already run (here or in another process). */
  async runSlot(job: Job, slot: number): Promise<boolean> {
    const key = this.keyOf(job, slot);
    const { store, logger } = this.deps;
    if (!(await store.write((tx) => claimRun(tx, key, job.name, this.deps.now())))) return false;
    const ended = jobStarted(job.name);
    try {
      // The log keeps English, whatever the workspace's language.
      logger.info(`${key}: ${jobSummary(await job.run(this.deps.ctx(SYSTEM_ACTOR), this.deps.env), 'en')}`);
      ended('ok');
    } catch (err) {
      ended('error');
      // The slot stays claimed: a job that failed on bad data would fail again every minute.
      logger.error(`${key} failed`, err);
    }
    await store.write((tx) => finishRun(tx, key, this.deps.now()));
    return true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.pending.catch(() => []);
    for (const t of this.tasks.values()) await t.destroy();
    this.tasks.clear();
  }
}
