import type { types } from '@slack/bolt';
import { MAX_REASON_LENGTH } from '../../../domain/stages.ts';
import { BLOCK, INPUT, VIEW, encodeLostMeta, type LostModalMeta } from '../../ids.ts';
import { DEFAULT_LOCALE, tr, type Locale } from '../../../i18n/index.ts';

export function lostReasonModal(clientName: string, meta: LostModalMeta, locale: Locale = DEFAULT_LOCALE): types.View {
  const m = tr(locale);
  return {
    type: 'modal',
    callback_id: VIEW.clientLost,
    private_metadata: encodeLostMeta(meta),
    title: { type: 'plain_text', text: m('lostModal.title') },
    submit: { type: 'plain_text', text: m('lostModal.submit') },
    close: { type: 'plain_text', text: m('modal.cancel') },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: m('lostModal.why', { client: clientName.slice(0, 2500) }) } },
      {
        type: 'input',
        block_id: BLOCK.lostReason,
        label: { type: 'plain_text', text: m('lostModal.reason') },
        element: { type: 'plain_text_input', action_id: INPUT.lostReason, multiline: true, max_length: MAX_REASON_LENGTH, placeholder: { type: 'plain_text', text: m('lostModal.placeholder') } },
      },
    ],
  };
}
