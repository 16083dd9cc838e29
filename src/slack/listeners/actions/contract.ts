import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Decision } from '../../../domain/contracts.ts';
import { checkDecision, contractForEdit, decideContract, signContract } from '../../../services/contracts.ts';
import { ctxFor, isAdmin, readerFmt, type Deps } from '../../deps.ts';
import { staleButton } from '../../ui/messages/answers.ts';
import { ACTION, parseDecision, parseNumericId } from '../../ids.ts';
import { refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { contractSignedText, decisionSummary, exceptionLabel } from '../../ui/messages/contract.ts';
import { exceptionKey, toConfirm } from '../../../domain/loyalty.ts';
import { confirmExceptionsModal, contractModal, reasonModal } from '../../ui/modals/contract.ts';
import { draftOf } from '../views/contract.ts';
import type { Routes } from '../boundary.ts';

export function registerContractActions(app: Routes, deps: Deps): void {
  // A click in the legal or finance channel: the answer to a refused click is ephemeral, to the clicker only.
  const say = (respond: (m: object) => Promise<unknown>, text: string) => respond({ ...ephemeral(text), replace_original: false });

  app.action<BlockAction<ButtonAction>>(ACTION.approve, async ({ ack, action, body, client, respond }) => {
    await ack();
    // The clicker reads their own answer and form; the request in the channel keeps its language.
    const { locale } = await readerFmt(deps, body.user.id);
    const v = parseDecision(action.value);
    if (!v) return void (await say(respond, staleButton('contract', locale)));
    const actorIsApprover = await deps.approvers.isApprover(v.fn, body.user.id);
    const ctx = ctxFor(deps, body.user.id);
    if (v.fn === 'finance') {
      // Beyond the loyalty policy: finance approves only by confirming each exception in a form.
      const pre = await checkDecision(ctx, { ...v, decision: 'approved', comment: null, actorIsApprover });
      if (!pre.ok) return void (await say(respond, refusalText(pre.refusal, locale)));
      if (toConfirm(pre.value.terms.exceptions).length > 0) {
        const exceptions = toConfirm(pre.value.terms.exceptions).map((e) => ({ key: exceptionKey(e), text: exceptionLabel(e, locale) }));
        await client.views.open({ trigger_id: body.trigger_id, view: confirmExceptionsModal({ contractId: v.contractId, version: v.version, fn: 'finance' }, decisionSummary(pre.value, locale), exceptions, locale) });
        return;
      }
    }
    const r = await decideContract(ctx, { ...v, decision: 'approved', comment: null, actorIsApprover });
    if (!r.ok) await say(respond, refusalText(r.refusal, locale));
  });

  const askReason = (decision: Exclude<Decision, 'approved'>) =>
    (async ({ ack, action, body, client, respond }) => {
      await ack();
      const { locale } = await readerFmt(deps, body.user.id);
      const v = parseDecision(action.value);
      if (!v) return void (await say(respond, staleButton('contract', locale)));
      const actorIsApprover = await deps.approvers.isApprover(v.fn, body.user.id);
      const r = await checkDecision(ctxFor(deps, body.user.id), { ...v, decision, comment: null, actorIsApprover });
      if (!r.ok) return void (await say(respond, refusalText(r.refusal, locale)));
      await client.views.open({ trigger_id: body.trigger_id, view: reasonModal({ ...v, decision }, decisionSummary(r.value, locale), locale) });
    }) satisfies Parameters<typeof app.action<BlockAction<ButtonAction>>>[1];

  app.action<BlockAction<ButtonAction>>(ACTION.requestChanges, askReason('changes_requested'));
  app.action<BlockAction<ButtonAction>>(ACTION.reject, askReason('rejected'));

  // The Sign button of the "approved by both" DM: exactly `/contract sign #N`, same checks.
  app.action<BlockAction<ButtonAction>>(ACTION.contractSign, async ({ ack, action, body, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const id = parseNumericId(action.value);
    if (id === undefined) return void (await say(respond, staleButton('contract', locale)));
    const r = await signContract(ctxFor(deps, body.user.id), id, isAdmin(deps, body.user.id));
    await say(respond, r.ok ? contractSignedText(r.value, locale) : refusalText(r.refusal, locale));
  });

  app.action<BlockAction<ButtonAction>>(ACTION.contractEdit, async ({ ack, action, body, client, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const id = parseNumericId(action.value);
    if (id === undefined) return void (await say(respond, staleButton('contract', locale)));
    const r = await contractForEdit(ctxFor(deps, body.user.id), id, isAdmin(deps, body.user.id));
    if (!r.ok) return void (await say(respond, refusalText(r.refusal, locale)));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: contractModal({ clientName: r.value.client.name, draft: draftOf(r.value.terms), meta: { contractId: id, version: r.value.contract.version }, locale }),
    });
  });
}
