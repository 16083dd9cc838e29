/**
 * Each client's deals, as far down the funnel as they got. A customer has its first deal won
 * (with the signed framework contract behind it), perhaps an earlier lost attempt at repeat
 * business and perhaps a deal in progress now; a prospect has one deal, often lost when it
 * stalled.
 */
import type { Stage } from '../domain/stages.ts';
import { DAY_MS } from './calendar.ts';
import type { Seeding } from './context.ts';
import { outcomeFor, termsFor, writeContract } from './contracts.ts';
import { dealValue, expectedOf, spread, startAt, timeline, valueOf, writeDeal } from './deals.ts';
import { int, pick, Weighted } from './rng.ts';
import { writeTasks } from './tasks.ts';
import { LOST_REASONS, STAGE_ORDER } from './vocabulary.ts';

/** Where an open deal of a customer stands now. */
const OPEN_TARGET = {
  withContracts: new Weighted<Stage>([['lead', 22], ['qualified', 22], ['proposal', 24], ['contract', 16], ['delivery', 8], ['payment', 8]]),
  beforeContracts: new Weighted<Stage>([['lead', 30], ['qualified', 35], ['proposal', 35]]),
};

/** The deals of client `c`, added at `createdAt`. */
export function writeHistory(s: Seeding, c: number, createdAt: number): void {
  if (!s.people.cCustomer[c]) return prospectDeal(s, c, createdAt);
  let from = firstDeal(s, c, createdAt);
  if (from < -30 && s.rD() < 0.12) from = lostAttempt(s, c, from);
  if (from < -3 && s.rD() < 0.3) openDeal(s, c, from);
}

/** The first deal: lead on the day the client was added, won on `since`. Returns the day repeat business may start. */
function firstDeal(s: Seeding, c: number, createdAt: number): number {
  const { people } = s;
  const since = people.cSince[c]!;
  const days = [people.cCreated[c]!, ...spread(s, people.cCreated[c]! + 1, since, 5), since];
  const path = startAt(s, timeline(s, c, STAGE_ORDER, days), createdAt);
  const value = dealValue(s, c, 0.8);
  const deal = writeDeal(s, c, people.names[c]!, path, {}, value, expectedOf(s, people.cCreated[c]!, false, since));
  if (s.withContracts) s.frameworkContract[c] = writeContract(s, c, deal, value.minor, 'signed', path[3]!.at, path[4]!.at).id;
  return since + 20;
}

/** An earlier attempt at repeat business, lost. Returns the day the next may start. */
function lostAttempt(s: Seeding, c: number, from: number): number {
  const { rD } = s;
  const start = int(rD, from, -25);
  const stages = STAGE_ORDER.slice(0, int(rD, 1, 3));
  const d = [start, ...spread(s, start + 1, Math.min(start + 40, -2), stages.length - 1)];
  const p = timeline(s, c, stages, d);
  const lostDay = Math.min(-1, d[d.length - 1]! + int(rD, 3, 20));
  const lostAt = Math.max(s.cal.at(lostDay, rD), p[p.length - 1]!.at + 60_000);
  writeDeal(s, c, termsFor(s, c, 1).subject, p, { lost: { at: lostAt, reason: pick(rD, LOST_REASONS) } }, valueOf(s, c, stages[stages.length - 1]!), expectedOf(s, start, false, lostDay));
  return lostDay + 5;
}

/** A deal in progress now; at `payment` it owns the client's last invoice. */
function openDeal(s: Seeding, c: number, from: number): void {
  const { rD } = s;
  let target = (s.mode === 'all' ? OPEN_TARGET.withContracts : OPEN_TARGET.beforeContracts).pick(rD);
  const last = s.plan.lastInvoice[c]!;
  const lastDay = last >= 0 ? s.plan.invDay[s.plan.order[last]!]! : -9999;
  if (target === 'payment' && (last < 0 || lastDay < from + 25)) target = 'delivery';
  const n = STAGE_ORDER.indexOf(target) + 1;
  const stages = STAGE_ORDER.slice(0, n);
  let d: number[];
  if (target === 'payment') {
    const start = int(rD, from, lastDay - 20);
    d = [start, ...spread(s, start + 1, lastDay - 1, n - 2), lastDay];
  } else {
    const start = int(rD, from, -2);
    d = [start, ...spread(s, start + 1, Math.min(-1, start + 15 * n), n - 1)];
  }
  const p = timeline(s, c, stages, d);
  const value = valueOf(s, c, target);
  const dealNo = writeDeal(s, c, termsFor(s, c, 1).subject, p, {}, value, expectedOf(s, d[0]!, true, 0));
  if (!s.withContracts || n < 4) return;
  const amount = value!.minor;
  if (target === 'contract') {
    writeContract(s, c, dealNo, amount, outcomeFor(s, p[3]!.at), p[3]!.at, null);
    return;
  }
  const k = writeContract(s, c, dealNo, amount, 'signed', p[3]!.at, p[4]!.at);
  const payAt = target === 'payment' ? p[5]!.at : null;
  writeTasks(s, c, k.id, k.kind, d[4]!, target === 'payment', payAt);
  if (target === 'payment') s.paymentLinks.set(last, { dealId: dealNo, contractId: k.id, part: rD() < 0.25, at: p[5]!.at });
}

/** A prospect: one deal, as far down the funnel as it got; stalled deals are often lost. */
function prospectDeal(s: Seeding, c: number, createdAt: number): void {
  const { rD } = s;
  const created = s.people.cCreated[c]!;
  const days = funnelDays(s, created);
  const day = days[days.length - 1]!;
  const stages = STAGE_ORDER.slice(0, days.length);
  const path = startAt(s, timeline(s, c, stages, days), createdAt);
  const idle = -day;
  const stage = stages[stages.length - 1]!;
  const outcome = stage === 'contract' ? outcomeFor(s, path[3]!.at) : undefined;
  // A deal whose contract is still in play is not lost; one whose contract was rejected often is.
  const lose = stage === 'contract' ? outcome === 'rejected' && rD() < 0.6 : rD() < (idle > 45 ? 0.7 : 0.15);
  let lost: { at: number; reason: string } | undefined;
  if (lose && idle > 1) {
    const lostDay = Math.min(-1, day + int(rD, 2, Math.max(2, Math.min(idle - 1, 40))));
    lost = {
      at: Math.max(s.cal.at(lostDay, rD), path[path.length - 1]!.at + 60_000),
      reason: outcome === 'rejected' ? 'contract rejected' : pick(rD, LOST_REASONS),
    };
  }
  const value = valueOf(s, c, stage);
  const deal = writeDeal(s, c, s.people.names[c]!, path, lost ? { lost } : {}, value, expectedOf(s, created, !lost, lost ? Math.floor(lost.at / DAY_MS) - s.cal.today : 0));
  if (s.withContracts && outcome) writeContract(s, c, deal, value!.minor, outcome, path[3]!.at, null);
}

/** The days a prospect's deal entered each stage it reached, from `created`; the last is before today. */
function funnelDays(s: Seeding, created: number): number[] {
  const maxStage = s.mode === 'all' ? 3 : 2;
  const advance = [0.45, 0.5, 0.4];
  let day = created;
  const days = [created];
  while (days.length - 1 < maxStage && s.rD() < advance[days.length - 1]!) {
    const next = day + int(s.rD, 3, 25);
    if (next > -1) break;
    day = next;
    days.push(day);
  }
  return days;
}
