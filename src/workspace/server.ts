/**
 * The local workspace: `npm start` without SLACK_BOT_TOKEN.
 *
 * One process holds three loopback servers:
 *  - the Slack stand-in (./emulator.ts — the same one the tests use): the bot's Web API, upload
 *    URLs and response_urls;
 *  - the bot itself (startDealdesk, HTTP mode) — it gets every interaction as Slack would send
 *    it: signed POSTs to /slack/events;
 *  - this server: the web page (./page/) and the small JSON API it drives, on PORT.
 *
 * The page never talks to the bot directly: a typed slash command, a click, a modal submit all
 * become the emulator's deliveries, and what the page shows is the emulator's conversation state.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadConfig, type Config } from '../config.ts';
import { createLogger, type AppLogger } from '../log.ts';
import { startDealdesk, type Running } from '../server.ts';
import type { SenderOptions } from '../slack/outbox-sender.ts';
import { seedDemo, type DemoSummary } from './demo.ts';
import {
  actionPayload,
  blockIdAt,
  EMU_BOT_USER_ID,
  findElement,
  optionFor,
  SlackEmulator,
  type BotReply,
  type ConvEphemeral,
  type ConvMessage,
  type ConvView,
  type EmulatorSnapshot,
  type StateChange,
} from './emulator.ts';

// ---------------------------------------------------------------------------------------------
// The people and channels of the local workspace
// ---------------------------------------------------------------------------------------------

export const WORKSPACE_NAME = 'Vitosha Trading';

export type Role = 'seller' | 'legal' | 'finance' | 'admin';

export interface Person {
  id: string;
  /** The handle, as in `@maria`. */
  name: string;
  realName: string;
  title: string;
  role: Role;
  color: string;
}

export const PEOPLE: readonly Person[] = [
  { id: 'U0SELLER', name: 'maria', realName: 'Maria Petrova', title: 'Account executive', role: 'seller', color: '#2f7d6d' },
  { id: 'U0LEGAL', name: 'lea', realName: 'Lea Ivanova', title: 'Legal counsel', role: 'legal', color: '#7b4fa0' },
  { id: 'U0FINANCE', name: 'filip', realName: 'Filip Georgiev', title: 'Finance controller', role: 'finance', color: '#b4632a' },
  { id: 'U0ADMIN', name: 'ana', realName: 'Ana Dimitrova', title: 'Operations lead · dealdesk admin', role: 'admin', color: '#2b6cb0' },
];

export const CHANNELS = [
  { id: 'C0SALES', name: 'sales', topic: 'Deals, the funnel and ABC digests', key: 'sales' },
  { id: 'C0LEGAL', name: 'legal', topic: 'Contract approvals for legal', key: 'legal' },
  { id: 'C0FINANCE', name: 'finance', topic: 'Contract approvals, overdue invoices and payments', key: 'finance' },
] as const;

/** The fixed bot token of the local workspace: it never leaves loopback. */
export const LOCAL_BOT_TOKEN = 'xoxb-local-dealdesk-workspace';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../manifest.yml', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface LocalWorkspaceOptions {
  /** Port of the web page; 0 picks a free one (see the returned `port`). */
  port: number;
  /** Seed the demo company once the bot is up (in the background; see `demoDone`). */
  demo: boolean;
  /** SQLite file; default DATABASE_PATH from `env`, else ./data/dealdesk.db. */
  databasePath?: string;
  logger?: AppLogger;
  /** Where DATABASE_PATH, DEALDESK_TZ, LOG_LEVEL and DEALDESK_POLICY are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** Keep the conversations next to the database (`<db>.workspace.json`); default true. */
  persist?: boolean;
  /** Outbox pacing; the local stand-in has no rate limits, so the default is brisk. */
  outbox?: SenderOptions;
  /** Start afresh: delete the database and the kept conversations before starting (see localFiles). */
  reset?: boolean;
}

