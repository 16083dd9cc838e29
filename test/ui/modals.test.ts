import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { BLOCK, INPUT, VIEW, parseDecision, parseDraftMeta, parseLostMeta, parseReasonMeta, parseRung } from '../../src/slack/ids.ts';
import { lostReasonModal } from '../../src/slack/ui/modals/client-lost.ts';
import { confirmExceptionsModal, contractModal, reasonModal } from '../../src/slack/ui/modals/contract.ts';
import { promiseModal } from '../../src/slack/ui/modals/promise.ts';
import { blockKitProblems } from '../helpers/harness.ts';
import { blockById } from '../helpers/rows.ts';

const B = BLOCK.contract;
type Input = { type: string; block_id?: string; optional?: boolean; element: { action_id: string; initial_value?: string; initial_option?: { value: string }; initial_date?: string; options?: { value: string }[] } };

/** A view that must be a modal (the builders' return type also admits a Home tab). */
function modal(v: types.View): types.ModalView {
  if (v.type !== 'modal') throw new Error(`expected a modal, got ${v.type}`);
  return v;
}

/** The input element of a view's block, by block_id. */
const element = (view: { blocks: unknown[] }, id: string) => (blockById(view.blocks as Input[], id) as Input).element;

describe('contract modal', () => {
  it('prefills the fields that were typed, in the currency’s own decimals', () => {
    const v = contractModal({ clientName: 'Acme Ltd', draft: { subject: 'Steel beams', amountMinor: 1_250_050, currency: 'EUR', netDays: 45, discountBp: 1250, kind: 'services' }, meta: {} });
    expect(v.callback_id).toBe(VIEW.contractDraft);
    expect(element(v, B.client).initial_value).toBe('Acme Ltd');
    expect(element(v, B.subject).initial_value).toBe('Steel beams');
    expect(element(v, B.amount).initial_value).toBe('12500.50');
    expect(element(v, B.currency).initial_value).toBe('EUR');
    expect(element(v, B.netDays).initial_value).toBe('45');
    expect(element(v, B.discount).initial_value).toBe('12.5');
    expect(element(v, B.kind).initial_option?.value).toBe('services');
    expect(element(v, B.amount).action_id).toBe(INPUT.value);
    expect(element(contractModal({ draft: { amountMinor: 125_000, currency: 'JPY' }, meta: {} }), B.amount).initial_value).toBe('125000');
  });

  it('leaves what was not typed empty, with only the optional terms optional', () => {
    const v = modal(contractModal({ draft: {}, meta: {} }));
    for (const id of Object.values(B)) {
      const el = element(v, id);
      expect(el.initial_value).toBeUndefined();
      expect(el.initial_option).toBeUndefined();
    }
    const optional = (v.blocks as Input[]).filter((b) => b.optional).map((b) => b.block_id);
    expect(optional).toEqual([B.discount, B.settlement, B.delivery, B.afterSales, B.special]);
    expect(v.title.text).toBe('New contract');
    expect(parseDraftMeta(v.private_metadata)).toEqual({});
  });

  it('for a new version, says which and carries the contract and version it edits', () => {
    const v = modal(contractModal({ clientName: 'Acme Ltd', draft: { subject: 'Steel beams' }, meta: { contractId: 42, version: 2 } }));
    expect(v.title.text).toBe('Contract #42');
    expect(v.submit?.text).toBe('Submit new version');
    expect(JSON.stringify(v.blocks[0])).toContain('Version 3: legal and finance will be asked to approve again.');
    expect(parseDraftMeta(v.private_metadata)).toEqual({ contractId: 42, version: 2 });
  });

  it('cuts a prefilled value to the field’s limit, and stays within Block Kit’s limits', () => {
    const v = contractModal({ draft: { subject: 'x'.repeat(500), special: 'y'.repeat(5000) }, meta: {} });
    expect(element(v, B.subject).initial_value).toHaveLength(200);
    expect(element(v, B.special).initial_value).toHaveLength(1000);
    expect(blockKitProblems({ view: v })).toEqual([]);
  });
});

describe('decision modals', () => {
  it('the reason modal asks what should change, and carries the click it follows', () => {
    const meta = { contractId: 42, version: 2, fn: 'finance' as const, decision: 'changes_requested' as const };
    const v = modal(reasonModal(meta, 'Contract #42'));
    expect(v.callback_id).toBe(VIEW.decisionReason);
    expect(blockById(v.blocks as Input[], BLOCK.decisionReason)).toMatchObject({ label: { text: 'What should change?' } });
    expect(parseReasonMeta(v.private_metadata)).toEqual(meta);
    expect(modal(reasonModal({ ...meta, decision: 'rejected' }, 'x')).submit?.text).toBe('Reject');
  });

  it('finance ticks each exception by its key', () => {
    const v = confirmExceptionsModal({ contractId: 42, version: 2, fn: 'finance' }, 'Contract #42', [
      { key: 'discount', text: "discount 7.5 % is above the segment's 5 %" },
      { key: 'net-days', text: 'x'.repeat(300) },
    ]);
    expect(v.callback_id).toBe(VIEW.confirmExceptions);
    expect(parseDecision(v.private_metadata)).toEqual({ contractId: 42, version: 2, fn: 'finance' });
    expect(element(v, BLOCK.confirmExceptions).options?.map((o) => o.value)).toEqual(['discount', 'net-days']);
    expect(blockKitProblems({ view: v })).toEqual([]);
  });
});

describe('other modals', () => {
  it('the lost modal carries the deal and where to answer', () => {
    const v = lostReasonModal('Acme Ltd', { clientId: 7, dealId: 11, responseUrl: 'https://hooks.example/1' });
    expect(v.callback_id).toBe(VIEW.clientLost);
    expect(element(v, BLOCK.lostReason).action_id).toBe(INPUT.lostReason);
    expect(parseLostMeta(v.private_metadata)).toEqual({ clientId: 7, dealId: 11, responseUrl: 'https://hooks.example/1' });
  });

  it('the promise modal starts at today and carries the invoice and rung', () => {
    const v = promiseModal({ invoiceId: 5, rung: 1 }, 'INV-000005', '2026-11-24');
    expect(v.callback_id).toBe(VIEW.promiseDate);
    expect(element(v, BLOCK.promiseDate).initial_date).toBe('2026-11-24');
    expect(parseRung((JSON.parse(v.private_metadata ?? '{}') as { rung: string }).rung)).toEqual({ invoiceId: 5, rung: 1 });
  });
});
