import type { types } from '@slack/bolt';
import { CONTRACT_KINDS, LIMITS, minorToDecimal } from '../../../domain/index.ts';
import type { DraftTerms } from '../../../services/contracts.ts';
import { BLOCK, INPUT, VIEW, encodeDecision, encodeDraftMeta, encodeReasonMeta, type DraftMeta, type ReasonMeta } from '../../ids.ts';
import { fmtDiscount } from './../messages/contract.ts';

const B = BLOCK.contract;

type Block = types.KnownBlock;

function textInput(block: string, label: string, opts: { initial?: string | null; optional?: boolean; multiline?: boolean; max?: number; placeholder?: string; hint?: string }): Block {
  return {
    type: 'input',
    block_id: block,
    optional: opts.optional ?? false,
    label: { type: 'plain_text', text: label },
    ...(opts.hint ? { hint: { type: 'plain_text' as const, text: opts.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: INPUT.value,
      multiline: opts.multiline ?? false,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.initial ? { initial_value: opts.initial.slice(0, opts.max ?? 3000) } : {}),
      ...(opts.placeholder ? { placeholder: { type: 'plain_text' as const, text: opts.placeholder } } : {}),
    },
  };
}

/** The contract form: new (prefilled from what was typed) or a new version (prefilled from the current one). */
export function contractModal(p: { clientName?: string; draft: DraftTerms; meta: DraftMeta }): types.View {
  const d = p.draft;
  const editing = p.meta.contractId !== undefined;
  const kindOption = (k: string) => ({ text: { type: 'plain_text' as const, text: k === 'goods' ? 'Goods' : 'Services' }, value: k });
  return {
    type: 'modal',
    callback_id: VIEW.contractDraft,
    private_metadata: encodeDraftMeta(p.meta),
    title: { type: 'plain_text', text: editing ? `Contract #${p.meta.contractId}` : 'New contract' },
    submit: { type: 'plain_text', text: editing ? 'Submit new version' : 'Submit for approval' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(editing
        ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `Version ${(p.meta.version ?? 0) + 1}: legal and finance will be asked to approve again.` }] }]
        : []),
      textInput(B.client, 'Client', { initial: p.clientName, max: 100, placeholder: 'Client name or #id' }),
      textInput(B.subject, 'Subject', { initial: d.subject, max: LIMITS.subject, placeholder: 'What is sold: goods or services, scope' }),
      textInput(B.amount, 'Amount', { initial: d.amountMinor !== undefined && d.currency ? minorToDecimal(d.amountMinor, d.currency) : undefined, max: 30, placeholder: '12500.00' }),
      textInput(B.currency, 'Currency', { initial: d.currency ?? undefined, max: 3, placeholder: 'EUR', hint: 'ISO 4217 code: EUR, USD, BGN …' }),
      textInput(B.netDays, 'Payment terms (days)', { initial: d.netDays !== undefined ? String(d.netDays) : undefined, max: 3, placeholder: '30', hint: 'Days the client has to pay after the invoice.' }),
      textInput(B.discount, 'Discount %', { initial: d.discountBp ? fmtDiscount(d.discountBp).replace(' %', '') : undefined, optional: true, max: 6, placeholder: '0' }),
      {
        type: 'input',
        block_id: B.kind,
        label: { type: 'plain_text', text: 'Kind' },
        element: {
          type: 'static_select',
          action_id: INPUT.value,
          placeholder: { type: 'plain_text', text: 'Goods or services' },
          options: CONTRACT_KINDS.map(kindOption),
          ...(d.kind ? { initial_option: kindOption(d.kind) } : {}),
        },
      },
      textInput(B.settlement, 'Settlement procedure', { initial: d.settlement, optional: true, multiline: true, max: LIMITS.longText, placeholder: 'Bank transfer against invoice; 30% advance …' }),
      textInput(B.delivery, 'Delivery mechanism', { initial: d.delivery, optional: true, multiline: true, max: LIMITS.longText, placeholder: 'DAP Sofia warehouse; on-site service …' }),
      textInput(B.afterSales, 'After-sales service', { initial: d.afterSales, optional: true, multiline: true, max: LIMITS.longText }),
      textInput(B.special, 'Special conditions', { initial: d.special, optional: true, multiline: true, max: LIMITS.longText }),
    ],
  };
}

export function reasonModal(meta: ReasonMeta, summary: string): types.View {
  const changes = meta.decision === 'changes_requested';
  return {
    type: 'modal',
    callback_id: VIEW.decisionReason,
    private_metadata: encodeReasonMeta(meta),
    title: { type: 'plain_text', text: changes ? 'Request changes' : 'Reject contract' },
    submit: { type: 'plain_text', text: changes ? 'Request changes' : 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 2900) } },
      {
        type: 'input',
        block_id: BLOCK.decisionReason,
        label: { type: 'plain_text', text: changes ? 'What should change?' : 'Why is it rejected?' },
        element: { type: 'plain_text_input', action_id: INPUT.value, multiline: true, max_length: 1000 },
      },
    ],
  };
}

export function submittedView(title: string, text: string): types.View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title.slice(0, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } }],
  };
}

/** Finance approves a contract beyond the loyalty policy only by ticking each exception (SPEC §3). */
export function confirmExceptionsModal(v: { contractId: number; version: number; fn: 'finance' }, summary: string, exceptions: { key: string; text: string }[]): types.View {
  return {
    type: 'modal',
    callback_id: VIEW.confirmExceptions,
    private_metadata: encodeDecision(v),
    title: { type: 'plain_text', text: 'Approve with exceptions' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 2900) } },
      {
        type: 'input',
        block_id: BLOCK.confirmExceptions,
        label: { type: 'plain_text', text: 'This contract goes beyond the loyalty policy. Confirm each exception:' },
        element: {
          type: 'checkboxes',
          action_id: INPUT.value,
          options: exceptions.map((e) => ({ text: { type: 'plain_text' as const, text: e.text.slice(0, 75) }, value: e.key })),
        },
      },
    ],
  };
}
