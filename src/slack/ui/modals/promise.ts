import type { types } from '@slack/bolt';
import { BLOCK, INPUT, VIEW, encodeRung, type RungValue } from '../../ids.ts';

export function promiseModal(v: RungValue & { responseUrl?: string }, invoiceLabel: string, today: string): types.View {
  return {
    type: 'modal',
    callback_id: VIEW.promiseDate,
    private_metadata: JSON.stringify({ rung: encodeRung(v), responseUrl: v.responseUrl }),
    title: { type: 'plain_text', text: 'Promise to pay' },
    submit: { type: 'plain_text', text: 'Record promise' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `When did the client promise to pay ${invoiceLabel.slice(0, 2000)}? The dunning ladder pauses until then.` } },
      { type: 'input', block_id: BLOCK.promiseDate, label: { type: 'plain_text', text: 'Promised date' }, element: { type: 'datepicker', action_id: INPUT.value, initial_date: today } },
    ],
  };
}
