import { daysBetween } from './dates.ts';

/** Who each rung of the ladder goes to. `legal` is the claim; the others are sales' steps. */
export const DUNNING_ACTIONS = ['remind-owner', 'call-client', 'tell-manager', 'escalate-legal'] as const;
export type DunningAction = (typeof DUNNING_ACTIONS)[number];

export const DUNNING_OUTCOMES = ['contacted', 'promised', 'no-answer'] as const;
export type DunningOutcome = (typeof DUNNING_OUTCOMES)[number];

export interface Rung {
  /** Days after the due date. */
  day: number;
  action: DunningAction;
}

export const DEFAULT_LADDER: Rung[] = [
  { day: 1, action: 'remind-owner' },
  { day: 7, action: 'call-client' },
  { day: 14, action: 'tell-manager' },
  { day: 30, action: 'escalate-legal' },
];

/** What has happened on one invoice's ladder so far. */
export interface LadderState {
  daysLate: number;
  today: string;
  /** Sales rungs sent, by index in the ladder, with the date sent and the date an outcome was logged. */
  sent: { rung: number; sentOn: string; loggedOn: string | null }[];
  /** The latest promise to pay, if any, and whether its breaking was already announced. */
  promise: { date: string; brokenNoticed: boolean } | null;
  /** A claim already offered to legal (and not sent back) for this invoice. */
  claimOffered: boolean;
  /** Sent back by legal: the gate needs a sales step logged after this date. */
  returnedOn: string | null;
}

export type LadderStep =
  | { kind: 'paused'; until: string }
  | { kind: 'promise-broken'; promised: string }
  | { kind: 'send'; rung: number; action: Exclude<DunningAction, 'escalate-legal'> }
  | { kind: 'offer-claim' }
  | { kind: 'wait' };

/**
 * The next thing to do on an overdue invoice's ladder (pure; one step per run so the ladder is
 * walked in order). A promise pauses it until its date; a broken promise resumes it and is
 * announced once. Sales rungs are sent in order and never skipped, even after downtime: the
 * earliest unsent rung whose day has come goes first, and no more than one rung a day (`today`
 * in the workspace's zone), however often the job runs that day. The claim is offered to legal only
 * when every sales rung was sent and each was logged or lapsed (no answer within `lapseDays`).
 */
export function nextLadderStep(ladder: Rung[], s: LadderState, lapseDays: number): LadderStep {
  if (s.promise && daysBetween(s.today, s.promise.date) >= 0) return { kind: 'paused', until: s.promise.date };
  if (s.promise && !s.promise.brokenNoticed) return { kind: 'promise-broken', promised: s.promise.date };
  const rungs = ladder.map((r, i) => ({ ...r, i })).sort((a, b) => a.day - b.day);
  const sales = rungs.filter((r) => r.action !== 'escalate-legal');
  const sentToday = s.sent.some((x) => x.sentOn === s.today);
  for (const r of sales) {
    if (s.sent.some((x) => x.rung === r.i)) continue;
    if (s.daysLate >= r.day && !sentToday) return { kind: 'send', rung: r.i, action: r.action as Exclude<DunningAction, 'escalate-legal'> };
    return { kind: 'wait' };
  }
  const legal = rungs.find((r) => r.action === 'escalate-legal');
  if (!legal || s.claimOffered || s.daysLate < legal.day) return { kind: 'wait' };
  const exhausted = sales.every((r) => {
    const x = s.sent.find((y) => y.rung === r.i);
    return x !== undefined && (x.loggedOn !== null || daysBetween(x.sentOn, s.today) >= lapseDays);
  });
  const workedSinceReturn = s.returnedOn === null || s.sent.some((x) => x.loggedOn !== null && daysBetween(s.returnedOn!, x.loggedOn) > 0);
  return exhausted && workedSinceReturn ? { kind: 'offer-claim' } : { kind: 'wait' };
}
