import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { parseFileId, ACTION } from '../../ids.ts';
import { cancelImport, importSharedFile, previewSharedFile } from '../../import-flow.ts';
import type { Routes } from '../boundary.ts';

/** A CSV from the books shared in the DM with dealdesk, and the preview's Import / Cancel (SPEC §6). */
export function registerImport(app: Routes, deps: Deps): void {
  app.event('file_shared', async ({ event, client, context }) => {
    // Only a DM with dealdesk (D…); never the bot's own uploads (the failed rows, exports), which Slack reports too.
    if (!event.channel_id.startsWith('D') || event.user_id === context.botUserId) return;
    await previewSharedFile(deps, client, { channel: event.channel_id, user: event.user_id, fileId: event.file_id });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.importRun, async ({ ack, body, action, client }) => {
    await ack();
    const fileId = parseFileId(action.value);
    if (!fileId || !body.channel || !body.message) return;
    await importSharedFile(deps, client, { channel: body.channel.id, ts: body.message.ts, user: body.user.id, fileId });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.importCancel, async ({ ack, body, client }) => {
    await ack();
    if (!body.channel || !body.message) return;
    await cancelImport(deps, client, { channel: body.channel.id, ts: body.message.ts, user: body.user.id });
  });
}