export interface LocalWorkspace {
  /** The page's port. */
  port: number;
  /** http://localhost:<port> */
  url: string;
  emu: SlackEmulator;
  bot: Running;
  config: Config;
  /** Settles when the demo seeding started by `demo: true` is over (undefined without it). */
  demoDone: Promise<DemoSummary> | undefined;
  /** With `reset: true`: the files deleted before starting. */
  wiped?: string[];
  /** What the page does, callable directly. */
  driver: WorkspaceDriver;
  stop(): Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Everything a person can do on the page, as Slack would deliver it to the bot. The JSON API
 * and the demo seeding both go through here.
 */
export class WorkspaceDriver {
  private readonly commands: { command: string; description: string; usage: string }[];
  private seeding: Promise<DemoSummary> | undefined;

  constructor(
    readonly emu: SlackEmulator,
    private readonly bot: () => Running,
    private readonly logger: AppLogger,
  ) {
    this.commands = readCommands();
  }

  person(id: unknown): Person {
    const p = PEOPLE.find((x) => x.id === id);
    if (!p) throw new HttpError(400, `unknown user ${String(id)}: one of ${PEOPLE.map((x) => x.id).join(', ')}`);
    return p;
  }

  /** The conversations `user` can see: the three channels and their own DM with the bot. */
  conversationOf(user: string, channel: unknown): string {
    const key = this.emu.conversationKey(String(channel ?? ''));
    if (CHANNELS.some((c) => c.id === key) || key === user) return key;
    throw new HttpError(404, `no conversation ${String(channel)} for ${user}`);
  }

  /** The channel id Slack would put in a payload: a DM's is D<user>. */
  slackChannelId(key: string): string {
    return /^[UW]/.test(key) ? `D${key}` : key;
  }

