/**
 * Files between Slack and dealdesk: a file a person shared, fetched with the bot token
 * (files.info, then its url_private), and a CSV sent to a person's DM (files.uploadV2).
 */
import type { WebClient } from '@slack/web-api';

export interface SharedFile {
  id: string;
  name: string;
  size: number;
  /** Who shared it. */
  user: string;
}

export type Fetched = { ok: true; file: SharedFile; bytes: Buffer } | { ok: false; problem: 'not-found' | 'unreadable'; file?: SharedFile } | { ok: false; problem: 'too-large'; file: SharedFile };

/**
 * The bot token goes only to Slack's file host, or to the host the Web API is configured on (the
 * emulator, the local workspace): never to an address a file's metadata could point anywhere.
 */
function mayCarryToken(url: string, apiUrl: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' && u.hostname === 'files.slack.com') || u.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/** Describe a file (files.info) and, if it is at most `maxBytes`, download it; a larger one is refused before any byte is fetched. */
export async function fetchSharedFile(client: WebClient, token: string, apiUrl: string, fileId: string, maxBytes: number): Promise<Fetched> {
  let info: { id?: string; name?: string; size?: number; user?: string; url_private_download?: string; url_private?: string } | undefined;
  try {
    info = (await client.files.info({ file: fileId })).file;
  } catch {
    return { ok: false, problem: 'not-found' };
  }
  if (!info?.id) return { ok: false, problem: 'not-found' };
  const file: SharedFile = { id: info.id, name: info.name ?? 'file.csv', size: info.size ?? 0, user: info.user ?? '' };
  if (file.size > maxBytes) return { ok: false, problem: 'too-large', file };
  const url = info.url_private_download ?? info.url_private;
  if (!url || !mayCarryToken(url, apiUrl)) return { ok: false, problem: 'unreadable', file };
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' }).catch(() => undefined);
  // Without a good token Slack redirects to its sign-in page (an HTML page with status 200 once followed).
  if (!res || res.status !== 200 || /text\/html/i.test(res.headers.get('content-type') ?? '')) return { ok: false, problem: 'unreadable', file };
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) return { ok: false, problem: 'too-large', file: { ...file, size: bytes.length } };
  return { ok: true, file, bytes };
}

/** Send a file to a person's DM (files.uploadV2 takes a conversation id: the DM is opened first), in a thread if given. */
export async function sendFileToDm(client: WebClient, user: string, f: { filename: string; bytes: Uint8Array; title?: string; comment?: string; threadTs?: string; channel?: string }): Promise<void> {
  const channel = f.channel ?? (await client.conversations.open({ users: user })).channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
  const file = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  await client.files.uploadV2({
    channel_id: channel,
    file,
    filename: f.filename,
    title: f.title ?? f.filename,
    ...(f.comment ? { initial_comment: f.comment } : {}),
    ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
  } as never);
}
