import type { TermsField } from '../../../domain/contracts.ts';
import type { VersionRow } from '../../../repos/contracts.ts';
import { checkClientForContract, decideContract, resubmitContract, submitContract, type DraftTerms } from '../../../services/contracts.ts';
import type { Refusal } from '../../../services/refusals.ts';
import type { Locale } from '../../../domain/locales.ts';
import { ctxFor, isAdmin, readerFmt, type Deps } from '../../deps.ts';
import { decisionReasonMissing, formGone, modalError, tickEveryException } from '../../ui/messages/answers.ts';
import { BLOCK, INPUT, VIEW, parseDecision, parseDraftMeta, parseReasonMeta } from '../../ids.ts';
import { FIELD_BLOCK, parseContractModal, parseReason } from '../../input/contract-modal.ts';
import { formProblemsText, refusalText, termsProblemText } from '../../reply.ts';
import { contractSubmittedView } from '../../ui/modals/contract.ts';
import type { Routes } from '../boundary.ts';

/** A stored version as the form's prefill. */
export function draftOf(v: VersionRow): DraftTerms {
  const { subject, amountMinor, currency, netDays, discountBp, kind, settlement, delivery, afterSales, special } = v;
  return { subject, amountMinor, currency, netDays, discountBp, kind, settlement, delivery, afterSales, special };
}

function errorsFor(r: Refusal, locale: Locale): Record<string, string> {
  const plain = (s: string) => modalError(s, locale);
  if (r.kind === 'bad-terms') {
    return Object.fromEntries((Object.entries(r.errors) as [TermsField, NonNullable<(typeof r.errors)[TermsField]>][]).map(([f, p]) => [FIELD_BLOCK[f], plain(termsProblemText(p, locale))]));
  }
  if (r.kind === 'currency-replaced') return { [FIELD_BLOCK.currency]: plain(refusalText(r, locale)) };
  return { [BLOCK.contract.client]: plain(refusalText(r, locale)) };
}

export function registerContractViews(app: Routes, deps: Deps): void {
  app.view(VIEW.contractDraft, async ({ ack, view, body }) => {
    const f = await readerFmt(deps, body.user.id);
    const plain = (s: string) => modalError(s, f.locale);
    const parsed = parseContractModal(view.state.values);
    const meta = parseDraftMeta(view.private_metadata);
    if (!parsed.ok) {
      // Every bad field in one answer: an unknown client too, when this is a new contract.
      const c = parsed.client && meta.contractId === undefined ? await checkClientForContract(deps.store, parsed.client) : undefined;
      const fields = formProblemsText(parsed.errors, f.locale);
      const errors = c && !c.ok ? { ...fields, [BLOCK.contract.client]: plain(refusalText(c.refusal, f.locale)) } : fields;
      return void (await ack({ response_action: 'errors', errors }));
    }
    const ctx = ctxFor(deps, body.user.id);
    const r =
      meta.contractId !== undefined && meta.version !== undefined
        ? await resubmitContract(ctx, meta.contractId, meta.version, parsed.terms, isAdmin(deps, body.user.id))
        : await submitContract(ctx, parsed.client, parsed.terms);
    if (!r.ok) return void (await ack({ response_action: 'errors', errors: errorsFor(r.refusal, f.locale) }));
    await ack({ response_action: 'update', view: contractSubmittedView(r.value, f, meta.contractId !== undefined) });
  });

  app.view(VIEW.confirmExceptions, async ({ ack, view, body }) => {
    const { locale } = await readerFmt(deps, body.user.id);
    const plain = (s: string) => modalError(s, locale);
    const v = parseDecision(view.private_metadata);
    const selected = (view.state.values[BLOCK.confirmExceptions]?.[INPUT.value]?.selected_options ?? []).map((o) => o.value).filter((x): x is string => typeof x === 'string');
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.confirmExceptions]: plain(text) } });
    if (!v || v.fn !== 'finance') return void (await fieldError(formGone('contract', locale)));
    const actorIsApprover = await deps.approvers.isApprover('finance', body.user.id);
    const r = await decideContract(ctxFor(deps, body.user.id), { ...v, decision: 'approved', comment: null, confirmed: selected, actorIsApprover });
    if (!r.ok) return void (await fieldError(r.refusal.kind === 'decision' && r.refusal.refusal.kind === 'exceptions-unconfirmed' ? tickEveryException(locale) : refusalText(r.refusal, locale)));
    await ack();
  });

  app.view(VIEW.decisionReason, async ({ ack, view, body }) => {
    const { locale } = await readerFmt(deps, body.user.id);
    const plain = (s: string) => modalError(s, locale);
    const meta = parseReasonMeta(view.private_metadata);
    const reason = parseReason(view.state.values);
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.decisionReason]: plain(text) } });
    if (!meta) return void (await fieldError(formGone('contract', locale)));
    if (reason === '') return void (await fieldError(decisionReasonMissing(meta.decision, locale)));
    const actorIsApprover = await deps.approvers.isApprover(meta.fn, body.user.id);
    const r = await decideContract(ctxFor(deps, body.user.id), { ...meta, comment: reason, actorIsApprover });
    if (!r.ok) return void (await fieldError(refusalText(r.refusal, locale)));
    await ack();
  });
}
