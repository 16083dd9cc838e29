/**
 * The emulator's HTTP server: the Web API (`/api/<method>`), the upload URLs handed out by
 * files.getUploadURLExternal (`/upload/<id>`), the response_urls (`/response/<id>`) and the
 * uploaded files (`/files/<id>`). See the header of ../emulator.ts for how @slack/web-api talks
 * to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerCall, applyCall } from './api/index.ts';
import { applyResponse } from './responses.ts';
import type { ConversationStore } from './store.ts';
import type { Traffic } from './traffic.ts';
import type { ApiCall } from './types.ts';
import { parseJsonOr } from './util.ts';

/** The parts of a SlackEmulator the server answers from. */
export interface ServedParts {
  store: ConversationStore;
  traffic: Traffic;
  /** e.g. "http://127.0.0.1:54321" (no trailing slash). */
  baseUrl: string;
  /** When set, Web API calls must carry this token (else `not_authed` / `invalid_auth`). */
  botToken?: string;
}

/**
 * Form fields that @slack/web-api sends as JSON strings (because the caller passed an
 * object/array). They are parsed back so tests can assert on structure. Other string fields
 * (text, users="U1,U2", …) are left alone, so a message text that happens to look like JSON
 * is not mangled.
 */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'files',
  'file_uploads',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'profile',
  'outputs',
]);

export async function route(parts: ServedParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', parts.baseUrl);
  const raw = await readBody(req);
  const path = url.pathname;

  if (path.startsWith('/api/')) return handleApi(parts, decodeURIComponent(path.slice(5)), req, raw, res);

  if (path.startsWith('/upload/')) {
    // Slack's upload URLs take the bytes either raw or as multipart/form-data;
    // @slack/web-api sends multipart with a single part named "body".
    const fileId = decodeURIComponent(path.slice('/upload/'.length));
    const ct = req.headers['content-type'] ?? '';
    let bytes = raw;
    if (ct.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': ct } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      if (part && typeof part !== 'string') bytes = Buffer.from(await part.arrayBuffer());
    }
    parts.store.uploads.set(fileId, bytes);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
    return;
  }

  if (path.startsWith('/response/')) {
    const id = decodeURIComponent(path.slice('/response/'.length));
    const body = parseJsonOr(raw.toString('utf8'));
    const { traffic } = parts;
    traffic.responseUrlPosts.push({ id, body, at: Date.now() });
    if (traffic.responseUrlPosts.length > traffic.keepCalls) traffic.responseUrlPosts.splice(0, traffic.responseUrlPosts.length - traffic.keepCalls);
    applyResponse(parts.store, id, body);
    traffic.wake(traffic.responseWaiters);
    sendJson(res, 200, { ok: true });
    return;
  }

  if (path.startsWith('/files-pri/') && (req.method === 'GET' || req.method === 'HEAD')) {
    // /files-pri/<team>-<file>/[download/]<name>. As Slack: only with `Authorization: Bearer <token>`;
    // without it (or with a wrong one) the answer is a redirect to the sign-in page, not the bytes.
    const fileId = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(path)?.[1] ?? '';
    const file = parts.store.fileInfo(fileId);
    const auth = req.headers.authorization;
    const authorized = auth !== undefined && auth.startsWith('Bearer ') && (parts.botToken === undefined || auth.slice('Bearer '.length) === parts.botToken);
    parts.store.downloads.push({ fileId, authorized, at: Date.now() });
    if (!authorized) {
      res.writeHead(302, { location: `${parts.baseUrl}/signin?redir=${encodeURIComponent(path)}` });
      res.end();
      return;
    }
    if (file?.bytes) {
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length), 'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"` });
      res.end(req.method === 'HEAD' ? undefined : file.bytes);
      return;
    }
  }

  if (path === '/signin') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to your workspace</body></html>');
    return;
  }

  if (path.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
    const file = parts.store.fileInfo(decodeURIComponent(path.slice('/files/'.length)));
    if (file?.bytes) {
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length), 'cache-control': 'private, max-age=86400' });
      res.end(req.method === 'HEAD' ? undefined : file.bytes);
      return;
    }
  }

  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

async function handleApi(parts: ServedParts, method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
  const { args, bodyToken } = await parseApiArgs(req.headers['content-type'] ?? '', raw);
  const auth = req.headers.authorization;
  const headerToken = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
  const call: ApiCall = { method, args, at: Date.now() };
  const token = headerToken ?? bodyToken;
  if (token !== undefined) call.token = token;

  const failure = parts.traffic.takeFailure(method, args);
  if (failure) {
    call.failed = true;
    const status = failure.status;
    const body =
      failure.body ?? { ok: false, error: status === 429 ? 'ratelimited' : `http_${status}` };
    call.response = body;
    parts.traffic.record(call);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
      ...failure.headers,
    });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
    return;
  }

  let answer: Record<string, any>;
  if (parts.botToken !== undefined && token === undefined) answer = { ok: false, error: 'not_authed' };
  else if (parts.botToken !== undefined && token !== parts.botToken) answer = { ok: false, error: 'invalid_auth' };
  else answer = answerOf(parts, method, args, call);
  call.response = answer;
  parts.traffic.record(call);
  applyCall(parts, method, args, answer);
  sendJson(res, 200, answer);
}

/** A custom handler from setMethodHandler() first, else the emulator's own method. */
function answerOf(parts: ServedParts, method: string, a: Record<string, any>, call: ApiCall): Record<string, any> {
  const custom = parts.traffic.customHandlers.get(method);
  if (custom) return custom(a, call);
  return answerCall(parts, method, a, call);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a Web API request body (form, JSON or multipart) into args, parsing JSON fields. */
async function parseApiArgs(
  contentType: string,
  raw: Buffer,
): Promise<{ args: Record<string, any>; bodyToken?: string }> {
  let args: Record<string, any> = {};
  if (contentType.startsWith('application/json')) {
    const parsed = parseJsonOr(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object') args = { ...parsed };
  } else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form.entries()) {
      args[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    }
  } else {
    // application/x-www-form-urlencoded (what @slack/web-api sends) — also the fallback.
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = v;
  }
  for (const [k, v] of Object.entries(args)) {
    if (JSON_FIELDS.has(k) && typeof v === 'string' && /^\s*[[{]/.test(v)) {
      try {
        args[k] = JSON.parse(v);
      } catch {
        /* leave malformed JSON as the raw string, the test will see it */
      }
    }
  }
  const bodyToken = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;
  return bodyToken !== undefined ? { args, bodyToken } : { args };
}
