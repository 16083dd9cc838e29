import type { BlockAction, ButtonAction } from '@slack/bolt';
import { homeOpened } from '../../../services/home.ts';
import { readerFmt, type Deps } from '../../deps.ts';
import { publishHome } from '../../home.ts';
import { ACTION } from '../../ids.ts';
import { contractModal } from '../../ui/modals/contract.ts';
import type { Routes } from '../boundary.ts';

export function registerHome(app: Routes, deps: Deps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await homeOpened(deps.store, event.user, deps.now());
    await publishHome(deps, client, event.user);
  });

  app.action<BlockAction<ButtonAction>>(ACTION.homeRefresh, async ({ ack, body, client }) => {
    await ack();
    await publishHome(deps, client, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(ACTION.homeNewContract, async ({ ack, body, client }) => {
    await ack();
    const { locale } = await readerFmt(deps, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: contractModal({ draft: {}, meta: {}, locale }) });
  });
}
