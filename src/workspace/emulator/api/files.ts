/** files.*: the two Web API halves of files.uploadV2 (the bytes go to the upload URL in between). */
import { EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, EMU_TEAM_ID, type ConvFile, type ConvMessage } from '../types.ts';
import { mimeOf } from '../util.ts';
import type { MethodTable } from './types.ts';

/** Where a file's bytes are served to a holder of the bot token (Slack's files.slack.com/files-pri/…). */
export function privateUrl(baseUrl: string, fileId: string, name: string, download = false): string {
  return `${baseUrl}/files-pri/${EMU_TEAM_ID}-${fileId}/${download ? 'download/' : ''}${encodeURIComponent(name)}`;
}

export const filesMethods: MethodTable = {
  // Like Slack's: what a file is, and where its bytes are (url_private, for a request that carries the bot token).
  'files.info': {
    answer({ store, baseUrl }, a) {
      const id = String(a.file ?? '');
      const f = store.fileInfo(id);
      if (!f) return { ok: false, error: 'file_not_found' };
      const user = f.user ?? EMU_BOT_USER_ID;
      const shares = store.conversationIds().filter((c) => store.messages(c).some((m) => m.files?.some((x) => x.id === id)));
      const ext = f.name.includes('.') ? f.name.split('.').pop()!.toLowerCase() : '';
      return {
        ok: true,
        file: {
          id,
          created: f.created ?? 0,
          timestamp: f.created ?? 0,
          name: f.name,
          title: f.title ?? f.name,
          mimetype: f.mimetype,
          filetype: ext,
          user,
          size: f.bytes?.length ?? f.length ?? 0,
          mode: 'hosted',
          is_external: false,
          is_public: false,
          url_private: privateUrl(baseUrl, id, f.name),
          url_private_download: privateUrl(baseUrl, id, f.name, true),
          permalink: `https://${EMU_TEAM_DOMAIN}.slack.com/files/${user}/${id}/${f.name}`,
          // A DM with the bot is kept under the person's id; Slack names it by its D… id.
          channels: [],
          groups: [],
          ims: shares.filter((c) => /^[UW]/.test(c)).map((c) => `D${c}`),
        },
      };
    },
  },

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
