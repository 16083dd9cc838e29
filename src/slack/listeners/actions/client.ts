import type { BlockAction, ButtonAction } from '@slack/bolt';
import { clientById, clientHistory, moveFromCard } from '../../../services/clients.ts';
import { checkClientForContract } from '../../../services/contracts.ts';
import { ctxFor, type Deps } from '../../deps.ts';
import { ACTION, parseClientId, parseDealRef, parseMove } from '../../ids.ts';
import { refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { clientHistory as historyView, clientMoved } from '../../ui/messages/client.ts';
import { lostReasonModal } from '../../ui/modals/client-lost.ts';
import { contractModal } from '../../ui/modals/contract.ts';
import type { Routes } from '../boundary.ts';

const STALE_BUTTON = 'That button no longer matches anything: open the card again with `/client <name>`.';

export function registerClientActions(app: Routes, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.clientMove, async ({ ack, action, body, respond }) => {
    await ack();
    const v = parseMove(action.value);
    if (!v) return void (await respond(ephemeral(STALE_BUTTON)));
    const r = await moveFromCard(ctxFor(deps, body.user.id), v);
    if (!r.ok) return void (await respond({ ...ephemeral(refusalText(r.refusal)), replace_original: false }));
    await respond({ ...ephemeral(clientMoved(r.value.view, deps.fmt, { ...r.value, actor: body.user.id })), replace_original: true });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientLost, async ({ ack, action, body, client, respond }) => {
    await ack();
    const v = parseDealRef(action.value);
    const c = v && await clientById(deps.store, v.clientId);
    if (!v || !c) return void (await respond(ephemeral(STALE_BUTTON)));
    await client.views.open({ trigger_id: body.trigger_id, view: lostReasonModal(c.name, { ...v, responseUrl: body.response_url }) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientNewContract, async ({ ack, action, body, client, respond }) => {
    await ack();
    const id = parseClientId(action.value);
    const c = id === undefined ? undefined : await checkClientForContract(deps.store, { id });
    if (!c) return void (await respond(ephemeral(STALE_BUTTON)));
    if (!c.ok) return void (await respond({ ...ephemeral(refusalText(c.refusal)), replace_original: false }));
    await client.views.open({ trigger_id: body.trigger_id, view: contractModal({ clientName: c.value.name, draft: {}, meta: {} }) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.clientHistory, async ({ ack, action, respond }) => {
    await ack();
    const id = parseClientId(action.value);
    const r = id === undefined ? undefined : await clientHistory(deps.store, { id });
    if (!r) return void (await respond(ephemeral(STALE_BUTTON)));
    if (!r.ok) return void (await respond({ ...ephemeral(refusalText(r.refusal)), replace_original: false }));
    await respond({ ...ephemeral(historyView(r.value.client, r.value.events, r.value.total, deps.fmt)), replace_original: false });
  });
}

