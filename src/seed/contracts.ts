/**
 * Contracts: the terms of each version, the finance and legal approvals of each version with
 * the audit of each decision, and the contract row with the status those decisions led to.
 */
import { DAY_MS } from './calendar.ts';
import { lineOf } from './clients.ts';
import { ownerOf, type Seeding } from './context.ts';
import { int, pick, Weighted } from './rng.ts';
import { AFTER_SALES, CHANGE_COMMENTS, CURRENCIES, DELIVERY, NETS, REJECT_COMMENTS, SETTLEMENT } from './vocabulary.ts';

export type ContractOutcome = 'signed' | 'approved' | 'pending' | 'changes_requested' | 'rejected' | 'pending-v2';
type InPlay = Exclude<ContractOutcome, 'signed'>;

interface Terms {
  subject: string;
  amountMinor: number;
  currency: string;
  netDays: number;
  kind: 'goods' | 'services';
  discountBp: number;
  settlement: string | null;
  delivery: string | null;
  afterSales: string | null;
  special: string | null;
}

type ApprovalOutcome = { decision: 'approved' | 'changes_requested' | 'rejected' | null; at: number; comment: string | null };
const NONE: ApprovalOutcome = { decision: null, at: 0, comment: null };

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Terms for one of the client's product lines (its subject also titles repeat deals). */
export function termsFor(s: Seeding, c: number, amountMinor: number): Terms {
  const { rD, people } = s;
  const line = lineOf(people, c, int(rD, 0, people.cLines[c]! - 1));
  const subject = line.kind === 'goods' ? `${cap(line.name)}, ${int(rD, 2, 120)} ${line.unit}` : `${cap(line.name)}, ${int(rD, 3, 24)} ${line.unit === 'days' ? 'days' : 'months'}`;
  return {
    subject,
    amountMinor,
    currency: CURRENCIES[people.cCur[c]!]!,
    netDays: NETS[people.cNet[c]!]!,
    kind: line.kind,
    discountBp: pick(rD, [0, 0, 0, 200, 500, 750, 1000]),
    settlement: pick(rD, SETTLEMENT),
    delivery: line.kind === 'goods' ? pick(rD, DELIVERY) : 'on site',
    afterSales: pick(rD, AFTER_SALES),
    special: rD() < 0.1 ? 'Prices fixed for 6 months.' : null,
  };
}

const contractOutcome = new Weighted<InPlay>([
  ['pending', 45], ['approved', 15], ['changes_requested', 15], ['rejected', 10], ['pending-v2', 15],
]);

/** Where a contract still in play stands: approvals are decided within days, so an old one is decided. */
export function outcomeFor(s: Seeding, submittedAt: number): InPlay {
  if (s.now - submittedAt <= 10 * DAY_MS) return contractOutcome.pick(s.rD);
  const u = s.rD();
  return u < 0.4 ? 'approved' : u < 0.75 ? 'changes_requested' : 'rejected';
}

function writeVersion(s: Seeding, cid: number, version: number, t: Terms, by: string, at: number): void {
  s.w.st.version.add(cid, version, t.subject, t.amountMinor, t.currency, t.netDays, t.discountBp, t.kind, t.settlement, t.delivery, t.afterSales, t.special, by, at);
  s.w.counts.versions++;
  s.w.row();
}

/** 24 working hours ≈ three working days later. */
function dueAfter(at: number): number {
  let d = at;
  for (let n = 0; n < 3; ) {
    d += DAY_MS;
    const dow = new Date(d).getUTCDay();
    if (dow !== 0 && dow !== 6) n++;
  }
  return d;
}

function writeApprovals(s: Seeding, cid: number, c: number, version: number, requestedAt: number, legalO: ApprovalOutcome, financeO: ApprovalOutcome, statusBefore: string): void {
  const { w, finance, legal } = s;
  const clientId = w.clientId(c);
  for (const [fn, o, who] of [['finance', financeO, finance], ['legal', legalO, legal]] as const) {
    w.st.approval.add(cid, version, fn, o.decision, o.decision ? who : null, o.decision ? o.at : null, o.comment, requestedAt, dueAfter(requestedAt));
    w.counts.approvals++;
    w.row();
  }
  // The decisions in time order, each with the status it led to.
  const decided = ([['legal', legalO, legal], ['finance', financeO, finance]] as const).filter(([, o]) => o.decision !== null).sort((a, b) => a[1].at - b[1].at);
  let status = statusBefore;
  let approvedCount = 0;
  for (const [fn, o, who] of decided) {
    const before = status;
    if (o.decision === 'rejected') status = 'rejected';
    else if (o.decision === 'changes_requested') status = status === 'rejected' ? status : 'changes_requested';
    else if (++approvedCount === 2 && status === 'pending') status = 'approved';
    w.audit(who, 'contract', cid, clientId, 'decided', { status: before }, { fn, decision: o.decision, version, comment: o.comment, status }, o.at);
  }
}

/** One contract being written: what its versions and approvals share. */
interface Draft {
  id: number;
  c: number;
  owner: string;
  clientId: number;
  t1: Terms;
  submittedAt: number;
  /** A decision time from `from`, within `share` of the span decisions fall in. */
  within: (from: number, share: number) => number;
}

/** Where the contract ended up after its approvals. */
interface Decided {
  version: number;
  status: string;
  updatedAt: number;
}

/**
 * A contract for a deal, submitted at `submittedAt` (when the deal entered `contract`) and,
 * for `signed`, signed at `signedAtIn` (when it entered `delivery`); decisions fall in between.
 */
