import type { TermsField } from '../../../domain/contracts.ts';
import type { VersionRow } from '../../../repos/contracts.ts';
import { checkClientForContract, decideContract, resubmitContract, submitContract, type DraftTerms } from '../../../services/contracts.ts';
import type { Refusal } from '../../../services/refusals.ts';
import { ctxFor, isAdmin, type Deps } from '../../deps.ts';
import { BLOCK, INPUT, VIEW, parseDecision, parseDraftMeta, parseReasonMeta } from '../../ids.ts';
import { FIELD_BLOCK, parseContractModal, parseReason } from '../../input/contract-modal.ts';
import { refusalText } from '../../reply.ts';
import { contractSubmittedLines } from '../../ui/messages/contract.ts';
import { submittedView } from '../../ui/modals/contract.ts';
import type { Routes } from '../boundary.ts';

/** A stored version as the form's prefill. */
export function draftOf(v: VersionRow): DraftTerms {
  const { subject, amountMinor, currency, netDays, discountBp, kind, settlement, delivery, afterSales, special } = v;
  return { subject, amountMinor, currency, netDays, discountBp, kind, settlement, delivery, afterSales, special };
}

/** Modal errors are plain text of at most a couple of lines: drop mrkdwn. */
const plain = (s: string) => s.replace(/[*_`]/g, '').replace(/<@([A-Z0-9]+)>/g, 'the submitter').slice(0, 150);

function errorsFor(r: Refusal): Record<string, string> {
  if (r.kind === 'bad-terms') {
    return Object.fromEntries((Object.entries(r.errors) as [TermsField, string][]).map(([f, m]) => [FIELD_BLOCK[f], plain(m)]));
  }
  if (r.kind === 'currency-replaced') return { [FIELD_BLOCK.currency]: plain(refusalText(r)) };
  return { [BLOCK.contract.client]: plain(refusalText(r)) };
}

export function registerContractViews(app: Routes, deps: Deps): void {
  app.view(VIEW.contractDraft, async ({ ack, view, body }) => {
    const parsed = parseContractModal(view.state.values);
    const meta = parseDraftMeta(view.private_metadata);
    if (!parsed.ok) {
      // Every bad field in one answer: an unknown client too, when this is a new contract.
      const c = parsed.client && meta.contractId === undefined ? await checkClientForContract(deps.store, parsed.client) : undefined;
      const errors = c && !c.ok ? { ...parsed.errors, [BLOCK.contract.client]: plain(refusalText(c.refusal)) } : parsed.errors;
      return void (await ack({ response_action: 'errors', errors }));
    }
    const ctx = ctxFor(deps, body.user.id);
    const r =
      meta.contractId !== undefined && meta.version !== undefined
        ? await resubmitContract(ctx, meta.contractId, meta.version, parsed.terms, isAdmin(deps, body.user.id))
        : await submitContract(ctx, parsed.client, parsed.terms);
    if (!r.ok) return void (await ack({ response_action: 'errors', errors: errorsFor(r.refusal) }));
    const lines = contractSubmittedLines(r.value, deps.fmt, meta.contractId !== undefined);
    await ack({ response_action: 'update', view: submittedView(`Contract #${r.value.contract.id}`, lines.join('\n')) });
  });

  app.view(VIEW.confirmExceptions, async ({ ack, view, body }) => {
    const v = parseDecision(view.private_metadata);
    const selected = (view.state.values[BLOCK.confirmExceptions]?.[INPUT.value]?.selected_options ?? []).map((o) => o.value).filter((x): x is string => typeof x === 'string');
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.confirmExceptions]: plain(text) } });
    if (!v || v.fn !== 'finance') return void (await fieldError('This form no longer matches a contract; close it and click again.'));
    const actorIsApprover = await deps.approvers.isApprover('finance', body.user.id);
    const r = await decideContract(ctxFor(deps, body.user.id), { ...v, decision: 'approved', comment: null, confirmed: selected, actorIsApprover });
    if (!r.ok) return void (await fieldError(r.refusal.kind === 'decision' && r.refusal.refusal.kind === 'exceptions-unconfirmed' ? 'Tick every exception to approve, or close this and request changes.' : refusalText(r.refusal)));
    await ack();
  });

  app.view(VIEW.decisionReason, async ({ ack, view, body }) => {
    const meta = parseReasonMeta(view.private_metadata);
    const reason = parseReason(view.state.values);
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.decisionReason]: plain(text) } });
    if (!meta) return void (await fieldError('This form no longer matches a contract; close it and click again.'));
    if (reason === '') return void (await fieldError(meta.decision === 'rejected' ? 'Say why it is rejected.' : 'Say what should change.'));
    const actorIsApprover = await deps.approvers.isApprover(meta.fn, body.user.id);
    const r = await decideContract(ctxFor(deps, body.user.id), { ...meta, comment: reason, actorIsApprover });
    if (!r.ok) return void (await fieldError(refusalText(r.refusal)));
    await ack();
  });
}
