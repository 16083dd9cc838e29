import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractTerms } from '../../src/domain/contracts.ts';
import { addClient, showClient } from '../../src/services/clients.ts';
import { decideContract, resubmitContract, showContract, signContract, submitContract, type DecisionRequest } from '../../src/services/contracts.ts';
import { messageKey } from '../../src/domain/outbox.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { CHANNELS, USERS } from '../helpers/harness.ts';

let w: ServiceWorld;
beforeEach(async () => {
  // Tuesday 2026-11-24, 10:00 in Sofia.
  w = serviceWorld({ at: '2026-11-24T08:00:00Z' });
  value(await addClient(w.ctx(USERS.seller), { name: 'Acme' }));
});
afterEach(() => w.close());

const TERMS: ContractTerms = { subject: 'Steel beams', amountMinor: 1_250_000, currency: 'EUR', netDays: 30, discountBp: 0, kind: 'goods', settlement: null, delivery: null, afterSales: null, special: null };

const stage = async () => value(await showClient(w.store, { name: 'Acme' }, '2026-11-24', w.config.policy)).stage;
const submit = async (terms: Partial<ContractTerms> = {}) => value(await submitContract(w.ctx(USERS.seller), { name: 'Acme' }, { ...TERMS, ...terms }));

function decision(id: number, over: Partial<DecisionRequest> & Pick<DecisionRequest, 'fn'>): DecisionRequest {
  return { contractId: id, version: 1, decision: 'approved', comment: null, actorIsApprover: true, ...over };
}
const approver = { legal: USERS.legal, finance: USERS.finance } as const;
const decide = (id: number, over: Partial<DecisionRequest> & Pick<DecisionRequest, 'fn'>, actor: string = approver[over.fn]) => decideContract(w.ctx(actor), decision(id, over));

