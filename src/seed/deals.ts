/** Deals: the row, its stage history and the audit of each step; the times and values they get. */
import { money, sizeFactor } from './clients.ts';
import { ownerOf, type Seeding } from './context.ts';
import { int } from './rng.ts';
import { CURRENCIES } from './vocabulary.ts';
import type { Stage } from '../domain/stages.ts';

export type Path = { stage: Stage; at: number; actor: string }[];
export type Value = { minor: number; currency: string };

/** Write a deal with its stage history (and the audit of each step). */
export function writeDeal(s: Seeding, c: number, title: string, path: Path, end: { lost?: { at: number; reason: string } }, value: Value | null, expectedClose: string | null): number {
  const { w } = s;
  const id = w.nextDeal();
  const clientId = w.clientId(c);
  const owner = ownerOf(s, c);
  const first = path[0]!;
  const last = end.lost ? end.lost.at : path[path.length - 1]!.at;
  const stage: Stage = end.lost ? 'lost' : path[path.length - 1]!.stage;
  w.st.deal.add(id, clientId, title, stage, value?.minor ?? null, value?.currency ?? null, expectedClose, owner, end.lost?.reason ?? null, first.at, last);
  w.counts.deals++;
  w.row();
  stageChange(s, id, null, first.stage, first.actor, null, first.at);
  w.audit(first.actor, 'deal', id, clientId, 'created', null, {
    id,
    clientId,
    title,
    stage: first.stage,
    valueMinor: null,
    currency: null,
    expectedClose: null,
    ownerId: owner,
    lostReason: null,
    createdAt: first.at,
    updatedAt: first.at,
  }, first.at);
  for (let i = 1; i < path.length; i++) {
    const p = path[i]!;
    stageChange(s, id, path[i - 1]!.stage, p.stage, p.actor, null, p.at);
    w.audit(p.actor, 'deal', id, clientId, 'stage-changed', { stage: path[i - 1]!.stage }, { stage: p.stage }, p.at);
  }
  if (end.lost) {
    const from = path[path.length - 1]!.stage;
    stageChange(s, id, from, 'lost', owner, end.lost.reason, end.lost.at);
    w.audit(owner, 'deal', id, clientId, 'lost', { stage: from }, { stage: 'lost', reason: end.lost.reason }, end.lost.at);
  }
  return id;
}

function stageChange(s: Seeding, deal: number, from: Stage | null, to: Stage, actor: string, reason: string | null, at: number): void {
  s.w.st.stage.add(deal, from, to, actor, reason, at);
  s.w.counts.stageChanges++;
  s.w.row();
}

/** Stage times: `stages` entered on the given days (non-decreasing), at increasing times. */
export function timeline(s: Seeding, c: number, stages: Stage[], days: number[]): Path {
  const owner = ownerOf(s, c);
  let prev = -Infinity;
  return stages.map((stage, i) => {
    let at = s.cal.at(days[i]!, s.rD);
    if (at <= prev) at = prev + int(s.rD, 60_000, 3_600_000);
    prev = at;
    return { stage, at, actor: stage === 'payment' || stage === 'won' ? s.finance : owner };
  });
}

/** The client's first deal starts when the client was added; the later steps stay after it. */
export function startAt(s: Seeding, path: Path, createdAt: number): Path {
  path[0]!.at = createdAt;
  for (let i = 1; i < path.length; i++) if (path[i]!.at <= path[i - 1]!.at) path[i]!.at = path[i - 1]!.at + int(s.rD, 60_000, 3_600_000);
  return path;
}

/** Spread `n` steps from `from` to `to` (days), each at least 0 apart, in order. */
export function spread(s: Seeding, from: number, to: number, n: number): number[] {
  const cuts = Array.from({ length: n }, () => s.rD()).sort((a, b) => a - b);
  return cuts.map((u) => from + Math.floor(u * (to - from)));
}

/** A deal's value in the client's currency. */
export const dealValue = (s: Seeding, c: number, sigma: number): Value => ({
  minor: money(s.rD, s.people, c, 8000 * sizeFactor(s.people, c), sigma),
  currency: CURRENCIES[s.people.cCur[c]!]!,
});

/** The value of a deal that got to `stage`: leads often have none yet. */
export const valueOf = (s: Seeding, c: number, stage: Stage): Value | null => (stage === 'lead' && s.rD() < 0.4 ? null : dealValue(s, c, 0.9));

/** Expected close: near the close of a closed deal; for an open one, some months after it started. */
export function expectedOf(s: Seeding, createdDay: number, open: boolean, closeDay: number): string {
  if (!open) return s.cal.date(closeDay + int(s.rD, -10, 10));
  let d = createdDay + int(s.rD, 30, 120);
  if (d < 0 && s.rD() < 0.7) d = int(s.rD, 5, 120);
  return s.cal.date(d);
}
