import type { Fn } from '../domain/contracts.ts';
import { localDate } from '../domain/dates.ts';
import { clientsByStage, markHomeOpened, overdueOf, pendingApprovalsFor, type OverdueLine, type PendingApproval, type StageLine } from '../repos/home.ts';
import type { Store } from '../repos/store.ts';

export interface HomeData {
  userId: string;
  today: string;
  stages: StageLine[];
  approvals: PendingApproval[];
  overdue: OverdueLine[];
  fns: Fn[];
}

/** A person's dashboard: their clients by stage, what waits for their decision, their overdue invoices. */
export async function homeData(store: Store, userId: string, fns: Fn[], now: number, tz: string): Promise<HomeData> {
  const today = localDate(now, tz);
  return store.read(async (tx) => ({ userId, today, stages: await clientsByStage(tx, userId), approvals: await pendingApprovalsFor(tx, fns, userId), overdue: await overdueOf(tx, userId, today), fns }));
}

/** The person opened their Home tab: from now on it is republished when their data changes. */
export async function homeOpened(store: Store, userId: string, now: number): Promise<void> {
  await store.write((tx) => markHomeOpened(tx, userId, now));
}
