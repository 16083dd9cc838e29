/** files.*: the two Web API halves of files.uploadV2 (the bytes go to the upload URL in between). */
import { EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, type ConvFile, type ConvMessage } from '../types.ts';
import { mimeOf } from '../util.ts';
import type { MethodTable } from './types.ts';

export const filesMethods: MethodTable = {
  'files.getUploadURLExternal': {
    answer({ store, baseUrl }, a) {
      if (!a.filename) return { ok: false, error: 'invalid_arguments' };
      const fileId = store.newId('F');
      store.fileMeta.set(fileId, {
        name: String(a.filename),
        ...(a.length !== undefined ? { length: Number(a.length) } : {}),
      });
      return { ok: true, upload_url: `${baseUrl}/upload/${fileId}`, file_id: fileId };
    },
  },

  'files.completeUploadExternal': {
    answer({ store }, a) {
      const files: any[] = Array.isArray(a.files) ? a.files : [];
      if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
      // Like Slack: a conversation id only, never a user id (a DM is opened with conversations.open).
      if (a.channel_id !== undefined && !/^[CGDZ]/.test(String(a.channel_id))) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]'] } };
      const unknown = files.find((f) => !store.fileMeta.has(f?.id));
      if (unknown) return { ok: false, error: 'file_not_found' };
      return {
        ok: true,
        files: files.map((f) => {
          const meta = store.fileMeta.get(f.id)!;
          return {
            id: f.id,
            name: meta.name,
            title: f.title ?? meta.name,
            size: store.uploads.get(f.id)?.length ?? meta.length ?? 0,
            user: EMU_BOT_USER_ID,
            permalink: `https://${EMU_TEAM_DOMAIN}.slack.com/files/${EMU_BOT_USER_ID}/${f.id}/${meta.name}`,
            // Real Slack shares asynchronously; `shares` is usually still empty here.
            shares: {},
            channels: a.channel_id ? [a.channel_id] : [],
          };
        }),
      };
    },
    apply({ store }, a, answer) {
      if (!a.channel_id) return;
      const files: ConvFile[] = (answer.files as any[]).map((f) => ({ id: f.id, name: f.name, title: f.title, mimetype: mimeOf(f.name), size: f.size, url: `/files/${f.id}` }));
      const blocks = files
        .filter((f) => f.mimetype.startsWith('image/'))
        .map((f) => ({ type: 'image', image_url: f.url, alt_text: f.title, title: { type: 'plain_text', text: f.title } }));
      const m: ConvMessage = { ts: store.nextTs(), channel: store.conversationKey(String(a.channel_id)), user: EMU_BOT_USER_ID, text: String(a.initial_comment ?? ''), files, at: Date.now() };
      if (blocks.length > 0) m.blocks = blocks;
      if (a.thread_ts) m.thread_ts = String(a.thread_ts);
      store.addMessage(m);
      for (const f of files) store.changed({ kind: 'file', fileId: f.id, channel: m.channel });
    },
  },
};
