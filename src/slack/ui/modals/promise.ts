import type { types } from '@slack/bolt';
import { BLOCK, INPUT, VIEW, encodeRung, type RungValue } from '../../ids.ts';
import { DEFAULT_LOCALE, tr, type Locale } from '../../../i18n/index.ts';

export function promiseModal(v: RungValue & { responseUrl?: string }, invoiceLabel: string, today: string, locale: Locale = DEFAULT_LOCALE): types.View {
  const m = tr(locale);
  return {
    type: 'modal',
    callback_id: VIEW.promiseDate,
    private_metadata: JSON.stringify({ rung: encodeRung(v), responseUrl: v.responseUrl }),
    title: { type: 'plain_text', text: m('promiseModal.title') },
    submit: { type: 'plain_text', text: m('promiseModal.submit') },
    close: { type: 'plain_text', text: m('modal.cancel') },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: m('promiseModal.when', { invoice: invoiceLabel.slice(0, 2000) }) } },
      { type: 'input', block_id: BLOCK.promiseDate, label: { type: 'plain_text', text: m('promiseModal.date') }, element: { type: 'datepicker', action_id: INPUT.value, initial_date: today } },
    ],
  };
}
