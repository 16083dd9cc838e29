/**
 * A CSV from the books shared in the DM with dealdesk (SPEC §6): who may, the download, the
 * preview with Import / Cancel, and the import itself in the analytics process with its progress
 * edited into the same message. The file is fetched again on Import (the button carries only its
 * id), so a preview needs no state kept between the two and any instance can take the click.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebClient } from '@slack/web-api';
import type { Locale } from '../domain/locales.ts';
import { runAnalytics } from '../workers/client.ts';
import type { ImportOutcome } from '../workers/tasks.ts';
import { serviceSetup } from './context.ts';
import { isAdmin, type Deps } from './deps.ts';
import { fetchSharedFile, sendFileToDm, type SharedFile } from './files.ts';
import { failedRowsName, importCancelled, importDone, importNotAllowed, importPreview, importProgress, importRefused, importTooLarge, importUnreadable, MAX_IMPORT_BYTES } from './ui/messages/import.ts';

/** Admins and finance approvers import books (SPEC §6). */
export async function mayImport(deps: Deps, user: string): Promise<boolean> {
  return isAdmin(deps, user) || (await deps.approvers.isApprover('finance', user));
}

type Fetch = { ok: true; file: SharedFile } | { ok: false };

/** The file downloaded into `path`, or the answer already posted saying why not. */
async function fetchOrSay(deps: Deps, client: WebClient, fileId: string, path: string, locale: Locale, say: (text: string) => Promise<unknown>): Promise<Fetch> {
  const f = await fetchSharedFile(client, deps.config.botToken, deps.config.apiUrl, fileId, MAX_IMPORT_BYTES, path);
  if (f.ok) return f;
  if (f.problem === 'too-large') await say(importTooLarge(f.file.name, f.file.size, locale));
  else await say(importUnreadable(f.file?.name ?? fileId, locale));
  return { ok: false };
}

/** `fn` with the path of a temporary file for the download, removed afterwards whatever happened. */
async function withDownload<T>(fn: (path: string) => Promise<T>): Promise<T> {
  const path = join(tmpdir(), `dealdesk-import-${randomBytes(6).toString('hex')}.csv`);
  try {
    return await fn(path);
  } finally {
    await rm(path, { force: true });
  }
}

/** The import task on the downloaded file; it words what it tells in `locale`. */
function importTask(deps: Deps, user: string, locale: Locale, path: string, mode: 'preview' | 'apply', onProgress?: (done: number, total: number) => void): Promise<ImportOutcome> {
  return runAnalytics(
    { task: { kind: 'import', path, mode, locale }, databasePath: deps.config.databasePath, ...(deps.config.databaseUrl ? { databaseUrl: deps.config.databaseUrl } : {}), now: deps.now(), actor: user, setup: serviceSetup(deps.config) },
    onProgress ? (p) => onProgress(p.done, p.total) : undefined,
  );
}

/**
 * `file_shared` in a DM: a polite no, a refusal, or the preview with Import / Cancel, all in the
 * language of the person who shared the file (their `/dealdesk language`, else the workspace's).
 */
export async function previewSharedFile(deps: Deps, client: WebClient, e: { channel: string; user: string; fileId: string }): Promise<void> {
  const say = (text: string) => client.chat.postMessage({ channel: e.channel, text });
  const locale = await deps.languages.reader(e.user);
  if (!(await mayImport(deps, e.user))) return void (await say(importNotAllowed(locale)));
  await withDownload(async (path) => {
    const got = await fetchOrSay(deps, client, e.fileId, path, locale, say);
    if (!got.ok) return;
    const o = await importTask(deps, e.user, locale, path, 'preview');
    const m = o.ok ? importPreview(got.file.name, got.file.id, o, locale) : importRefused(got.file.name, o.refusal, locale);
    await client.chat.postMessage({ channel: e.channel, text: m.text, blocks: m.blocks });
  });
}

/** Import clicked on a preview: the same file written, progress edited into the preview, the failed rows sent back. */
export async function importSharedFile(deps: Deps, client: WebClient, c: { channel: string; ts: string; user: string; fileId: string }): Promise<void> {
  const edit = (m: { text: string; blocks: unknown[] }) => client.chat.update({ channel: c.channel, ts: c.ts, text: m.text, blocks: m.blocks as never });
  const say = (text: string) => edit({ text, blocks: [] });
  // The preview is in the DM of the person who shared the file, and only they import it: their language.
  const locale = await deps.languages.reader(c.user);
  if (!(await mayImport(deps, c.user))) return void (await say(importNotAllowed(locale)));
  await withDownload(async (path) => {
    const got = await fetchOrSay(deps, client, c.fileId, path, locale, say);
    if (!got.ok) return;
    // Only the person who shared the file imports it (the preview is in their DM; a forged click is not).
    if (got.file.user !== c.user) return void (await say(importNotAllowed(locale)));
    const name = got.file.name;
    await edit(importProgress(name, 0, 0, locale));
    // Edits are Slack calls, one at a time and never piling up: one still in flight is skipped.
    let editing: Promise<unknown> | undefined;
    const o = await importTask(deps, c.user, locale, path, 'apply', (done, total) => {
      if (editing) return;
      editing = edit(importProgress(name, done, total, locale))
        .catch(() => undefined)
        .finally(() => (editing = undefined));
    });
    await editing;
    if (!o.ok) return void (await edit(importRefused(name, o.refusal, locale)));
    await edit(importDone(name, o, locale));
    if (o.failedCsv) await sendFileToDm(client, c.user, { channel: c.channel, threadTs: c.ts, filename: failedRowsName(name, locale), bytes: o.failedCsv });
  });
}

export async function cancelImport(deps: Deps, client: WebClient, c: { channel: string; ts: string; user: string }): Promise<void> {
  const m = importCancelled(await deps.languages.reader(c.user));
  await client.chat.update({ channel: c.channel, ts: c.ts, text: m.text, blocks: m.blocks });
}