  state(user: string): Record<string, unknown> {
    const me = this.person(user);
    const conv = (id: string) => {
      const messages = this.emu.history(id).map((m) => this.messageJson(id, m));
      return { messages, ephemerals: this.emu.ephemeralsFor(user, id).map(ephemeralJson) };
    };
    return {
      workspace: { name: WORKSPACE_NAME },
      me: me.id,
      bot: { id: EMU_BOT_USER_ID, name: 'dealdesk' },
      users: [
        ...PEOPLE.map((p) => ({ ...p, initials: initials(p.realName) })),
        { id: EMU_BOT_USER_ID, name: 'dealdesk', realName: 'dealdesk', title: 'App', role: 'bot', color: '#1f4e79', initials: 'dd', isBot: true },
        { id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot', title: 'Slack', role: 'bot', color: '#4a154b', initials: 'sb', isBot: true },
      ],
      channels: CHANNELS.map(({ id, name, topic }) => ({ id, name, topic })),
      dms: [{ id: me.id, name: 'dealdesk', app: true }],
      conversations: Object.fromEntries([...CHANNELS.map((c) => c.id), me.id].map((id) => [id, conv(id)])),
      home: this.emu.homeView(user) ?? null,
      modals: this.emu.modalStack(user),
      commands: this.commands,
      seeding: this.seeding !== undefined,
    };
  }

  private messageJson(channel: string, m: ConvMessage): Record<string, unknown> {
    const replies = m.thread_ts === m.ts ? this.emu.replies(channel, m.ts) : [];
    return { ...m, replies, reply_count: replies.length, reply_users: [...new Set(replies.map((r) => r.user))] };
  }

  /** A slash command typed into a conversation: `/client add Acme`. */
  async command(user: string, channel: string, typed: string): Promise<{ ok: boolean; status?: number; error?: string; reply?: BotReply }> {
    this.person(user);
    const key = this.conversationOf(user, channel);
    const m = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(typed.trim());
    if (!m) throw new HttpError(400, 'a command starts with /, e.g. /client help');
    const command = `/${m[1]!.toLowerCase()}`;
    const text = (m[2] ?? '').trim();
    if (!this.commands.some((c) => c.command === command)) {
      this.emu.notice(user, key, `\`${command}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`, typed.trim());
      return { ok: false, error: 'unknown_command' };
    }
    let reply: BotReply;
    try {
      reply = await withTimeout(
        this.emu.slashCommand({ command, text: this.emu.escapeCommandText(text), user_id: user, channel_id: this.slackChannelId(key) }),
        3000,
      );
    } catch (err) {
      const timeout = err instanceof TimeoutError;
      this.emu.notice(user, key, `\`${command}\` failed with the error "${timeout ? 'operation_timeout' : 'dispatch_failed'}"`, `${command} ${text}`.trim());
      if (!timeout) this.logger.warn(`local workspace: ${command} could not reach the bot: ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, error: timeout ? 'operation_timeout' : 'dispatch_failed' };
    }
    if (reply.status !== 200) {
      this.emu.notice(user, key, `\`${command}\` failed with the error "http_service_error" (HTTP ${reply.status})`, `${command} ${text}`.trim());
      return { ok: false, status: reply.status, error: 'http_service_error' };
    }
    return { ok: true, status: reply.status, reply };
  }

  /** A person's plain message (not a command); dealdesk does not read messages, so only people see it. */
  message(user: string, channel: string, text: string, threadTs?: string): ConvMessage {
    this.person(user);
    const key = this.conversationOf(user, channel);
    if (text.trim() === '') throw new HttpError(400, 'empty message');
    let root: string | undefined;
    if (threadTs !== undefined) {
      // "Reply in thread": to a message of this conversation; a reply to a reply joins its thread, as in Slack.
      const parent = this.emu.message(key, threadTs);
      if (!parent) throw new HttpError(404, `no message ${threadTs} in ${key} to reply to`);
      root = parent.thread_ts ?? parent.ts;
    }
    return this.emu.postAsUser(user, key, this.emu.escapeCommandText(text.trim()), root);
  }

  /**
   * A click (or pick) on an interactive element: in a message (`channel` + `ts`, which may be an
   * ephemeral of this user) or in a view (`viewId`: a modal or the Home tab).
   */
  async action(p: { user: string; channel?: string; ts?: string; viewId?: string; actionId: string; blockId?: string; value?: string; selected?: unknown; values?: Record<string, any> }): Promise<{ ok: boolean; status: number }> {
    const user = this.person(p.user).id;
    if (typeof p.actionId !== 'string' || p.actionId === '') throw new HttpError(400, 'actionId is required');
    let reply: BotReply;
    if (p.viewId) {
      const found = this.emu.findView(String(p.viewId));
      if (!found || found.user !== user) throw new HttpError(404, `no view ${p.viewId} for ${user}`);
      if (p.values) this.emu.setViewState(found.view.id, stateValues(found.view, p.values, false));
      const hit = findElement(found.view.blocks, p.actionId, p.blockId, p.value);
      if (!hit) throw new HttpError(404, `no element ${p.actionId} in view ${p.viewId}`);
      reply = await this.emu.blockAction({
        user_id: user,
        action_id: p.actionId,
        container: { type: 'view', view_id: found.view.id },
        view: viewPayload(found.view),
        actions: [actionPayload(hit, p)],
        state_values: found.view.state.values,
      });
    } else {
      const key = this.conversationOf(user, p.channel);
      const ts = String(p.ts ?? '');
      const eph = this.emu.ephemeralsFor(user, key).find((e) => e.ts === ts);
      const msg = eph ? undefined : this.emu.message(key, ts);
      if (!eph && !msg) throw new HttpError(404, `no message ${ts} in ${key}`);
      const hit = findElement((eph ?? msg)!.blocks ?? [], p.actionId, p.blockId, p.value);
      if (!hit) throw new HttpError(404, `no element ${p.actionId} in message ${ts}`);
      const channelId = this.slackChannelId(key);
      const threadTs = (eph ?? msg)!.thread_ts;
      reply = await this.emu.blockAction({
        user_id: user,
        action_id: p.actionId,
        channel_id: channelId,
        message_ts: ts,
        ...(msg ? { message: messagePayload(msg) } : {}),
        container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: eph !== undefined, ...(threadTs && threadTs !== ts ? { thread_ts: threadTs } : {}) },
        actions: [actionPayload(hit, p)],
      });
    }
    if (reply.status !== 200) this.logger.warn(`local workspace: the bot answered a click on ${p.actionId} with HTTP ${reply.status}`);
    return { ok: reply.status === 200, status: reply.status };
  }

