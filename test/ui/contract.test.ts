import { describe, expect, it } from 'vitest';
import type { LoyaltyException } from '../../src/domain/loyalty.ts';
import { ACTION, BLOCK, parseDecision } from '../../src/slack/ids.ts';
import { approvalRequest, contractSubmitted, submitterNotice, versionReply } from '../../src/slack/ui/messages/contract.ts';
import { blockKitProblems, buttons, readable } from '../helpers/harness.ts';
import { AT, approvalRow, blockById, snapshot, versionRow } from '../helpers/rows.ts';

const F = { tz: 'Europe/Sofia' };
const EXCEPTIONS: LoyaltyException[] = [
  { kind: 'discount', askedBp: 750, maxBp: 500 },
  { kind: 'credit-limit', exposureMinor: 6_000_000, limitMinor: 5_000_000, currency: 'EUR' },
  { kind: 'prepayment' },
];

describe('approval request', () => {
  it('has Approve, Request changes and Reject, each carrying the contract, version and function', () => {
    const s = snapshot({ contract: { id: 42, version: 3 }, terms: { version: 3 } });
    for (const fn of ['legal', 'finance'] as const) {
      const m = approvalRequest(s, fn, F);
      const actions = blockById(m.blocks, BLOCK.decisionActions);
      expect(actions.type).toBe('actions');
      const bs = buttons(m);
      expect(bs.map((b) => [b.action_id, b.text])).toEqual([
        [ACTION.approve, 'Approve'],
        [ACTION.requestChanges, 'Request changes'],
        [ACTION.reject, 'Reject'],
      ]);
      for (const b of bs) expect(parseDecision(b.value)).toEqual({ contractId: 42, version: 3, fn });
    }
  });

  it('shows the terms and who submitted, and stays within Block Kit’s limits', () => {
    const m = approvalRequest(snapshot({ terms: { discountBp: 1250, netDays: 45, special: 'z'.repeat(1000), settlement: 's'.repeat(1000), delivery: 'd'.repeat(1000) } }), 'legal', F);
    const text = readable(m);
    expect(text).toContain('*Amount:* €12,500.00  ·  *Payment terms:* net 45 days  ·  *Discount:* 12.5 %  ·  *Kind:* goods');
    expect(text).toContain('*Submitted by* <@U0SELLER> on 2026-11-24 10:00');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('drops the buttons once this function has decided, and shows the decision for both', () => {
    const s = snapshot({ approvals: [approvalRow({ fn: 'finance' }), approvalRow({ fn: 'legal', decision: 'approved', decidedBy: 'U0LEGAL', decidedAt: AT })] });
    const legal = approvalRequest(s, 'legal', F);
    expect(legal.blocks.some((b) => b.block_id === BLOCK.decisionActions)).toBe(false);
    expect(readable(legal)).toContain('*Status:* :hourglass_flowing_sand: waiting for the other approval');
    // Finance still has to decide: its message keeps the buttons.
    expect(buttons(approvalRequest(s, 'finance', F))).toHaveLength(3);
  });

  it('drops the buttons for both functions once the contract is decided', () => {
    const s = snapshot({ contract: { status: 'rejected' }, approvals: [approvalRow({ fn: 'finance' }), approvalRow({ fn: 'legal', decision: 'rejected', decidedBy: 'U0LEGAL', decidedAt: AT, comment: 'no' })] });
    for (const fn of ['legal', 'finance'] as const) {
      expect(buttons(approvalRequest(s, fn, F))).toEqual([]);
      expect(readable(approvalRequest(s, fn, F))).toContain('*Status:* :x: rejected');
    }
  });

  it('lists the loyalty exceptions for finance to confirm, not for legal; prepayment for both', () => {
    const s = snapshot({ terms: { exceptions: EXCEPTIONS } });
    const finance = readable(approvalRequest(s, 'finance', F));
    expect(finance).toContain('*Beyond the loyalty policy*');
    expect(finance).toContain("• discount 7.5 % is above the segment's 5 %");
    expect(finance).toContain('• exposure €60,000.00 (open invoices plus this contract) is above the credit limit €50,000.00');
    expect(finance).toContain('*Prepayment required*');
    const legal = readable(approvalRequest(s, 'legal', F));
    expect(legal).not.toContain('Beyond the loyalty policy');
    expect(legal).toContain('*Prepayment required*');
  });
});

describe('what the submitter hears', () => {
  it('a change request comes with an Edit button for that contract', () => {
    const s = snapshot({ contract: { status: 'changes_requested' }, approvals: [approvalRow({ fn: 'finance', decision: 'changes_requested', decidedBy: 'U0FINANCE', decidedAt: AT, comment: 'net 15' }), approvalRow({ fn: 'legal' })] });
    const m = submitterNotice(s, 'finance', 'changes_requested', 'U0FINANCE', 'net 15\nplease', F);
    expect(buttons(m)).toEqual([{ action_id: ACTION.contractEdit, value: '42', text: 'Edit contract' }]);
    expect(readable(m)).toContain('>net 15\n>please');
  });

  it('an approval or rejection has no Edit button; approved by both offers Sign, a rejection a new contract', () => {
    const approved = buttons(submitterNotice(snapshot({ contract: { status: 'approved' } }), 'legal', 'approved', 'U0LEGAL', null, F)).map((b) => b.action_id);
    expect(approved).toEqual([ACTION.contractSign]);
    const rejected = buttons(submitterNotice(snapshot({ contract: { status: 'rejected' } }), 'legal', 'rejected', 'U0LEGAL', 'no', F)).map((b) => b.action_id);
    expect(rejected).not.toContain(ACTION.contractEdit);
  });

  it('the submission receipt names the exceptions for finance', () => {
    const text = readable(contractSubmitted(snapshot({ terms: { exceptions: EXCEPTIONS } }), F, false));
    expect(text).toContain(":warning: Beyond the loyalty policy, for finance to confirm: discount 7.5 % is above the segment's 5 %; exposure");
    expect(text).toContain("The client's segment requires prepayment.");
  });
});

describe('a new version', () => {
  it('lists only the terms that changed, old → new', () => {
    const previous = versionRow({ version: 1, netDays: 30, amountMinor: 1_250_000 });
    const s = snapshot({ contract: { version: 2 }, terms: { version: 2, netDays: 15, amountMinor: 1_250_000, special: 'weekend delivery' } });
    const text = readable(versionReply(s, previous, 'U0SELLER'));
    expect(text).toContain('submitted *version 2* of contract #42. Both approvals start again.');
    expect(text).toContain('• payment terms: net 30 days → net 15 days');
    expect(text).toContain('• special conditions: – → weekend delivery');
    expect(text).not.toContain('• amount');
    expect(readable(versionReply(snapshot(), versionRow(), 'U0SELLER'))).toContain('_No terms changed._');
  });
});
