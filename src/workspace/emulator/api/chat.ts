/** chat.*: posting, updating and deleting the bot's messages, ephemerals and permalinks. */
import { EMU_APP_ID, EMU_BOT_ID, EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, EMU_TEAM_ID, type ConvMessage } from '../types.ts';
import { blocksOf, hasContent } from '../util.ts';
import type { MethodTable } from './types.ts';

export const chatMethods: MethodTable = {
  'chat.postMessage': {
    answer({ store }, a) {
      if (!a.channel) return { ok: false, error: 'channel_not_found' };
      if (!hasContent(a)) return { ok: false, error: 'no_text' };
      const ts = store.nextTs();
      return { ok: true, channel: a.channel, ts, message: botMessage(a, ts) };
    },
    apply({ store }, a, answer) {
      const m: ConvMessage = { ts: String(answer.ts), channel: store.conversationKey(String(a.channel)), user: EMU_BOT_USER_ID, text: String(a.text ?? ''), ...blocksOf(a), at: Date.now() };
      if (a.thread_ts !== undefined && a.thread_ts !== '') m.thread_ts = String(a.thread_ts);
      if (a.reply_broadcast === true || a.reply_broadcast === 'true') m.reply_broadcast = true;
      store.addMessage(m);
    },
  },

  'chat.update': {
    answer(_ctx, a) {
      if (!a.channel) return { ok: false, error: 'channel_not_found' };
      if (!a.ts) return { ok: false, error: 'message_not_found' };
      return {
        ok: true,
        channel: a.channel,
        ts: a.ts,
        text: a.text ?? '',
        message: botMessage(a, a.ts),
      };
    },
    apply({ store }, a) {
      const m = store.message(String(a.channel), String(a.ts));
      if (!m || m.deleted) return;
      if (a.text !== undefined) m.text = String(a.text);
      if (Array.isArray(a.blocks)) m.blocks = a.blocks;
      if (Array.isArray(a.attachments)) m.attachments = a.attachments;
      m.edited = Date.now();
      store.changed({ kind: 'message', channel: m.channel, ts: m.ts });
    },
  },

  'chat.postEphemeral': {
    answer({ store }, a) {
      if (!a.channel) return { ok: false, error: 'channel_not_found' };
      if (!a.user) return { ok: false, error: 'user_not_found' };
      if (!hasContent(a)) return { ok: false, error: 'no_text' };
      return { ok: true, message_ts: store.nextTs() };
    },
    apply({ store }, a, answer) {
      const e = { ts: String(answer.message_ts), channel: store.conversationKey(String(a.channel)), user: String(a.user), text: String(a.text ?? ''), ...blocksOf(a) };
      store.addEphemeral(a.thread_ts ? { ...e, thread_ts: String(a.thread_ts) } : e);
    },
  },

  'chat.delete': {
    answer(_ctx, a) {
      if (!a.channel) return { ok: false, error: 'channel_not_found' };
      if (!a.ts) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel: a.channel, ts: a.ts };
    },
    apply({ store }, a) {
      store.deleteMessage(String(a.channel), String(a.ts));
    },
  },

  'chat.getPermalink': {
    answer(_ctx, a) {
      if (!a.channel) return { ok: false, error: 'channel_not_found' };
      return {
        ok: true,
        channel: a.channel,
        permalink: `https://${EMU_TEAM_DOMAIN}.slack.com/archives/${a.channel}/p${String(a.message_ts ?? '').replace('.', '')}`,
      };
    },
  },
};

function botMessage(a: Record<string, any>, ts: string): Record<string, any> {
  const message: Record<string, any> = {
    type: 'message',
    user: EMU_BOT_USER_ID,
    bot_id: EMU_BOT_ID,
    app_id: EMU_APP_ID,
    team: EMU_TEAM_ID,
    text: a.text ?? '',
    ts,
  };
  if (a.blocks !== undefined) message.blocks = a.blocks;
  if (a.attachments !== undefined) message.attachments = a.attachments;
  if (a.metadata !== undefined) message.metadata = a.metadata;
  if (a.thread_ts !== undefined) message.thread_ts = a.thread_ts;
  return message;
}