  /** Submit the modal `viewId` with what was typed; `values` by block_id → action_id (or block_id → value). */
  async submit(user: string, viewId: string, values: Record<string, any> = {}): Promise<{ ok: boolean; status?: number; responseAction: string; errors?: Record<string, string> }> {
    this.person(user);
    const view = this.emu.modalStack(user).find((v) => v.id === viewId);
    if (!view) throw new HttpError(404, `no open modal ${viewId} for ${user}`);
    const state = stateValues(view, values, true);
    // Slack checks required fields and input limits itself, before the app sees anything.
    const problems = clientSideProblems(view, state);
    if (Object.keys(problems).length > 0) {
      this.emu.setViewState(view.id, state);
      this.emu.setViewErrors(view.id, problems);
      return { ok: false, responseAction: 'errors', errors: problems };
    }
    const reply = await this.emu.viewSubmission({ user_id: user, view_id: view.id, callback_id: view.callback_id, state_values: state });
    if (reply.status !== 200) {
      this.emu.setViewErrors(view.id, { _: `We had some trouble connecting (HTTP ${reply.status}). Try again?` });
      return { ok: false, status: reply.status, responseAction: 'errors' };
    }
    const body = reply.body && typeof reply.body === 'object' ? reply.body : {};
    return { ok: true, status: reply.status, responseAction: String(body.response_action ?? 'close'), ...(body.errors ? { errors: body.errors } : {}) };
  }

  async close(user: string, viewId: string, all = false): Promise<void> {
    this.person(user);
    await this.emu.closeView(user, viewId, all);
  }

  dismiss(user: string, id: string): boolean {
    this.person(user);
    return this.emu.dismissEphemeral(user, id);
  }

  /** The user opened the app's Home (or Messages) tab: Slack sends app_home_opened. */
  async openApp(user: string, tab: 'home' | 'messages'): Promise<{ ok: boolean; status: number }> {
    this.person(user);
    const home = this.emu.homeView(user);
    const reply = await this.emu.event({ type: 'app_home_opened', user, channel: `D${user}`, tab, ...(home && tab === 'home' ? { view: viewPayload(home) } : {}) });
    return { ok: reply.status === 200, status: reply.status };
  }

  /** Seeds the demo company (once at a time; a second call waits for the first). */
  demo(): Promise<DemoSummary> {
    if (!this.seeding) {
      this.seeding = seedDemo(this, this.bot().db, this.logger).finally(() => {
        this.seeding = undefined;
        this.emu.emit('change', { kind: 'reset' } satisfies StateChange);
      });
      this.emu.emit('change', { kind: 'reset' } satisfies StateChange);
    }
    return this.seeding;
  }

  /** Resolves with the first message (now or later) in `channel` that `pred` accepts. */
  waitForMessage(channel: string, pred: (m: ConvMessage) => boolean, timeoutMs = 15_000): Promise<ConvMessage> {
    return this.waitFor(() => this.emu.messages(channel).find(pred), timeoutMs, `a message in ${channel}`);
  }

  waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        done();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`local workspace: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.emu.off('change', check);
      };
      this.emu.on('change', check);
    });
  }
}

/**
 * Starts the stand-in for Slack, the bot against it, and the page on 127.0.0.1:`port`.
 * Throws ConfigError for a bad DEALDESK_TZ / LOG_LEVEL / DEALDESK_POLICY.
 */
export async function startLocalWorkspace(opts: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const env = opts.env ?? process.env;
  const databasePath = opts.databasePath ?? nonEmpty(env.DATABASE_PATH) ?? './data/dealdesk.db';
  const wiped = opts.reset ? wipeLocalWorkspace(databasePath) : undefined;
  const emu = await SlackEmulator.start({ signingSecret: randomBytes(16).toString('hex'), botToken: LOCAL_BOT_TOKEN, tsBase: Math.floor(Date.now() / 1000), keepCalls: 2000 });
  let bot: Running | undefined;
  let server: Server | undefined;
  let persistence: Persistence | undefined;
  try {
    for (const p of PEOPLE) emu.setUser(p.id, { name: p.name, real_name: p.realName, tz: nonEmpty(env.DEALDESK_TZ) ?? 'UTC' });
    for (const c of CHANNELS) emu.setChannel(c.id, { name: c.name, topic: c.topic });
    const config = loadConfig({
      SLACK_BOT_TOKEN: LOCAL_BOT_TOKEN,
      SLACK_SIGNING_SECRET: emu.signingSecret,
      SLACK_API_URL: emu.apiUrl,
      PORT: '0',
      // The page's stand-in bot serves its metrics on a loopback port of its own choosing.
      METRICS_PORT: env.METRICS_PORT ?? '0',
      DATABASE_PATH: databasePath,
      LEGAL_CHANNEL_ID: 'C0LEGAL',
      FINANCE_CHANNEL_ID: 'C0FINANCE',
      SALES_CHANNEL_ID: 'C0SALES',
      LEGAL_APPROVERS: 'U0LEGAL',
      FINANCE_APPROVERS: 'U0FINANCE',
      ADMINS: 'U0ADMIN',
      DEALDESK_TZ: env.DEALDESK_TZ ?? 'UTC',
      LOG_LEVEL: env.LOG_LEVEL,
      DEALDESK_POLICY: env.DEALDESK_POLICY,
    });
    const logger = opts.logger ?? createLogger(config.logLevel, [config.botToken, config.signingSecret]);
    if (opts.persist !== false && databasePath !== ':memory:') {
      persistence = new Persistence(emu, databasePath, logger);
      persistence.load();
    }
    bot = await startDealdesk(config, { host: '127.0.0.1', logger, outbox: opts.outbox ?? { perChannelMs: 100, pollMs: 250 } });
    emu.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    const running = bot;
    const driver = new WorkspaceDriver(emu, () => running, logger);
    const listening = await listen(driver, opts.port, logger);
    server = listening.server;
    const port = listening.port;
    const demoDone = opts.demo
      ? driver.demo().catch((err: unknown) => {
          logger.error('local workspace: the demo could not be seeded', err);
          throw err;
        })
      : undefined;
    // An unobserved rejection must not take the process down; callers may still await it.
    demoDone?.catch(() => undefined);
    let stopped = false;
    const httpServer = server;
    return {
      port,
      url: `http://localhost:${port}`,
      emu,
      bot,
      config,
      demoDone,
      ...(wiped ? { wiped } : {}),
      driver,
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((r) => {
          httpServer.close(() => r());
          httpServer.closeAllConnections();
        });
        await running.stop();
        persistence?.stop();
        await emu.close();
      },
    };
  } catch (err) {
    if (server) server.close();
    await bot?.stop().catch(() => undefined);
    persistence?.stop();
    await emu.close();
    throw err;
  }
}

/**
 * `npm start` without SLACK_BOT_TOKEN: start and print the address; the caller (src/main.ts)
 * stops it on SIGTERM/SIGINT. Exits with one sentence when it cannot start.
 */
