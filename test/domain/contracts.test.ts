import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canResubmit,
  canSign,
  checkTerms,
  CONTRACT_STATUSES,
  decide,
  DECISIONS,
  FUNCTIONS,
  statusFromApprovals,
  type ApprovalState,
  type ContractTerms,
  type Decision,
  type DecisionInput,
  type Fn,
} from '../../src/domain/contracts.ts';

const pending = (fn: Fn): ApprovalState => ({ fn, decision: null, decidedBy: null });
const decided = (fn: Fn, decision: Decision, by = `U0${fn.toUpperCase()}`): ApprovalState => ({ fn, decision, decidedBy: by });

/** A finance approval of a fresh v2 by a finance approver who did not submit it. */
function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    contract: { status: 'pending', version: 2, submittedBy: 'U0SELLER' },
    approvals: [pending('legal'), pending('finance')],
    fn: 'finance',
    decision: 'approved',
    actor: 'U0FINANCE',
    actorIsApprover: true,
    clickedVersion: 2,
    comment: null,
    ...over,
  };
}

describe('decide: who may decide what', () => {
  it('lets an approver of the function decide a pending version; the other still waits', () => {
    expect(decide(input())).toEqual({ ok: true, status: 'pending' });
  });

  it('approves the contract with the second approval, not the first', () => {
    expect(decide(input({ approvals: [decided('legal', 'approved'), pending('finance')] }))).toEqual({ ok: true, status: 'approved' });
    expect(decide(input({ fn: 'legal', actor: 'U0LEGAL', approvals: [pending('legal'), decided('finance', 'approved')] }))).toEqual({ ok: true, status: 'approved' });
  });

  it('rejects on one rejection and sends back on one change request, whatever the other said', () => {
    const legalApproved = [decided('legal', 'approved'), pending('finance')];
    expect(decide(input({ approvals: legalApproved, decision: 'rejected', comment: 'no' }))).toEqual({ ok: true, status: 'rejected' });
    expect(decide(input({ approvals: legalApproved, decision: 'changes_requested', comment: 'net 30' }))).toEqual({ ok: true, status: 'changes_requested' });
  });

  it('refuses someone who is not an approver of the function', () => {
    expect(decide(input({ actorIsApprover: false }))).toEqual({ ok: false, refusal: { kind: 'not-approver', fn: 'finance' } });
  });

  it('refuses the submitter, even when they are an approver', () => {
    expect(decide(input({ actor: 'U0SELLER' }))).toEqual({ ok: false, refusal: { kind: 'own-contract' } });
  });

  it('refuses a click on a message of an older version', () => {
    expect(decide(input({ clickedVersion: 1 }))).toEqual({ ok: false, refusal: { kind: 'stale-version', clicked: 1, current: 2 } });
  });

  it('lets each function decide exactly once, saying who decided first', () => {
    const r = decide(input({ actor: 'U0FINANCE2', approvals: [pending('legal'), decided('finance', 'approved', 'U0FINANCE')] }));
    expect(r).toEqual({ ok: false, refusal: { kind: 'already-decided', fn: 'finance', decision: 'approved', by: 'U0FINANCE', byActor: false } });
  });

  it('refuses a decision once the version is no longer pending', () => {
    for (const status of CONTRACT_STATUSES.filter((s) => s !== 'pending'))
      expect(decide(input({ contract: { status, version: 2, submittedBy: 'U0SELLER' } }))).toEqual({ ok: false, refusal: { kind: 'not-pending', status } });
  });

  it('needs a reason to reject or request changes, not to approve', () => {
    for (const decision of ['rejected', 'changes_requested'] as const)
      for (const comment of [null, '', '  \n '])
        expect(decide(input({ decision, comment }))).toEqual({ ok: false, refusal: { kind: 'reason-required' } });
    expect(decide(input({ comment: null })).ok).toBe(true);
  });

  it('approves beyond the loyalty policy only with every exception confirmed by finance', () => {
    const exceptions = ['discount', 'credit-limit'];
    expect(decide(input({ exceptions, confirmed: null }))).toEqual({ ok: false, refusal: { kind: 'exceptions-unconfirmed', missing: exceptions } });
    expect(decide(input({ exceptions, confirmed: ['discount'] }))).toEqual({ ok: false, refusal: { kind: 'exceptions-unconfirmed', missing: ['credit-limit'] } });
    expect(decide(input({ exceptions, confirmed: ['credit-limit', 'discount'] }))).toEqual({ ok: true, status: 'pending' });
  });

  it('leaves the exceptions to finance: legal approves, and anyone may reject, without confirming', () => {
    const exceptions = ['net-days'];
    expect(decide(input({ fn: 'legal', actor: 'U0LEGAL', exceptions })).ok).toBe(true);
    expect(decide(input({ exceptions, decision: 'rejected', comment: 'too long' })).ok).toBe(true);
  });

  it('says the first reason that applies: a non-approver never learns more', () => {
    const r = decide(input({ actorIsApprover: false, actor: 'U0SELLER', clickedVersion: 1, contract: { status: 'rejected', version: 2, submittedBy: 'U0SELLER' } }));
    expect(r).toEqual({ ok: false, refusal: { kind: 'not-approver', fn: 'finance' } });
  });

  it('agrees with statusFromApprovals for any decision on any pending pair', () => {
    const state = fc.constantFrom<Decision | null>(null, ...DECISIONS);
    fc.assert(
      fc.property(fc.constantFrom(...FUNCTIONS), fc.constantFrom(...DECISIONS), state, (fn, decision, other) => {
        const otherFn = FUNCTIONS.find((f) => f !== fn)!;
        const approvals = [pending(fn), other === null ? pending(otherFn) : decided(otherFn, other)];
        const r = decide(input({ fn, decision, approvals, actor: 'U0APPROVER', comment: 'because' }));
        expect(r).toEqual({ ok: true, status: statusFromApprovals([decided(fn, decision, 'U0APPROVER'), approvals[1]!]) });
      }),
    );
  });
});

