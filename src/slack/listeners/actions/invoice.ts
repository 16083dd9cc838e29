import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isoDate, localDate, type DunningOutcome } from '../../../domain/index.ts';
import { tickChecklistTask } from '../../../services/delivery.ts';
import { decideClaim, logDunningOutcome } from '../../../services/dunning.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import { dunningOutcomeLogged, formGone, invoiceLabel, pickPromiseDate, promiseLogged, staleButton } from '../../ui/messages/answers.ts';
import { ACTION, BLOCK, INPUT, VIEW, parseNumericId, parseRung } from '../../ids.ts';
import { refusalText } from '../../reply.ts';
import { ephemeral, postToResponseUrl } from '../../respond.ts';
import { checklistMessage } from '../../ui/messages/invoice.ts';
import { publishHome } from '../../home.ts';
import { promiseModal } from '../../ui/modals/promise.ts';
import type { Routes } from '../boundary.ts';

export function registerInvoiceActions(app: Routes, deps: Deps): void {
  const say = (respond: (m: object) => Promise<unknown>, text: string) => respond({ ...ephemeral(text), replace_original: false });

  app.action<BlockAction<ButtonAction>>(ACTION.taskDone, async ({ ack, action, body, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const id = parseNumericId(action.value);
    if (id === undefined) return void (await say(respond, staleButton('any', locale)));
    const fns = { legal: await deps.approvers.isApprover('legal', body.user.id), finance: await deps.approvers.isApprover('finance', body.user.id) };
    const r = await tickChecklistTask(ctxFor(deps, body.user.id), id, fns);
    if (!r.ok) return void (await say(respond, refusalText(r.refusal, locale)));
    // The checklist (or reminder) the button was on now shows the task done.
    await respond({ ...ephemeral(checklistMessage(r.value.snap, r.value.tasks, localDate(deps.now(), deps.fmt.tz), locale)), replace_original: true });
  });

  // A button on App Home has no response_url (Slack sends none for a view): the answer goes by DM then.
  const tell = async (respond: ((m: object) => Promise<unknown>) | undefined, client: WebClient, userId: string, text: string) =>
    respond ? say(respond, text) : client.chat.postMessage({ channel: userId, text });

  const logOutcome = (outcome: Exclude<DunningOutcome, 'promised'>) =>
    (async ({ ack, action, body, client, respond }) => {
      await ack();
      const { locale } = await readerFmt(deps, body.user.id);
      const v = parseRung(action.value);
      if (!v) return void (await tell(respond, client, body.user.id, staleButton('any', locale)));
      const r = await logDunningOutcome(ctxFor(deps, body.user.id), v.invoiceId, v.rung, outcome);
      if (!r.ok) return void (await tell(respond, client, body.user.id, refusalText(r.refusal, locale)));
      // On App Home the rung leaves the list: the republished tab is the answer.
      if (!respond) return void (await publishHome(deps, client, body.user.id));
      await say(respond, dunningOutcomeLogged(outcome, r.value, locale));
    }) satisfies Parameters<typeof app.action<BlockAction<ButtonAction>>>[1];
  app.action<BlockAction<ButtonAction>>(ACTION.dunningContacted, logOutcome('contacted'));
  app.action<BlockAction<ButtonAction>>(ACTION.dunningNoAnswer, logOutcome('no-answer'));

  app.action<BlockAction<ButtonAction>>(ACTION.dunningPromised, async ({ ack, action, body, client, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const v = parseRung(action.value);
    if (!v) return void (await say(respond, staleButton('any', locale)));
    await client.views.open({ trigger_id: body.trigger_id, view: promiseModal({ ...v, responseUrl: body.response_url }, invoiceLabel(v.invoiceId, locale), localDate(deps.now(), deps.fmt.tz), locale) });
  });

  app.view(VIEW.promiseDate, async ({ ack, view, body, client }) => {
    let meta: { rung?: string; responseUrl?: string } = {};
    try {
      meta = JSON.parse(view.private_metadata) as typeof meta;
    } catch {
      /* a form that no longer parses is answered below */
    }
    const v = parseRung(meta.rung);
    const { locale } = await readerFmt(deps, body.user.id);
    const date = view.state.values[BLOCK.promiseDate]?.[INPUT.value]?.selected_date ?? '';
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.promiseDate]: text.replace(/[*_`]/g, '').slice(0, 150) } });
    if (!v) return void (await fieldError(formGone('invoice', locale)));
    if (!isoDate(date)) return void (await fieldError(pickPromiseDate(locale)));
    const r = await logDunningOutcome(ctxFor(deps, body.user.id), v.invoiceId, v.rung, 'promised', date);
    if (!r.ok) return void (await fieldError(refusalText(r.refusal, locale)));
    await ack();
    if (meta.responseUrl) {
      await postToResponseUrl(meta.responseUrl, { ...ephemeral(promiseLogged(r.value, date, locale)), replace_original: false }).catch(() => false);
    } else await publishHome(deps, client, body.user.id);
  });

  const claim = (decision: 'opened' | 'returned') =>
    (async ({ ack, action, body, respond }) => {
      await ack();
      const { locale } = await readerFmt(deps, body.user.id);
      const id = parseNumericId(action.value);
      if (id === undefined) return void (await say(respond, staleButton('any', locale)));
      const isLegal = await deps.approvers.isApprover('legal', body.user.id);
      const r = await decideClaim(ctxFor(deps, body.user.id), id, decision, null, isLegal);
      if (!r.ok) await say(respond, refusalText(r.refusal, locale));
    }) satisfies Parameters<typeof app.action<BlockAction<ButtonAction>>>[1];
  app.action<BlockAction<ButtonAction>>(ACTION.claimOpen, claim('opened'));
  app.action<BlockAction<ButtonAction>>(ACTION.claimReturn, claim('returned'));
}
