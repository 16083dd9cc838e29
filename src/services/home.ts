import type { Fn } from '../domain/contracts.ts';
import { localDate } from '../domain/dates.ts';
import { clientsByStage, markHomeOpened, overdueOf, pendingApprovalsFor, type OverdueLine, type PendingApproval, type StageLine } from '../repos/home.ts';
import type { Db } from '../repos/db.ts';

export interface HomeData {
  userId: string;
  today: string;
  stages: StageLine[];
  approvals: PendingApproval[];
  overdue: OverdueLine[];
  fns: Fn[];
}

/** A person's dashboard: their clients by stage, what waits for their decision, their overdue invoices. */
export function homeData(db: Db, userId: string, fns: Fn[], now: number, tz: string): HomeData {
  const today = localDate(now, tz);
  return { userId, today, stages: clientsByStage(db, userId), approvals: pendingApprovalsFor(db, fns, userId), overdue: overdueOf(db, userId, today), fns };
}

/** The person opened their Home tab: from now on it is republished when their data changes. */
export function homeOpened(db: Db, userId: string, now: number): void {
  markHomeOpened(db, userId, now);
}
