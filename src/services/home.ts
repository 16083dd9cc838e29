import type { Fn } from '../domain/contracts.ts';
import { localDate } from '../domain/dates.ts';
import { clientsByStage, dunningTodoOf, markHomeOpened, overdueOf, pendingApprovalsFor, type DunningTodo, type OverdueLine, type PendingApproval, type StageLine } from '../repos/home.ts';
import type { Store } from '../repos/store.ts';
import type { Policy } from '../policy.ts';
import { ownerRetention, type DueReviewItem, type QuietItem } from './retention.ts';

export interface HomeData {
  userId: string;
  today: string;
  stages: StageLine[];
  approvals: PendingApproval[];
  overdue: OverdueLine[];
  /** Dunning rungs sent to this person and not yet logged: the first HOME_DUNNING, and how many in all. */
  dunning?: { items: DunningTodo[]; total: number };
  fns: Fn[];
  /** SPEC §7: the person's client reviews due and clients quiet now (left out when not loaded). */
  reviewsDue?: DueReviewItem[];
  quiet?: QuietItem[];
}

/** Rungs with their buttons on App Home (a section and an actions block each, within Home's 100 blocks). */
export const HOME_DUNNING = 15;

/**
 * A person's dashboard: their clients by stage, what waits for their decision, their overdue
 * invoices, the dunning rungs they have still to act on, and (SPEC §7) their reviews due and
 * clients gone quiet, from their own clients only.
 */
export async function homeData(store: Store, userId: string, fns: Fn[], now: number, tz: string, policy: Policy): Promise<HomeData> {
  const today = localDate(now, tz);
  return store.read(async (tx) => ({
    userId,
    today,
    stages: await clientsByStage(tx, userId),
    approvals: await pendingApprovalsFor(tx, fns, userId),
    overdue: await overdueOf(tx, userId, today),
    dunning: await dunningTodoOf(tx, userId, HOME_DUNNING),
    fns,
    ...(await ownerRetention(tx, userId, today, policy, tz)),
  }));
}

/** The person opened their Home tab: from now on it is republished when their data changes. */
export async function homeOpened(store: Store, userId: string, now: number): Promise<void> {
  await store.write((tx) => markHomeOpened(tx, userId, now));
}