describe('contracts service on a migrated database', () => {
  it('submits version 1 for both approvals, with working-hour deadlines, and moves the deal to contract', async () => {
    const s = await submit();
    expect(s.contract).toMatchObject({ version: 1, status: 'pending', submittedBy: USERS.seller });
    expect(s.terms).toMatchObject({ subject: 'Steel beams', amountMinor: 1_250_000, currency: 'EUR', netDays: 30 });
    // 24 working hours from Tuesday 10:00, 9–17 Monday to Friday: Friday 10:00 in Sofia.
    const due = Date.parse('2026-11-27T08:00:00Z');
    expect(s.approvals.map((a) => [a.fn, a.decision, a.dueAt])).toEqual([
      ['finance', null, due],
      ['legal', null, due],
    ]);
    const detail = value(await showContract(w.store, s.contract.id));
    expect(detail.versions).toHaveLength(1);
    expect(await stage()).toBe('contract');
    expect(value(await showClient(w.store, { name: 'Acme' }, '2026-11-24', w.config.policy)).current).toMatchObject({ valueMinor: 1_250_000, currency: 'EUR' });
    expect(w.notices.filter((n) => n.kind === 'approval-requested')).toHaveLength(1);
    const roots = (await w.outbox()).filter((r) => r.op === 'post' && r.messageKey !== null);
    expect(roots.map((r) => [r.channel, r.messageKey])).toEqual([
      [CHANNELS.legal, messageKey.approvalRequest(s.contract.id, 'legal')],
      [CHANNELS.finance, messageKey.approvalRequest(s.contract.id, 'finance')],
    ]);
  });

  it('records the loyalty exceptions of a C client: prepayment, and the terms beyond the segment', async () => {
    const s = await submit({ discountBp: 500, netDays: 60, amountMinor: 2_500_000 });
    expect(s.terms.exceptions.map((e) => e.kind)).toEqual(['discount', 'net-days', 'credit-limit', 'prepayment']);
  });

  it('refuses a second contract while one is in play, naming it', async () => {
    const s = await submit();
    expect(await submitContract(w.ctx(USERS.seller), { name: 'Acme' }, TERMS)).toEqual({ ok: false, refusal: { kind: 'contract-exists', client: 'Acme', contractId: s.contract.id, status: 'pending' } });
  });

  it('refuses terms that break the business rules, with every field named, and writes nothing', async () => {
    const r = await submitContract(w.ctx(USERS.seller), { name: 'Acme' }, { ...TERMS, amountMinor: 0, netDays: 400 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.refusal.kind === 'bad-terms' && Object.keys(r.refusal.errors).sort()).toEqual(['amountMinor', 'netDays']);
    expect((await w.outbox()).filter((o) => o.op !== 'home')).toEqual([]);
  });

  it('never lets the submitter decide their own contract, even when they are an approver', async () => {
    const s = await submit();
    const r = await decide(s.contract.id, { fn: 'legal' }, USERS.seller);
    expect(r).toEqual({ ok: false, refusal: { kind: 'decision', contractId: s.contract.id, refusal: { kind: 'own-contract' } } });
    expect(value(await showContract(w.store, s.contract.id)).approvals.every((a) => a.decision === null)).toBe(true);
  });

  it('refuses someone who is not an approver of the function', async () => {
    const s = await submit();
    expect(await decide(s.contract.id, { fn: 'finance', actorIsApprover: false }, USERS.seller2)).toMatchObject({ ok: false, refusal: { refusal: { kind: 'not-approver', fn: 'finance' } } });
  });

  it('takes each function’s decision exactly once: a second click, by anyone, is refused with the first', async () => {
    const s = await submit();
    expect(value(await decide(s.contract.id, { fn: 'legal' })).status).toBe('pending');
    w.clock.advance(5_000);
    const again = await decide(s.contract.id, { fn: 'legal', decision: 'rejected', comment: 'changed my mind' }, 'U0LEGAL2');
    expect(again).toEqual({ ok: false, refusal: { kind: 'decision', contractId: s.contract.id, refusal: { kind: 'already-decided', fn: 'legal', decision: 'approved', by: USERS.legal, byActor: false } } });
    const legal = value(await showContract(w.store, s.contract.id)).approvals.find((a) => a.fn === 'legal')!;
    expect(legal).toMatchObject({ decision: 'approved', decidedBy: USERS.legal });
    expect(w.notices.filter((n) => n.kind === 'decided')).toHaveLength(1);
  });

  it('is approved once both functions approve, and then signs into delivery', async () => {
    const s = await submit();
    value(await decide(s.contract.id, { fn: 'legal' }));
    const both = value(await decide(s.contract.id, { fn: 'finance' }));
    expect(both.status).toBe('approved');
    expect(both.snap.contract.status).toBe('approved');
    const decided = w.notices.filter((n) => n.kind === 'decided');
    expect(decided.map((n) => n.kind === 'decided' && n.statusChanged)).toEqual([false, true]);
    const signed = value(await signContract(w.ctx(USERS.seller), s.contract.id, false));
    expect(signed.contract).toMatchObject({ status: 'signed', signedBy: USERS.seller });
    expect(await stage()).toBe('delivery');
  });

  it('will not sign before both approvals, naming what is missing', async () => {
    const s = await submit();
    value(await decide(s.contract.id, { fn: 'legal' }));
    expect(await signContract(w.ctx(USERS.seller), s.contract.id, false)).toEqual({ ok: false, refusal: { kind: 'not-signable', id: s.contract.id, status: 'pending', missing: ['finance'] } });
  });

  it('asks finance to confirm each exception before it approves beyond the loyalty policy', async () => {
    const s = await submit({ discountBp: 500 });
    expect(await decide(s.contract.id, { fn: 'finance' })).toMatchObject({ ok: false, refusal: { refusal: { kind: 'exceptions-unconfirmed', missing: ['discount'] } } });
    value(await decide(s.contract.id, { fn: 'finance', confirmed: ['discount'] }));
    expect(value(await showContract(w.store, s.contract.id)).approvals.find((a) => a.fn === 'finance')?.confirmed).toEqual(['discount']);
  });

  it('a change request sends it back; the new version resets both approvals and is decided afresh', async () => {
    const s = await submit();
    value(await decide(s.contract.id, { fn: 'legal' }));
    const back = value(await decide(s.contract.id, { fn: 'finance', decision: 'changes_requested', comment: 'net 15 please' }));
    expect(back.status).toBe('changes_requested');
    w.clock.advance(3_600_000);
    const v2 = value(await resubmitContract(w.ctx(USERS.seller), s.contract.id, 1, { ...TERMS, netDays: 15 }, false));
    expect(v2.contract).toMatchObject({ version: 2, status: 'pending' });
    expect(v2.terms.netDays).toBe(15);
    expect(v2.approvals.map((a) => [a.fn, a.version, a.decision, a.decidedBy])).toEqual([
      ['finance', 2, null, null],
      ['legal', 2, null, null],
    ]);
    // A click on version 1's message changes nothing; version 2 needs legal again.
    expect(await decide(s.contract.id, { fn: 'legal', version: 1 })).toMatchObject({ ok: false, refusal: { refusal: { kind: 'stale-version', clicked: 1, current: 2 } } });
    value(await decide(s.contract.id, { fn: 'finance', version: 2 }));
    expect(value(await showContract(w.store, s.contract.id)).snap.contract.status).toBe('pending');
    expect(value(await decide(s.contract.id, { fn: 'legal', version: 2 })).status).toBe('approved');
    const all = value(await showContract(w.store, s.contract.id)).approvals;
    expect(all.filter((a) => a.version === 1).map((a) => a.decision)).toEqual(['changes_requested', 'approved']);
  });

  it('refuses a resubmission from a form opened on an older version, and by someone else', async () => {
    const s = await submit();
    value(await resubmitContract(w.ctx(USERS.seller), s.contract.id, 1, { ...TERMS, amountMinor: 1_300_000 }, false));
    expect(await resubmitContract(w.ctx(USERS.seller), s.contract.id, 1, TERMS, false)).toEqual({ ok: false, refusal: { kind: 'version-moved', id: s.contract.id, version: 2 } });
    expect(await resubmitContract(w.ctx(USERS.seller2), s.contract.id, 2, TERMS, false)).toEqual({ ok: false, refusal: { kind: 'not-your-contract', id: s.contract.id, submittedBy: USERS.seller } });
  });

  it('refuses a new version of a rejected contract', async () => {
    const s = await submit();
    value(await decide(s.contract.id, { fn: 'legal', decision: 'rejected', comment: 'no' }));
    expect(await resubmitContract(w.ctx(USERS.seller), s.contract.id, 1, TERMS, false)).toEqual({ ok: false, refusal: { kind: 'not-editable', id: s.contract.id, status: 'rejected' } });
  });
});
