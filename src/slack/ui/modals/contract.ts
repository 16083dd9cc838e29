import type { types } from '@slack/bolt';
import { CONTRACT_KINDS, LIMITS, minorToDecimal } from '../../../domain/index.ts';
import type { DraftTerms } from '../../../services/contracts.ts';
import { BLOCK, INPUT, VIEW, encodeDecision, encodeDraftMeta, encodeReasonMeta, type DraftMeta, type ReasonMeta } from '../../ids.ts';
import type { ContractSnapshot } from '../../../repos/contracts.ts';
import { contractSubmittedLines, fmtDiscount } from './../messages/contract.ts';
import { loc, type Fmt } from '../format.ts';
import { DEFAULT_LOCALE, formatDecimal, label, tr, type Locale } from '../../../i18n/index.ts';

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
export function contractModal(p: { clientName?: string; draft: DraftTerms; meta: DraftMeta; locale?: Locale }): types.View {
  const d = p.draft;
  const locale = p.locale ?? DEFAULT_LOCALE;
  const m = tr(locale);
  const editing = p.meta.contractId !== undefined;
  const kindOption = (k: (typeof CONTRACT_KINDS)[number]) => ({ text: { type: 'plain_text' as const, text: label(locale, 'contractKindTitle', k) }, value: k });
  return {
    type: 'modal',
    callback_id: VIEW.contractDraft,
    private_metadata: encodeDraftMeta(p.meta),
    title: { type: 'plain_text', text: editing ? m('contractModal.titleEdit', { id: p.meta.contractId ?? 0 }) : m('contractModal.titleNew') },
    submit: { type: 'plain_text', text: editing ? m('contractModal.submitEdit') : m('contractModal.submitNew') },
    close: { type: 'plain_text', text: m('modal.cancel') },
    blocks: [
      ...(editing
        ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: m('contractModal.versionNote', { version: (p.meta.version ?? 0) + 1 }) }] }]
        : []),
      textInput(B.client, m('contractModal.client'), { initial: p.clientName, max: 100, placeholder: m('contractModal.clientPlaceholder') }),
      textInput(B.subject, m('contractModal.subject'), { initial: d.subject, max: LIMITS.subject, placeholder: m('contractModal.subjectPlaceholder') }),
      textInput(B.amount, m('contractModal.amount'), { initial: d.amountMinor !== undefined && d.currency ? formatDecimal(minorToDecimal(d.amountMinor, d.currency), locale) : undefined, max: 30, placeholder: m('contractModal.amountPlaceholder') }),
      textInput(B.currency, m('contractModal.currency'), { initial: d.currency ?? undefined, max: 3, placeholder: 'EUR', hint: m('contractModal.currencyHint') }),
      textInput(B.netDays, m('contractModal.netDays'), { initial: d.netDays !== undefined ? String(d.netDays) : undefined, max: 3, placeholder: '30', hint: m('contractModal.netDaysHint') }),
      textInput(B.discount, m('contractModal.discount'), { initial: d.discountBp ? fmtDiscount(d.discountBp, locale).replace(' %', '') : undefined, optional: true, max: 6, placeholder: '0' }),
      {
        type: 'input',
        block_id: B.kind,
        label: { type: 'plain_text', text: m('contractModal.kind') },
        element: {
          type: 'static_select',
          action_id: INPUT.value,
          placeholder: { type: 'plain_text', text: m('contractModal.kindPlaceholder') },
          options: CONTRACT_KINDS.map(kindOption),
          ...(d.kind ? { initial_option: kindOption(d.kind) } : {}),
        },
      },
      textInput(B.settlement, m('contractModal.settlement'), { initial: d.settlement, optional: true, multiline: true, max: LIMITS.longText, placeholder: m('contractModal.settlementPlaceholder') }),
      textInput(B.delivery, m('contractModal.delivery'), { initial: d.delivery, optional: true, multiline: true, max: LIMITS.longText, placeholder: m('contractModal.deliveryPlaceholder') }),
      textInput(B.afterSales, m('contractModal.afterSales'), { initial: d.afterSales, optional: true, multiline: true, max: LIMITS.longText }),
      textInput(B.special, m('contractModal.special'), { initial: d.special, optional: true, multiline: true, max: LIMITS.longText }),
    ],
  };
}

export function reasonModal(meta: ReasonMeta, summary: string, locale: Locale = DEFAULT_LOCALE): types.View {
  const m = tr(locale);
  const changes = meta.decision === 'changes_requested';
  return {
    type: 'modal',
    callback_id: VIEW.decisionReason,
    private_metadata: encodeReasonMeta(meta),
    title: { type: 'plain_text', text: changes ? m('reasonModal.titleChanges') : m('reasonModal.titleReject') },
    submit: { type: 'plain_text', text: changes ? m('reasonModal.submitChanges') : m('reasonModal.submitReject') },
    close: { type: 'plain_text', text: m('modal.cancel') },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 2900) } },
      {
        type: 'input',
        block_id: BLOCK.decisionReason,
        label: { type: 'plain_text', text: changes ? m('reasonModal.labelChanges') : m('reasonModal.labelReject') },
        element: { type: 'plain_text_input', action_id: INPUT.value, multiline: true, max_length: 1000 },
      },
    ],
  };
}

export function submittedView(title: string, text: string, locale: Locale = DEFAULT_LOCALE): types.View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title.slice(0, 24) },
    close: { type: 'plain_text', text: tr(locale)('modal.close') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } }],
  };
}

/** What the contract form turns into once the contract (or its new version) is submitted. */
export function contractSubmittedView(s: ContractSnapshot, f: Fmt, resubmitted: boolean): types.View {
  const locale = loc(f);
  return submittedView(tr(locale)('submittedModal.title', { id: s.contract.id }), contractSubmittedLines(s, f, resubmitted).join('\n'), locale);
}

/** Finance approves a contract beyond the loyalty policy only by ticking each exception (SPEC §3). */
export function confirmExceptionsModal(v: { contractId: number; version: number; fn: 'finance' }, summary: string, exceptions: { key: string; text: string }[], locale: Locale = DEFAULT_LOCALE): types.View {
  const m = tr(locale);
  return {
    type: 'modal',
    callback_id: VIEW.confirmExceptions,
    private_metadata: encodeDecision(v),
    title: { type: 'plain_text', text: m('exceptionsModal.title') },
    submit: { type: 'plain_text', text: m('exceptionsModal.submit') },
    close: { type: 'plain_text', text: m('modal.cancel') },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 2900) } },
      {
        type: 'input',
        block_id: BLOCK.confirmExceptions,
        label: { type: 'plain_text', text: m('exceptionsModal.label') },
        element: {
          type: 'checkboxes',
          action_id: INPUT.value,
          options: exceptions.map((e) => ({ text: { type: 'plain_text' as const, text: e.text.slice(0, 75) }, value: e.key })),
        },
      },
    ],
  };
}
