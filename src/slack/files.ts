/**
 * Files between Slack and dealdesk: a file a person shared, fetched with the bot token
 * (files.info, then its url_private), and a CSV sent to a person's DM (files.uploadV2).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { WebClient } from '@slack/web-api';

export interface SharedFile {
  id: string;
  name: string;
  size: number;
  /** Who shared it. */
  user: string;
}

export type Fetched = { ok: true; file: SharedFile } | { ok: false; problem: 'not-found' | 'unreadable'; file?: SharedFile } | { ok: false; problem: 'too-large'; file: SharedFile };

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

/** More bytes came than the file's description said, past the limit. */
class TooLarge extends Error {}

/** A download that stalls this long is given up (Slack's file host sends 20 MB in seconds). */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * Describe a file (files.info) and, if it is at most `maxBytes`, download it into the file `path`
 * as it arrives (the bot never holds the whole of a 10 MB export: its memory is the chat's); a
 * larger one is refused before any byte is fetched (by its description, or the response's
 * length), or as soon as more than `maxBytes` arrive. When it is not ok, `path` may hold part of
 * it, closed: the caller removes it either way. A failure to write the file (a full disk) is ours,
 * not the file's: it is thrown, for the error boundary to log and answer.
 */
export async function fetchSharedFile(client: WebClient, token: string, apiUrl: string, fileId: string, maxBytes: number, path: string): Promise<Fetched> {
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
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }).catch(() => undefined);
  if (!res) return { ok: false, problem: 'unreadable', file };
  const unread = async (f: Fetched): Promise<Fetched> => {
    // The connection is free again at once, not when the body is collected.
    await res.body?.cancel().catch(() => undefined);
    return f;
  };
  // Without a good token Slack redirects to its sign-in page (an HTML page with status 200 once followed).
  if (!res.body || res.status !== 200 || /text\/html/i.test(res.headers.get('content-type') ?? '')) return unread({ ok: false, problem: 'unreadable', file });
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > maxBytes) return unread({ ok: false, problem: 'too-large', file: { ...file, size: length } });
  let size = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new TooLarge() : null, chunk);
    },
  });
  const sink = createWriteStream(path);
  let writeFailed = false;
  sink.once('error', () => (writeFailed = true));
  try {
    await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), capped, sink);
  } catch (e) {
    if (writeFailed) throw e;
    return e instanceof TooLarge ? { ok: false, problem: 'too-large', file: { ...file, size } } : { ok: false, problem: 'unreadable', file };
  } finally {
    // Closed before the caller removes it.
    if (!sink.closed) await once(sink, 'close').catch(() => undefined);
  }
  return { ok: true, file };
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
