/**
 * The local workspace's HTTP server: the web page (./page/) and the small JSON API it drives,
 * on 127.0.0.1 only. Every request that does something goes through the driver (./driver.ts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppLogger } from '../log.ts';
import { HttpError, type WorkspaceDriver } from './driver.ts';
import type { StateChange } from './emulator.ts';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/words.js': { file: 'words.js', type: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export async function listen(driver: WorkspaceDriver, port: number, logger: AppLogger): Promise<{ server: Server; port: number }> {
  let bound = port;
  const server = createServer((req, res) => {
    handle(driver, req, res, bound).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) logger.error('local workspace: request failed', err);
      if (res.headersSent) return void res.end();
      sendJson(res, status, { ok: false, error: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  bound = (server.address() as AddressInfo).port;
  return { server, port: bound };
}

async function handle(d: WorkspaceDriver, req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  // Only this machine's browser: a page elsewhere must not drive the workspace (DNS rebinding, CSRF).
  const allowedHosts = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  if (!allowedHosts.includes(String(req.headers.host ?? '').toLowerCase())) throw new HttpError(403, 'wrong Host');
  const url = new URL(req.url ?? '/', `http://localhost:${port}`);
  const path = url.pathname;

  if (req.method === 'GET' || req.method === 'HEAD') {
    const asset = STATIC[path];
    if (asset) {
      const body = readFileSync(join(PAGE_DIR, asset.file));
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path.startsWith('/files/')) {
      const file = d.emu.fileInfo(decodeURIComponent(path.slice('/files/'.length)));
      if (!file?.bytes) throw new HttpError(404, 'no such file');
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length), 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : file.bytes);
      return;
    }
    if (path === '/api/state') return sendJson(res, 200, d.state(d.person(url.searchParams.get('user')).id));
    if (path === '/api/events') return events(d, req, res, url.searchParams.get('user') ?? '');
    throw new HttpError(404, 'not found');
  }

  if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) throw new HttpError(403, 'wrong Origin');
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'send JSON');
  // A file attached in the composer comes base64-encoded in JSON: up to the import's 20 MB.
  const b = await readJson(req, path === '/api/file' ? 30_000_000 : 1_000_000);
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string') throw new HttpError(400, `${name} is required`);
    return v;
  };
  switch (path) {
    case '/api/command':
      return sendJson(res, 200, omitReply(await d.command(str(b.user, 'user'), str(b.channel, 'channel'), str(b.text, 'text'), b.lang)));
    case '/api/message':
      return sendJson(res, 200, { ok: true, message: d.message(str(b.user, 'user'), str(b.channel, 'channel'), str(b.text, 'text'), typeof b.threadTs === 'string' ? b.threadTs : undefined) });
    case '/api/file':
      return sendJson(res, 200, await d.shareFile(str(b.user, 'user'), str(b.channel, 'channel'), str(b.name, 'name'), Buffer.from(str(b.data, 'data'), 'base64')));
    case '/api/action':
      return sendJson(res, 200, await d.action({ ...b, user: str(b.user, 'user'), actionId: str(b.actionId, 'actionId') }));
    case '/api/submit':
      return sendJson(res, 200, await d.submit(str(b.user, 'user'), str(b.viewId, 'viewId'), b.values && typeof b.values === 'object' ? b.values : {}, b.lang));
    case '/api/close':
      await d.close(str(b.user, 'user'), str(b.viewId, 'viewId'), b.all === true);
      return sendJson(res, 200, { ok: true });
    case '/api/dismiss':
      return sendJson(res, 200, { ok: d.dismiss(str(b.user, 'user'), str(b.id, 'id')) });
    case '/api/home':
      return sendJson(res, 200, await d.openApp(str(b.user, 'user'), b.tab === 'messages' ? 'messages' : 'home'));
    case '/api/language':
      return sendJson(res, 200, await d.setLanguage(b.locale));
    case '/api/demo':
      return sendJson(res, 200, { ok: true, ...(await d.demo()) });
    default:
      throw new HttpError(404, 'not found');
  }
}

function events(d: WorkspaceDriver, req: IncomingMessage, res: ServerResponse, user: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 1000\n\n');
  const onChange = (c: StateChange) => {
    // Another person's ephemerals, modals and Home are none of this page's business.
    if (c.user !== undefined && c.user !== user && (c.kind === 'ephemeral' || c.kind === 'modal' || c.kind === 'home')) return;
    res.write(`event: change\ndata: ${JSON.stringify(c)}\n\n`);
  };
  const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
  d.emu.on('change', onChange);
  const done = () => {
    clearInterval(ping);
    d.emu.off('change', onChange);
  };
  req.on('close', done);
  res.on('close', done);
}

function omitReply<T extends { reply?: unknown }>(r: T): Omit<T, 'reply'> {
  const { reply: _reply, ...rest } = r;
  return rest;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, 'too large');
    chunks.push(c as Buffer);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, any>;
  } catch {
    throw new HttpError(400, 'the body must be a JSON object');
  }
}
