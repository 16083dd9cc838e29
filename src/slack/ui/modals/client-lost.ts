import type { types } from '@slack/bolt';
import { MAX_REASON_LENGTH } from '../../../domain/stages.ts';
import { BLOCK, INPUT, VIEW, encodeLostMeta, type LostModalMeta } from '../../ids.ts';

export function lostReasonModal(clientName: string, meta: LostModalMeta): types.View {
  return {
    type: 'modal',
    callback_id: VIEW.clientLost,
    private_metadata: encodeLostMeta(meta),
    title: { type: 'plain_text', text: 'Mark deal lost' },
    submit: { type: 'plain_text', text: 'Mark lost' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `Why was the deal with ${clientName.slice(0, 2500)} lost? The reason is kept with the deal.` } },
      {
        type: 'input',
        block_id: BLOCK.lostReason,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: INPUT.lostReason, multiline: true, max_length: MAX_REASON_LENGTH, placeholder: { type: 'plain_text', text: 'e.g. went with a competitor on price' } },
      },
    ],
  };
}
