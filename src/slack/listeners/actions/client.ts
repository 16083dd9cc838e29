import type { BlockAction, ButtonAction } from '@slack/bolt';
import { clientById, clientHistory, moveFromCard } from '../../../services/clients.ts';
import { checkClientForContract } from '../../../services/contracts.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import { ACTION, parseClientId, parseDealRef, parseMove } from '../../ids.ts';
import { refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { staleButton } from '../../ui/messages/answers.ts';
import { clientHistory as historyView, clientMoved } from '../../ui/messages/client.ts';
import { lostReasonModal } from '../../ui/modals/client-lost.ts';
import { contractModal } from '../../ui/modals/contract.ts';
import type { Routes } from '../boundary.ts';

export function registerClientActions(app: Routes, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.clientMove, async ({ ack, action, body, respond }) => {
    await ack();
    const f = await readerFmt(deps, body.user.id);
    const v = parseMove(action.value);
    if (!v) return void (await respond(ephemeral(staleButton('client', f.locale))));
    const r = await moveFromCard(ctxFor(deps, body.user.id), v);
    if (!r.ok) return void (await respond({ ...ephemeral(refusalText(r.refusal, f.locale)), replace_original: false }));
    await respond({ ...ephemeral(clientMoved(r.value.view, f, { ...r.value, actor: body.user.id })), replace_original: true });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientLost, async ({ ack, action, body, client, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const v = parseDealRef(action.value);
    const c = v && await clientById(deps.store, v.clientId);
    if (!v || !c) return void (await respond(ephemeral(staleButton('client', locale))));
    await client.views.open({ trigger_id: body.trigger_id, view: lostReasonModal(c.name, { ...v, responseUrl: body.response_url }, locale) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientNewContract, async ({ ack, action, body, client, respond }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    const id = parseClientId(action.value);
    const c = id === undefined ? undefined : await checkClientForContract(deps.store, { id });
    if (!c) return void (await respond(ephemeral(staleButton('client', locale))));
    if (!c.ok) return void (await respond({ ...ephemeral(refusalText(c.refusal, locale)), replace_original: false }));
    await client.views.open({ trigger_id: body.trigger_id, view: contractModal({ clientName: c.value.name, draft: {}, meta: {}, locale }) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientHistory, async ({ ack, action, body, respond }) => {
    await ack();
    const f = await readerFmt(deps, body.user.id);
    const id = parseClientId(action.value);
    const r = id === undefined ? undefined : await clientHistory(deps.store, { id });
    if (!r) return void (await respond(ephemeral(staleButton('client', f.locale))));
    if (!r.ok) return void (await respond({ ...ephemeral(refusalText(r.refusal, f.locale)), replace_original: false }));
    await respond({ ...ephemeral(historyView(r.value.client, r.value.events, r.value.total, f)), replace_original: false });
  });
}