describe('statusFromApprovals', () => {
  it('is pending until both approve', () => {
    expect(statusFromApprovals([pending('legal'), pending('finance')])).toBe('pending');
    expect(statusFromApprovals([decided('legal', 'approved'), pending('finance')])).toBe('pending');
    expect(statusFromApprovals([decided('legal', 'approved'), decided('finance', 'approved')])).toBe('approved');
  });

  it('puts a rejection above a change request', () => {
    expect(statusFromApprovals([decided('legal', 'changes_requested'), decided('finance', 'rejected')])).toBe('rejected');
  });
});

describe('resubmit and sign', () => {
  it('allows a new version after a change request or while pending, never after a final outcome', () => {
    expect(canResubmit('changes_requested')).toEqual({ ok: true });
    expect(canResubmit('pending')).toEqual({ ok: true });
    for (const status of ['approved', 'rejected', 'signed'] as const) expect(canResubmit(status)).toEqual({ ok: false, refusal: { kind: 'not-editable', status } });
  });

  it('signs only an approved contract and names the functions still missing', () => {
    expect(canSign('approved', [decided('legal', 'approved'), decided('finance', 'approved')])).toEqual({ ok: true });
    expect(canSign('pending', [decided('legal', 'approved'), pending('finance')])).toEqual({ ok: false, refusal: { kind: 'not-approved', status: 'pending', missing: ['finance'] } });
    expect(canSign('rejected', [decided('legal', 'rejected'), pending('finance')])).toEqual({ ok: false, refusal: { kind: 'not-approved', status: 'rejected', missing: ['legal', 'finance'] } });
  });
});

describe('checkTerms', () => {
  const good: ContractTerms = { subject: 'Steel beams', amountMinor: 1_250_000, currency: 'EUR', netDays: 30, discountBp: 500, kind: 'goods', settlement: null, delivery: null, afterSales: null, special: null };

  it('accepts sound terms', () => {
    expect(checkTerms(good)).toEqual({});
  });

  it('names every bad field at once', () => {
    const e = checkTerms({ ...good, subject: '  ', amountMinor: 0, currency: 'EURO', netDays: 366, discountBp: 10001, special: 'x'.repeat(1001) });
    expect(Object.keys(e).sort()).toEqual(['amountMinor', 'currency', 'discountBp', 'netDays', 'special', 'subject']);
  });

  it('counts characters, not UTF-16 units, against the subject limit', () => {
    expect(checkTerms({ ...good, subject: '😀'.repeat(200) })).toEqual({});
    expect(checkTerms({ ...good, subject: '😀'.repeat(201) }).subject).toBeDefined();
  });

  it('takes the edges of the ranges: net 0 and 365 days, 0 and 100 % discount', () => {
    for (const netDays of [0, 365]) for (const discountBp of [0, 10000]) expect(checkTerms({ ...good, netDays, discountBp })).toEqual({});
  });
});
