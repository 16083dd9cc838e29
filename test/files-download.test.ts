/**
 * fetchSharedFile (src/slack/files.ts) over real HTTP: the file is streamed into the path given,
 * and a body longer than the limit is cut off as it arrives, whatever files.info said its size was.
 */
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSharedFile } from '../src/slack/files.ts';

const TOKEN = 'xoxb-test';
const dir = mkdtempSync(join(tmpdir(), 'dealdesk-download-'));
let server: Server;
let origin = '';
const served = new Map<string, Buffer>();
const auth: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    auth.push(req.headers.authorization);
    const body = served.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    // One file says its length, as Slack's file host does; the others come chunked.
    res.writeHead(200, { 'content-type': 'text/csv', ...(req.url === '/files/declared' ? { 'content-length': String(body.length) } : {}) });
    // In chunks, as a large file arrives.
    for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** files.info as Slack answers it, saying the file is `size` bytes. */
const clientSaying = (size: number, path: string) =>
  ({ files: { info: async () => ({ ok: true, file: { id: 'F1', name: 'books.csv', size, user: 'U1', url_private_download: `${origin}${path}` } }) } }) as unknown as WebClient;

describe('fetchSharedFile', () => {
  it('streams the file into the path, with the bot token', async () => {
    const bytes = Buffer.from('number;client\r\n'.repeat(20_000));
    served.set('/files/ok', bytes);
    const path = join(dir, 'ok.csv');
    const got = await fetchSharedFile(clientSaying(bytes.length, '/files/ok'), TOKEN, `${origin}/api/`, 'F1', 1_000_000, path);
    expect(got).toEqual({ ok: true, file: { id: 'F1', name: 'books.csv', size: bytes.length, user: 'U1' } });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(auth.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses a body past the limit as it arrives, though files.info said it was small', async () => {
    served.set('/files/big', Buffer.alloc(3 * 1024 * 1024, 0x61));
    const got = await fetchSharedFile(clientSaying(10, '/files/big'), TOKEN, `${origin}/api/`, 'F1', 1024 * 1024, join(dir, 'big.csv'));
    expect(got.ok).toBe(false);
    expect(got.ok === false && got.problem).toBe('too-large');
    expect(got.ok === false && got.file!.size).toBeGreaterThan(1024 * 1024);
  });

  it('refuses a response whose length is past the limit without reading it', async () => {
    served.set('/files/declared', Buffer.alloc(2 * 1024 * 1024, 0x61));
    const path = join(dir, 'declared.csv');
    const got = await fetchSharedFile(clientSaying(10, '/files/declared'), TOKEN, `${origin}/api/`, 'F1', 1024 * 1024, path);
    expect(got).toEqual({ ok: false, problem: 'too-large', file: { id: 'F1', name: 'books.csv', size: 2 * 1024 * 1024, user: 'U1' } });
    expect(existsSync(path)).toBe(false);
  });

  it('a file that is not there is unreadable, and one described as too large is never fetched', async () => {
    const before = auth.length;
    const missing = await fetchSharedFile(clientSaying(10, '/files/none'), TOKEN, `${origin}/api/`, 'F1', 1024, join(dir, 'none.csv'));
    expect(missing).toMatchObject({ ok: false, problem: 'unreadable' });
    const huge = await fetchSharedFile(clientSaying(5000, '/files/ok'), TOKEN, `${origin}/api/`, 'F1', 1024, join(dir, 'huge.csv'));
    expect(huge).toMatchObject({ ok: false, problem: 'too-large' });
    expect(auth.length).toBe(before + 1);
  });
});
