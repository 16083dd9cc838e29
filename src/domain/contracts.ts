import { isCurrency } from './money.ts';

export const CONTRACT_STATUSES = ['pending', 'approved', 'changes_requested', 'rejected', 'signed'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The services that approve a contract (SPEC §1 stage 2: legal for documents, finance for taxes and payment). */
export const FUNCTIONS = ['legal', 'finance'] as const;
export type Fn = (typeof FUNCTIONS)[number];

export const DECISIONS = ['approved', 'changes_requested', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export const CONTRACT_KINDS = ['goods', 'services'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** The terms of one version of a contract (SPEC §2). */
export interface ContractTerms {
  subject: string;
  amountMinor: number;
  currency: string;
  netDays: number;
  /** Discount in basis points (1250 = 12.5 %): integer, like money. */
  discountBp: number;
  kind: ContractKind;
  settlement: string | null;
  delivery: string | null;
  afterSales: string | null;
  special: string | null;
}

export const LIMITS = { subject: 200, longText: 1000, netDaysMax: 365 } as const;

export type TermsField = keyof ContractTerms;

/** Checks that belong to the business, not to parsing: every problem, per field. */
/** What is wrong with one term, as a code; slack/reply.ts says it in the reader's language. */
export type TermsProblem =
  | { kind: 'subject-empty' }
  | { kind: 'subject-long'; max: number }
  | { kind: 'currency' }
  | { kind: 'amount' }
  | { kind: 'net-days'; max: number }
  | { kind: 'discount' }
  | { kind: 'long-text'; max: number };

export function checkTerms(t: ContractTerms): Partial<Record<TermsField, TermsProblem>> {
  const e: Partial<Record<TermsField, TermsProblem>> = {};
  if (t.subject.trim() === '') e.subject = { kind: 'subject-empty' };
  else if ([...t.subject].length > LIMITS.subject) e.subject = { kind: 'subject-long', max: LIMITS.subject };
  if (!isCurrency(t.currency)) e.currency = { kind: 'currency' };
  if (!Number.isSafeInteger(t.amountMinor) || t.amountMinor <= 0) e.amountMinor = { kind: 'amount' };
  if (!Number.isInteger(t.netDays) || t.netDays < 0 || t.netDays > LIMITS.netDaysMax) e.netDays = { kind: 'net-days', max: LIMITS.netDaysMax };
  if (!Number.isInteger(t.discountBp) || t.discountBp < 0 || t.discountBp > 10000) e.discountBp = { kind: 'discount' };
  for (const k of ['settlement', 'delivery', 'afterSales', 'special'] as const) {
    const v = t[k];
    if (v !== null && [...v].length > LIMITS.longText) e[k] = { kind: 'long-text', max: LIMITS.longText };
  }
  return e;
}

export interface ApprovalState {
  fn: Fn;
  decision: Decision | null;
  decidedBy: string | null;
}

/** A version's status from its two approvals: both approve → approved; one rejection → rejected; a change request → back to sales. */
export function statusFromApprovals(approvals: readonly ApprovalState[]): ContractStatus {
  if (approvals.some((a) => a.decision === 'rejected')) return 'rejected';
  if (approvals.some((a) => a.decision === 'changes_requested')) return 'changes_requested';
  if (FUNCTIONS.every((fn) => approvals.some((a) => a.fn === fn && a.decision === 'approved'))) return 'approved';
  return 'pending';
}

export type DecisionRefusal =
  | { kind: 'not-approver'; fn: Fn }
  | { kind: 'own-contract' }
  | { kind: 'stale-version'; clicked: number; current: number }
  | { kind: 'already-decided'; fn: Fn; decision: Decision; by: string; byActor: boolean }
  | { kind: 'not-pending'; status: ContractStatus }
  | { kind: 'reason-required' }
  | { kind: 'exceptions-unconfirmed'; missing: string[] };

export interface DecisionInput {
  contract: { status: ContractStatus; version: number; submittedBy: string };
  approvals: readonly ApprovalState[];
  fn: Fn;
  decision: Decision;
  actor: string;
  actorIsApprover: boolean;
  clickedVersion: number;
  comment: string | null;
  /** Keys of the version's loyalty exceptions, and those finance ticked to confirm them. */
  exceptions?: readonly string[];
  confirmed?: readonly string[] | null;
}

/** Who may decide what, checked against stored state, never against what a message showed. */
export function decide(i: DecisionInput): { ok: true; status: ContractStatus } | { ok: false; refusal: DecisionRefusal } {
  if (!i.actorIsApprover) return { ok: false, refusal: { kind: 'not-approver', fn: i.fn } };
  if (i.actor === i.contract.submittedBy) return { ok: false, refusal: { kind: 'own-contract' } };
  if (i.clickedVersion !== i.contract.version) return { ok: false, refusal: { kind: 'stale-version', clicked: i.clickedVersion, current: i.contract.version } };
  const mine = i.approvals.find((a) => a.fn === i.fn);
  if (mine?.decision && mine.decidedBy) return { ok: false, refusal: { kind: 'already-decided', fn: i.fn, decision: mine.decision, by: mine.decidedBy, byActor: mine.decidedBy === i.actor } };
  if (i.contract.status !== 'pending') return { ok: false, refusal: { kind: 'not-pending', status: i.contract.status } };
  if (i.decision !== 'approved' && (i.comment ?? '').trim() === '') return { ok: false, refusal: { kind: 'reason-required' } };
  // SPEC §3: a contract beyond the loyalty policy is approved by finance only with each exception confirmed.
  if (i.decision === 'approved' && i.fn === 'finance') {
    const missing = (i.exceptions ?? []).filter((e) => !(i.confirmed ?? []).includes(e));
    if (missing.length > 0) return { ok: false, refusal: { kind: 'exceptions-unconfirmed', missing } };
  }
  const after = i.approvals.map((a) => (a.fn === i.fn ? { ...a, decision: i.decision, decidedBy: i.actor } : a));
  return { ok: true, status: statusFromApprovals(after) };
}

export type EditRefusal = { kind: 'not-editable'; status: ContractStatus };

/** A new version may follow a change request, or replace a version still waiting for decisions. */
export function canResubmit(status: ContractStatus): { ok: true } | { ok: false; refusal: EditRefusal } {
  return status === 'changes_requested' || status === 'pending' ? { ok: true } : { ok: false, refusal: { kind: 'not-editable', status } };
}

export type SignRefusal = { kind: 'not-approved'; status: ContractStatus; missing: Fn[] };

export function canSign(status: ContractStatus, approvals: readonly ApprovalState[]): { ok: true } | { ok: false; refusal: SignRefusal } {
  if (status === 'approved') return { ok: true };
  const missing = FUNCTIONS.filter((fn) => !approvals.some((a) => a.fn === fn && a.decision === 'approved'));
  return { ok: false, refusal: { kind: 'not-approved', status, missing } };
}