export function writeContract(
  s: Seeding,
  c: number,
  deal: number,
  amountMinor: number,
  outcome: ContractOutcome,
  submittedAt: number,
  signedAtIn: number | null,
): { id: number; kind: 'goods' | 'services' } {
  const { w, rD } = s;
  const id = w.nextContract();
  const clientId = w.clientId(c);
  const owner = ownerOf(s, c);
  const t1 = termsFor(s, c, amountMinor);
  // Decisions happen after submission and before the signature (or before now).
  const limit = outcome === 'signed' && signedAtIn !== null ? signedAtIn - 60_000 : s.now - 60_000;
  const span = Math.max(60_000, Math.min(limit - submittedAt, 5 * DAY_MS));
  const within = (from: number, share: number) => Math.min(limit, from + Math.floor(rD() * share * span) + 30_000);
  const withV2 = outcome === 'pending-v2' || (outcome === 'signed' && limit - submittedAt > 2 * 3_600_000 && rD() < 0.15);
  const draft: Draft = { id, c, owner, clientId, t1, submittedAt, within };
  w.audit(owner, 'contract', id, clientId, 'submitted', null, { version: 1, ...t1 }, submittedAt);
  writeVersion(s, id, 1, t1, owner, submittedAt);
  let { version, status, updatedAt } = withV2 ? decideWithV2(s, draft, outcome === 'signed') : decideV1(s, draft, outcome);
  let signedAt: number | null = null;
  if (outcome === 'signed') {
    signedAt = Math.max(signedAtIn ?? updatedAt, updatedAt + 1000);
    w.audit(owner, 'contract', id, clientId, 'signed', { status: 'approved' }, { status: 'signed', version }, signedAt);
    status = 'signed';
    updatedAt = signedAt;
  }
  w.st.contract.add(id, deal, clientId, version, status, owner, submittedAt, updatedAt, signedAt !== null ? owner : null, signedAt);
  w.counts.contracts++;
  w.row();
  return { id, kind: t1.kind };
}

/**
 * v1: one function asked for changes, the other had approved or not yet decided; v2 then
 * approved by both (`signed`) or waiting, perhaps approved by one.
 */
function decideWithV2(s: Seeding, d: Draft, signed: boolean): Decided {
  const { rD, w } = s;
  const { id, c, owner, clientId, t1, submittedAt, within } = d;
  const asker = rD() < 0.5 ? 'legal' : 'finance';
  const askAt = within(submittedAt, 0.3);
  const ask: ApprovalOutcome = { decision: 'changes_requested', at: askAt, comment: pick(rD, CHANGE_COMMENTS) };
  const other: ApprovalOutcome = rD() < 0.5 ? { decision: 'approved', at: within(submittedAt, 0.3), comment: null } : NONE;
  writeApprovals(s, id, c, 1, submittedAt, asker === 'legal' ? ask : other, asker === 'legal' ? other : ask, 'pending');
  const t2 = { ...t1, netDays: Math.min(t1.netDays, 30), discountBp: Math.max(0, t1.discountBp - 200) };
  const v2At = within(Math.max(askAt, other.at), 0.3);
  w.audit(owner, 'contract', id, clientId, 'resubmitted', { version: 1, status: 'changes_requested' }, { version: 2, ...t2 }, v2At);
  writeVersion(s, id, 2, t2, owner, v2At);
  if (signed) {
    const a: ApprovalOutcome = { decision: 'approved', at: within(v2At, 0.3), comment: null };
    const b: ApprovalOutcome = { decision: 'approved', at: within(v2At, 0.3), comment: null };
    writeApprovals(s, id, c, 2, v2At, a, b, 'pending');
    return { version: 2, status: 'approved', updatedAt: Math.max(a.at, b.at) };
  }
  const maybe: ApprovalOutcome = rD() < 0.4 ? { decision: 'approved', at: within(v2At, 0.3), comment: null } : NONE;
  writeApprovals(s, id, c, 2, v2At, maybe, NONE, 'pending');
  return { version: 2, status: 'pending', updatedAt: Math.max(v2At, maybe.at) };
}

/** One version only, its approvals as the outcome says. */
function decideV1(s: Seeding, d: Draft, outcome: ContractOutcome): Decided {
  const { rD } = s;
  const { submittedAt, within } = d;
  let l: ApprovalOutcome = NONE;
  let f: ApprovalOutcome = NONE;
  let status: string;
  const approve = (): ApprovalOutcome => ({ decision: 'approved', at: within(submittedAt, 0.9), comment: null });
  switch (outcome) {
    case 'signed':
    case 'approved':
      l = approve();
      f = approve();
      status = 'approved';
      break;
    case 'pending': {
      const u = rD();
      if (u < 0.25) l = approve();
      else if (u < 0.5) f = approve();
      status = 'pending';
      break;
    }
    case 'changes_requested':
      if (rD() < 0.5) l = { decision: 'changes_requested', at: within(submittedAt, 0.9), comment: pick(rD, CHANGE_COMMENTS) };
      else f = { decision: 'changes_requested', at: within(submittedAt, 0.9), comment: pick(rD, CHANGE_COMMENTS) };
      status = 'changes_requested';
      break;
    default:
      if (rD() < 0.5) l = { decision: 'rejected', at: within(submittedAt, 0.9), comment: pick(rD, REJECT_COMMENTS) };
      else f = { decision: 'rejected', at: within(submittedAt, 0.9), comment: pick(rD, REJECT_COMMENTS) };
      status = 'rejected';
  }
  writeApprovals(s, d.id, d.c, 1, submittedAt, l, f, 'pending');
  return { version: 1, status, updatedAt: Math.max(submittedAt, l.at, f.at) };
}
