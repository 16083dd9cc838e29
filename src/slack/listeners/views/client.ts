import { clientById, loseDeal } from '../../../services/clients.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import { formGone, lostReasonMissing } from '../../ui/messages/answers.ts';
import { BLOCK, INPUT, VIEW, parseLostMeta } from '../../ids.ts';
import { refusalText } from '../../reply.ts';
import { ephemeral, postToResponseUrl } from '../../respond.ts';
import { clientLost } from '../../ui/messages/client.ts';
import type { Routes } from '../boundary.ts';

export function registerClientViews(app: Routes, deps: Deps): void {
  app.view(VIEW.clientLost, async ({ ack, view, body }) => {
    const f = await readerFmt(deps, body.user.id);
    const meta = parseLostMeta(view.private_metadata);
    const reason = view.state.values[BLOCK.lostReason]?.[INPUT.lostReason]?.value ?? '';
    const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [BLOCK.lostReason]: text.slice(0, 150) } });
    if (reason.trim() === '') return void (await fieldError(lostReasonMissing(f.locale)));
    const client = meta && await clientById(deps.store, meta.clientId);
    if (!meta || !client) return void (await fieldError(formGone('client', f.locale)));
    const r = await loseDeal(ctxFor(deps, body.user.id), client, meta.dealId, reason);
    // Markdown is not rendered in modal errors, so the refusal's *bold* is dropped.
    if (!r.ok) return void (await fieldError(refusalText(r.refusal, f.locale).replace(/[*_`]/g, '')));
    await ack();
    if (meta.responseUrl) {
      const card = clientLost(r.value.view, f, { ...r.value, actor: body.user.id });
      const delivered = await postToResponseUrl(meta.responseUrl, { ...ephemeral(card), replace_original: true }).catch(() => false);
      if (!delivered) deps.logger.warn(`could not refresh the card of client #${client.id} after marking it lost`);
    }
  });
}
