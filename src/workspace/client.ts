/**
 * What a Slack client does between a person and the bot: the payloads it builds from what the
 * person sees (the clicked message, the open view) and the state of a modal's inputs, and the
 * checks it makes itself before a modal is submitted. Used by the driver (./driver.ts).
 */
import { blockIdAt, EMU_BOT_USER_ID, optionFor, type ConvEphemeral, type ConvMessage, type ConvView } from './emulator.ts';
import { word } from './page/words.js';

export function messagePayload(m: ConvMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: m.user,
    ...(m.user === EMU_BOT_USER_ID ? { bot_id: 'BBOT', app_id: 'A0EMULATED' } : {}),
    team: 'T0001',
    text: m.text,
    ts: m.ts,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}

export function viewPayload(v: ConvView): Record<string, unknown> {
  const { errors: _errors, ...rest } = v;
  return { ...rest, team_id: 'T0001', app_id: 'A0EMULATED', bot_id: 'BBOT', app_installed_team_id: 'T0001' };
}

/**
 * `view.state.values` as Slack sends them, from what the page (or a test) gives: per block_id
 * either `{ [action_id]: raw }` or the raw value itself; raw is a string (text, number, date, one
 * option's value), a string array (checkboxes, multi-selects), or a ready Slack state object
 * (one with `type`). Inputs not given keep their initial value, as a form does.
 */
export function stateValues(view: ConvView, given: Record<string, any>, withInitial: boolean): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const [index, block] of view.blocks.entries()) {
    const el = block?.type === 'input' ? block.element : block?.type === 'actions' ? undefined : block?.accessory;
    if (!el?.action_id) continue;
    const blockId = blockIdAt(block, index);
    const g = given[blockId];
    let raw: unknown = g !== null && typeof g === 'object' && !Array.isArray(g) && !('type' in g) ? g[el.action_id] : g;
    if (raw === undefined) {
      const prior = view.state.values[blockId]?.[el.action_id];
      if (prior !== undefined) {
        out[blockId] = { [el.action_id]: prior };
        continue;
      }
      if (!withInitial || block.type !== 'input') continue;
      raw = initialOf(el);
    }
    out[blockId] = { [el.action_id]: raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'type' in raw ? raw : stateOf(el, raw) };
  }
  return out;
}

function initialOf(el: any): unknown {
  switch (el.type) {
    case 'static_select':
    case 'radio_buttons':
      return el.initial_option?.value;
    case 'multi_static_select':
    case 'checkboxes':
      return (el.initial_options ?? []).map((o: any) => o.value);
    case 'datepicker':
      return el.initial_date;
    case 'timepicker':
      return el.initial_time;
    case 'users_select':
      return el.initial_user;
    case 'conversations_select':
      return el.initial_conversation;
    case 'channels_select':
      return el.initial_channel;
    default:
      return el.initial_value;
  }
}

function stateOf(el: any, raw: unknown): Record<string, unknown> {
  const s = raw === undefined || raw === null || raw === '' ? null : raw;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null ? [] : [v]);
  switch (el.type) {
    case 'static_select':
    case 'radio_buttons':
      return { type: el.type, selected_option: s === null ? null : optionFor(el, s) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type: el.type, selected_options: list(s).map((v) => optionFor(el, v)).filter(Boolean) };
    case 'datepicker':
      return { type: el.type, selected_date: s };
    case 'timepicker':
      return { type: el.type, selected_time: s };
    case 'users_select':
      return { type: el.type, selected_user: s };
    case 'multi_users_select':
      return { type: el.type, selected_users: list(s) };
    case 'conversations_select':
      return { type: el.type, selected_conversation: s };
    case 'channels_select':
      return { type: el.type, selected_channel: s };
    default:
      return { type: el.type, value: s === null ? null : String(s) };
  }
}

/** What Slack's own client refuses before submitting: empty required inputs, bad numbers, lengths; in the page's language (`say`). */
export function clientSideProblems(view: ConvView, state: Record<string, Record<string, any>>, say: (key: string, values?: Record<string, unknown>) => string = (key, values) => word('en', key, values)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, block] of view.blocks.entries()) {
    if (block?.type !== 'input' || !block.element?.action_id) continue;
    const blockId = blockIdAt(block, index);
    const el = block.element;
    const v = state[blockId]?.[el.action_id] ?? {};
    const value = v.value ?? v.selected_option ?? v.selected_date ?? v.selected_time ?? v.selected_user ?? v.selected_conversation ?? v.selected_channel ?? (v.selected_options?.length ? v.selected_options : v.selected_users?.length ? v.selected_users : null);
    if (value === null || value === undefined || value === '') {
      if (block.optional !== true) out[blockId] = say('slack.required');
      continue;
    }
    if (el.type === 'number_input') {
      const n = Number(value);
      if (!/^-?\d+(\.\d+)?$/.test(String(value).trim()) || !Number.isFinite(n)) out[blockId] = say('slack.number');
      else if (!el.is_decimal_allowed && !Number.isInteger(n)) out[blockId] = say('slack.wholeNumber');
      else if (el.min_value !== undefined && n < Number(el.min_value)) out[blockId] = say('slack.atLeast', { min: el.min_value });
      else if (el.max_value !== undefined && n > Number(el.max_value)) out[blockId] = say('slack.atMost', { max: el.max_value });
    }
    if (el.type === 'plain_text_input' && typeof value === 'string') {
      if (el.min_length !== undefined && value.length < el.min_length) out[blockId] = say('slack.minLength', { n: el.min_length });
      if (el.max_length !== undefined && value.length > el.max_length) out[blockId] = say('slack.maxLength', { n: el.max_length });
    }
  }
  return out;
}

export function ephemeralJson(e: ConvEphemeral): ConvEphemeral {
  return e;
}
