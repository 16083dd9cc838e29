/** Deal stages, in pipeline order (SPEC §2). `lost` sits outside the order. */
export const STAGES = ['lead', 'qualified', 'proposal', 'contract', 'delivery', 'payment', 'won', 'lost'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages a person may move a deal into by hand. The rest follow the paperwork:
 * `contract` when a contract is drafted, `delivery` when it is signed, `payment` when its
 * invoice is issued, `won` when that is paid in full (SPEC §2). */
export const MANUAL_STAGES = ['lead', 'qualified', 'proposal'] as const satisfies readonly Stage[];

/** Stages from which a deal may be marked lost (SPEC §2: any stage before `delivery`). */
export const LOSABLE_STAGES = ['lead', 'qualified', 'proposal', 'contract'] as const satisfies readonly Stage[];

export const CLOSED_STAGES = ['won', 'lost'] as const satisfies readonly Stage[];

export const SEGMENTS = ['A', 'B', 'C'] as const;
export type Segment = (typeof SEGMENTS)[number];

export function isStage(s: string): s is Stage {
  return (STAGES as readonly string[]).includes(s);
}

export function isOpen(stage: Stage): boolean {
  return !(CLOSED_STAGES as readonly Stage[]).includes(stage);
}

/** Pipeline position; `lost` ranks below everything so it is never "most advanced". */
export function stageRank(stage: Stage): number {
  return stage === 'lost' ? -1 : STAGES.indexOf(stage);
}

/** The next stage in the pipeline, or undefined at the end or for `lost`. */
export function nextStage(stage: Stage): Stage | undefined {
  if (stage === 'lost' || stage === 'won') return undefined;
  return STAGES[STAGES.indexOf(stage) + 1];
}

export type MoveRefusal =
  | { kind: 'same-stage'; stage: Stage }
  | { kind: 'automatic-stage'; to: Stage }
  | { kind: 'locked-stage'; from: Stage }
  | { kind: 'use-lost-command' };

export type MoveDecision =
  | { ok: true; from: Stage | null; to: Stage; newDeal: boolean }
  | { ok: false; refusal: MoveRefusal };

/**
 * Decide a hand-made stage move of a client's current deal.
 * `current` is the stage of the client's most advanced open deal, or null when every deal is
 * closed (won or lost): then a move into a manual stage opens a new deal.
 */
export function decideMove(current: Stage | null, to: Stage): MoveDecision {
  if (to === 'lost') return { ok: false, refusal: { kind: 'use-lost-command' } };
  if (!(MANUAL_STAGES as readonly Stage[]).includes(to)) return { ok: false, refusal: { kind: 'automatic-stage', to } };
  if (current === null) return { ok: true, from: null, to, newDeal: true };
  if (current === to) return { ok: false, refusal: { kind: 'same-stage', stage: to } };
  // Once a contract exists the deal's stage belongs to the paperwork; moving it back by hand
  // would leave a contract, invoice or delivery behind a deal that no longer shows them.
  if (!(MANUAL_STAGES as readonly Stage[]).includes(current)) return { ok: false, refusal: { kind: 'locked-stage', from: current } };
  return { ok: true, from: current, to, newDeal: false };
}

export type LostRefusal =
  | { kind: 'no-open-deal' }
  | { kind: 'too-late'; from: Stage }
  | { kind: 'reason-required' };

export type LostDecision = { ok: true; from: Stage; reason: string } | { ok: false; refusal: LostRefusal };

export const MAX_REASON_LENGTH = 500;

export function decideLost(current: Stage | null, reason: string): LostDecision {
  const r = reason.trim();
  if (current === null) return { ok: false, refusal: { kind: 'no-open-deal' } };
  if (!(LOSABLE_STAGES as readonly Stage[]).includes(current)) return { ok: false, refusal: { kind: 'too-late', from: current } };
  if (r.length === 0) return { ok: false, refusal: { kind: 'reason-required' } };
  return { ok: true, from: current, reason: r };
}

/** The stage a client shows: that of its most advanced open deal, else of its latest deal. */
export function clientStage(deals: readonly { stage: Stage; id: number }[]): Stage | null {
  if (deals.length === 0) return null;
  const open = deals.filter((d) => isOpen(d.stage));
  if (open.length > 0) return open.reduce((a, b) => (stageRank(b.stage) > stageRank(a.stage) ? b : a)).stage;
  return deals.reduce((a, b) => (b.id > a.id ? b : a)).stage;
}