export async function runLocalWorkspace(opts: { port: number; demo: boolean; reset?: boolean }): Promise<LocalWorkspace> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write('dealdesk cannot start the local workspace: PORT must be a port number from 0 to 65535.\n');
    process.exit(1);
  }
  let ws: LocalWorkspace;
  try {
    ws = await startLocalWorkspace(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const msg =
      e.code === 'EADDRINUSE'
        ? `port ${opts.port} is already in use: set PORT to a free port (e.g. PORT=3001 npm start)`
        : e.name === 'ConfigError'
          ? e.message
          : e.message ?? String(err);
    process.stderr.write(`dealdesk cannot start the local workspace: ${msg}\n`);
    process.exit(1);
  }
  if (ws.wiped) process.stdout.write(`dealdesk --reset: ${ws.wiped.length === 0 ? 'nothing to delete' : `deleted ${ws.wiped.join(', ')}`}; starting afresh\n`);
  process.stdout.write(`dealdesk local workspace: ${ws.url}\n`);
  process.stdout.write(`  (no SLACK_BOT_TOKEN, so dealdesk runs against a built-in stand-in for Slack; database ${ws.config.databasePath})\n`);
  if (ws.demoDone) {
    process.stdout.write('  seeding the demo company…\n');
    ws.demoDone.then(
      (s) => process.stdout.write(s.skipped ? `  demo: ${s.message}\n` : `  demo ready: ${s.message}\n`),
      (err: unknown) => process.stderr.write(`  demo failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  }
  return ws;
}

// ---------------------------------------------------------------------------------------------
// HTTP: the page and the JSON API
// ---------------------------------------------------------------------------------------------

async function listen(driver: WorkspaceDriver, port: number, logger: AppLogger): Promise<{ server: Server; port: number }> {
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
  const b = await readJson(req);
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string') throw new HttpError(400, `${name} is required`);
    return v;
  };
  switch (path) {
    case '/api/command':
      return sendJson(res, 200, omitReply(await d.command(str(b.user, 'user'), str(b.channel, 'channel'), str(b.text, 'text'))));
    case '/api/message':
      return sendJson(res, 200, { ok: true, message: d.message(str(b.user, 'user'), str(b.channel, 'channel'), str(b.text, 'text'), typeof b.threadTs === 'string' ? b.threadTs : undefined) });
    case '/api/action':
      return sendJson(res, 200, await d.action({ ...b, user: str(b.user, 'user'), actionId: str(b.actionId, 'actionId') }));
    case '/api/submit':
      return sendJson(res, 200, await d.submit(str(b.user, 'user'), str(b.viewId, 'viewId'), b.values && typeof b.values === 'object' ? b.values : {}));
    case '/api/close':
      await d.close(str(b.user, 'user'), str(b.viewId, 'viewId'), b.all === true);
      return sendJson(res, 200, { ok: true });
    case '/api/dismiss':
      return sendJson(res, 200, { ok: d.dismiss(str(b.user, 'user'), str(b.id, 'id')) });
    case '/api/home':
      return sendJson(res, 200, await d.openApp(str(b.user, 'user'), b.tab === 'messages' ? 'messages' : 'home'));
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

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1_000_000) throw new HttpError(413, 'too large');
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

// ---------------------------------------------------------------------------------------------
// Payloads as Slack builds them from what the user sees
// ---------------------------------------------------------------------------------------------

function messagePayload(m: ConvMessage): Record<string, unknown> {
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

function viewPayload(v: ConvView): Record<string, unknown> {
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

/** What Slack's own client refuses before submitting: empty required inputs, bad numbers, lengths. */
function clientSideProblems(view: ConvView, state: Record<string, Record<string, any>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, block] of view.blocks.entries()) {
    if (block?.type !== 'input' || !block.element?.action_id) continue;
    const blockId = blockIdAt(block, index);
    const el = block.element;
    const v = state[blockId]?.[el.action_id] ?? {};
    const value = v.value ?? v.selected_option ?? v.selected_date ?? v.selected_time ?? v.selected_user ?? v.selected_conversation ?? v.selected_channel ?? (v.selected_options?.length ? v.selected_options : v.selected_users?.length ? v.selected_users : null);
    if (value === null || value === undefined || value === '') {
      if (block.optional !== true) out[blockId] = 'Please complete this required field.';
      continue;
    }
    if (el.type === 'number_input') {
      const n = Number(value);
      if (!/^-?\d+(\.\d+)?$/.test(String(value).trim()) || !Number.isFinite(n)) out[blockId] = 'Please enter a number.';
      else if (!el.is_decimal_allowed && !Number.isInteger(n)) out[blockId] = 'Please enter a whole number.';
      else if (el.min_value !== undefined && n < Number(el.min_value)) out[blockId] = `Please enter a number of at least ${el.min_value}.`;
      else if (el.max_value !== undefined && n > Number(el.max_value)) out[blockId] = `Please enter a number of at most ${el.max_value}.`;
    }
    if (el.type === 'plain_text_input' && typeof value === 'string') {
      if (el.min_length !== undefined && value.length < el.min_length) out[blockId] = `Please enter at least ${el.min_length} characters.`;
      if (el.max_length !== undefined && value.length > el.max_length) out[blockId] = `Please enter at most ${el.max_length} characters.`;
    }
  }
  return out;
}

function ephemeralJson(e: ConvEphemeral): ConvEphemeral {
  return e;
}

// ---------------------------------------------------------------------------------------------
// Keeping the conversations next to the database
// ---------------------------------------------------------------------------------------------

/** Where the conversations of the workspace on `databasePath` are kept. */
function keptFiles(databasePath: string): { stateFile: string; filesDir: string } {
  const abs = resolve(databasePath);
  return { stateFile: join(dirname(abs), `${basename(abs)}.workspace.json`), filesDir: join(dirname(abs), `${basename(abs)}.files`) };
}

/**
 * `npm start -- --reset`: deletes the local workspace's database (with its -wal, -shm and
 * -journal) and its kept conversations and files, so the next start begins empty. Returns what
 * it deleted. Only ever called for the local workspace, before anything opens the database.
 */
export function wipeLocalWorkspace(databasePath: string): string[] {
  if (databasePath === ':memory:') return [];
  const { stateFile, filesDir } = keptFiles(databasePath);
  const abs = resolve(databasePath);
  const gone: string[] = [];
  for (const path of [abs, `${abs}-wal`, `${abs}-shm`, `${abs}-journal`, stateFile, `${stateFile}.tmp`, filesDir]) {
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    gone.push(path);
  }
  return gone;
}

/**
 * The bot's database remembers which message each approval lives in (channel + ts); without the
 * conversations those messages would be gone after a restart. So the emulator's durable state
 * is written next to the database: `<db>.workspace.json` and uploaded files in `<db>.files/`.
 */
class Persistence {
  private readonly stateFile: string;
  private readonly filesDir: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly onChange = (c: StateChange) => {
    if (c.kind === 'file' && c.fileId) this.saveFile(c.fileId);
    if (c.kind === 'message' || c.kind === 'home' || c.kind === 'file' || c.kind === 'reset') this.schedule();
  };

  constructor(
    private readonly emu: SlackEmulator,
    databasePath: string,
    private readonly logger: AppLogger,
  ) {
    ({ stateFile: this.stateFile, filesDir: this.filesDir } = keptFiles(databasePath));
  }

  load(): void {
    if (existsSync(this.stateFile)) {
      try {
        const snap = JSON.parse(readFileSync(this.stateFile, 'utf8')) as EmulatorSnapshot;
        if (snap.version === 1 && Array.isArray(snap.messages)) this.emu.restore(snap);
      } catch (err) {
        this.logger.warn(`local workspace: could not read ${this.stateFile}; starting with empty channels`, err);
      }
    }
    if (existsSync(this.filesDir)) {
      for (const name of readdirSync(this.filesDir)) this.emu.uploads.set(name, readFileSync(join(this.filesDir, name)));
    }
    this.emu.on('change', this.onChange);
  }

  stop(): void {
    this.emu.off('change', this.onChange);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.save();
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, 300);
    this.timer.unref();
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.stateFile), { recursive: true });
      const tmp = `${this.stateFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.emu.snapshot()));
      renameSync(tmp, this.stateFile);
    } catch (err) {
      this.logger.warn(`local workspace: could not save ${this.stateFile}`, err);
    }
  }

  private saveFile(id: string): void {
    const bytes = this.emu.uploads.get(id);
    if (!bytes || !/^[A-Za-z0-9]+$/.test(id)) return;
    try {
      mkdirSync(this.filesDir, { recursive: true });
      writeFileSync(join(this.filesDir, id), bytes);
    } catch (err) {
      this.logger.warn(`local workspace: could not save file ${id}`, err);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s : undefined;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

/** The slash commands, their descriptions and usage hints, from manifest.yml. */
function readCommands(): { command: string; description: string; usage: string }[] {
  try {
    const m = parseYaml(readFileSync(MANIFEST, 'utf8')) as { features?: { slash_commands?: { command: string; description?: string; usage_hint?: string }[] } };
    const list = m.features?.slash_commands ?? [];
    if (list.length > 0) return list.map((c) => ({ command: c.command, description: c.description ?? '', usage: c.usage_hint ?? '' }));
  } catch {
    /* fall through to the built-in list */
  }
  return ['/client', '/contract', '/invoice', '/delivery', '/funnel', '/abc', '/dealdesk'].map((command) => ({ command, description: '', usage: 'help' }));
}
