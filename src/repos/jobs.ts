import { eq } from 'drizzle-orm';
import { jobRuns } from '../../db/schema/index.ts';
import { changed, first, type Tx } from './store.ts';

/**
 * Claim a run key. The primary key makes this exactly-once across restarts and across
 * processes (or instances) sharing the database: the second INSERT of the same key changes nothing.
 */
export async function claimRun(tx: Tx, runKey: string, job: string, at: number): Promise<boolean> {
  return changed(await tx.insert(jobRuns).values({ runKey, job, startedAt: at }).onConflictDoNothing()) === 1;
}

export async function finishRun(tx: Tx, runKey: string, at: number): Promise<void> {
  await tx.update(jobRuns).set({ finishedAt: at }).where(eq(jobRuns.runKey, runKey));
}

export async function hasRun(tx: Tx, runKey: string): Promise<boolean> {
  return (await first(tx.select({ k: jobRuns.runKey }).from(jobRuns).where(eq(jobRuns.runKey, runKey)))) !== undefined;
}

/** Whether a job has ever claimed a slot in this database. */
export async function hasAnyRun(tx: Tx, job: string): Promise<boolean> {
  return (await first(tx.select({ k: jobRuns.runKey }).from(jobRuns).where(eq(jobRuns.job, job)).limit(1))) !== undefined;
}
