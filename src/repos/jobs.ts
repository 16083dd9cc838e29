import { eq } from 'drizzle-orm';
import { jobRuns } from '../../db/schema/index.ts';
import type { Db } from './db.ts';

/**
 * Claim a run key. The primary key makes this exactly-once across restarts and across
 * processes sharing the database: the second INSERT of the same key changes nothing.
 */
export function claimRun(db: Db, runKey: string, job: string, at: number): boolean {
  return db.insert(jobRuns).values({ runKey, job, startedAt: at }).onConflictDoNothing().run().changes === 1;
}

export function finishRun(db: Db, runKey: string, at: number): void {
  db.update(jobRuns).set({ finishedAt: at }).where(eq(jobRuns.runKey, runKey)).run();
}

export function hasRun(db: Db, runKey: string): boolean {
  return db.select({ k: jobRuns.runKey }).from(jobRuns).where(eq(jobRuns.runKey, runKey)).get() !== undefined;
}

/** Whether a job has ever claimed a slot in this database. */
export function hasAnyRun(db: Db, job: string): boolean {
  return db.select({ k: jobRuns.runKey }).from(jobRuns).where(eq(jobRuns.job, job)).limit(1).get() !== undefined;
}
