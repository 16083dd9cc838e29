/**
 * SlackEmulator — an in-process stand-in for Slack, for the tests and for the local workspace
 * (`npm start` without SLACK_BOT_TOKEN, see ./server.ts). One emulator serves both.
 *
 * It plays both sides of Slack that a Bolt app in HTTP mode talks to:
 *
 *  1. The Web API (`https://slack.com/api/<method>`): a `node:http` server on 127.0.0.1 that
 *     records every call and answers like Slack does. Point Bolt at it with
 *     `clientOptions: { slackApiUrl: emu.apiUrl }`.
 *     The same server also hosts the file-upload URLs handed out by `files.getUploadURLExternal`
 *     and the per-interaction `response_url`s.
 *
 *  2. The platform that delivers interactions to the bot: slash commands, block actions,
 *     view submissions and Events API callbacks, POSTed to `botUrl` and signed exactly as Slack
 *     signs them (v0 HMAC-SHA256), so the app's real signature verification is exercised.
 *
 * From what it records it keeps the *conversation state* a Slack client would show:
 *  - per conversation (a channel id; a DM with the bot is keyed by the user's id, whether the
 *    bot posted to `U…` or to the `D…` id conversations.open gave it) the messages of
 *    chat.postMessage (with `thread_ts` → thread replies), chat.update (in place), chat.delete,
 *    and files shared by files.completeUploadExternal (an image block pointing at `/files/<id>`);
 *  - ephemeral messages per user: chat.postEphemeral, the ack body of a slash command, and
 *    POSTs to response_urls (`replace_original` / `delete_original` / `response_type: in_channel`);
 *  - per user: the App Home view (views.publish) and the modal stack (views.open / push / update,
 *    and what the bot answers to a view_submission: errors, update, push, clear, or close);
 *  - every change emits `'change'` (a {@link StateChange}).
 *
 * Notes on how @slack/web-api v8 talks to the Web API (see node_modules/@slack/web-api/dist/WebClient.js):
 *  - every call is `POST <slackApiUrl><method>` with an `application/x-www-form-urlencoded` body;
 *    values that are not string/number/boolean (blocks, view, files, …) are JSON-encoded strings;
 *  - the token travels as `Authorization: Bearer …`; when passed per call (`{ token }`, as Bolt
 *    does for `auth.test`) it is *also* in the form body;
 *  - if any argument is a Buffer the body becomes multipart/form-data instead;
 *  - HTTP 429 with a numeric `Retry-After` pauses the client's queue for that many seconds and is
 *    then retried per `retryConfig`; any other non-200 status throws a WebAPIHTTPError, which
 *    p-retry also retries (only AbortErrors stop it) — so with the default retry policy a failing
 *    call can take a long time to surface. Tests should use a fast `retryConfig`.
 *  - `files.uploadV2` = `files.getUploadURLExternal` (one per file) → POST of the bytes to the
 *    returned `upload_url` as multipart/form-data (a single part named `body`, the token in the
 *    Authorization header; any non-200 answer fails the upload) → `files.completeUploadExternal`.
 */
import { EventEmitter } from 'node:events';
import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** One Web API call received by the emulator. */
export interface ApiCall {
  method: string;
  /** Arguments, with JSON-carrying fields (blocks, view, …) parsed back; `token` is moved out. */
  args: Record<string, any>;
  /** From `Authorization: Bearer …`, else from a `token` body field. */
  token?: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** True when the call was answered by a `failNext()` failure instead of the normal handler. */
  failed?: boolean;
  /** The JSON body the emulator answered with (for failNext with a non-JSON body: that body). */
  response?: any;
}

/** One POST the app made to a `response_url` (e.g. via Bolt's `respond()`). */
export interface ResponseUrlPost {
  /** The id in `/response/<id>`; equals the `responseUrlId` returned by slashCommand/blockAction. */
  id: string;
  /** Parsed JSON body (raw text if it was not JSON). */
  body: any;
  at: number;
}

/** The bot's HTTP answer to one of our deliveries (i.e. what its 3-second `ack()` produced). */
export interface BotReply {
  status: number;
  /** Parsed JSON when the answer is JSON, else the raw text ('' for an empty ack). */
  body: any;
  /** Raw answer text. */
  text: string;
}

export interface SendOpts {
  /** Sets `X-Slack-Retry-Num` (Slack's redelivery of an unacknowledged request). */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`; defaults to "http_timeout" when retryNum is set. */
  retryReason?: string;
  /** Unix seconds for `X-Slack-Request-Timestamp` (and the signature), to forge stale requests. */
  timestamp?: number;
  /** Sign with another secret, to forge. */
  secret?: string;
  /** Send without X-Slack-Signature / X-Slack-Request-Timestamp. */
  unsigned?: boolean;
}

export interface EmulatedUser {
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
}

/** A canned HTTP answer used by failNext(). */
export interface FailureAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is; omitted → `{ ok: false, error: "ratelimited" | "http_<status>" }`. */
  body?: any;
}

/** Custom Web API method implementation; return the full JSON answer (including `ok`). */
export type MethodHandler = (args: Record<string, any>, call: ApiCall) => Record<string, any>;

export interface StartOpts {
  signingSecret: string;
  botToken?: string;
  /** Unix seconds of the first message ts (default 1700000000). The local workspace uses the
   *  wall clock, so message ts stay unique across restarts on the same database. */
  tsBase?: number;
  /** Keep at most this many recorded calls and response_url POSTs (oldest dropped); default: all. */
  keepCalls?: number;
}

/** A file shared into a conversation (files.completeUploadExternal with a channel_id). */
export interface ConvFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  /** Where the bytes are served, relative to the emulator's (and the workspace's) base URL. */
  url: string;
}

/** A message as a Slack client shows it. */
export interface ConvMessage {
  ts: string;
  /** Conversation key: the channel id, or the user's id for a DM with the bot. */
  channel: string;
  /** Who posted it: EMU_BOT_USER_ID for the bot, else a user id. */
  user: string;
  text: string;
  blocks?: any[];
  attachments?: any[];
  /** Set on thread replies (the parent's ts); a parent has `thread_ts === ts` once replied to. */
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: ConvFile[];
  /** Wall-clock ms it was posted / last edited. */
  at: number;
  edited?: number;
  /** A deleted parent that still has replies shows as a tombstone. */
  deleted?: boolean;
  /** For an `in_channel` answer to a slash command: the command as typed. */
  command?: string;
}

/** A message only one user sees ("Only visible to you"). */
export interface ConvEphemeral {
  id: string;
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: any[];
  thread_ts?: string;
  at: number;
  /** The slash command it answers, as typed. */
  command?: string;
  /** Who it is shown as from (the bot, or USLACKBOT for the platform's own notices). */
  from: string;
  /** The response_url it came through, if any. */
  responseUrlId?: string;
}

/** A modal or Home tab view, as stored (the Web API's view object, plus what the user sees). */
export interface ConvView {
  id: string;
  type: string;
  title?: any;
  submit?: any;
  close?: any;
  blocks: any[];
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  state: { values: Record<string, Record<string, any>> };
  notify_on_close: boolean;
  clear_on_close: boolean;
  previous_view_id: string | null;
  root_view_id: string;
  /** `response_action: errors` from the last submission, by block_id. */
  errors?: Record<string, string>;
}

/** What changed; `'change'` listeners get one of these. */
export interface StateChange {
  kind: 'message' | 'ephemeral' | 'home' | 'modal' | 'file' | 'reset';
  channel?: string;
  user?: string;
  ts?: string;
  viewId?: string;
  fileId?: string;
}

/** The durable part of the conversation state (what a Slack client shows after a reload). */
export interface EmulatorSnapshot {
  version: 1;
  seq: number;
  tsBase: number;
  messages: ConvMessage[];
  homes: [string, ConvView][];
  files: [string, { name: string; title?: string; length?: number }][];
}

interface ResponseTarget {
  kind: 'command' | 'action';
  user: string;
  channel: string;
  threadTs?: string;
  /** The message clicked (for actions). */
  messageTs?: string;
  ephemeral?: boolean;
  command?: string;
  /** The latest ephemeral posted through this response_url (what replace_original replaces). */
  lastEphemeralId?: string;
  /** A replace/delete arrived before the command's ack was applied. */
  settledBeforeAck?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Constants mirroring a (fake) workspace
// ---------------------------------------------------------------------------------------------

export const EMU_TEAM_ID = 'T0001';
export const EMU_TEAM_DOMAIN = 'emulated';
export const EMU_BOT_USER_ID = 'UBOT';
export const EMU_BOT_ID = 'BBOT';
export const EMU_APP_ID = 'A0EMULATED';
/** The legacy "verification token" Slack still includes in payloads. */
export const EMU_VERIFICATION_TOKEN = 'emulated-verification-token';

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

const BASE_TS_SECONDS = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

export class SlackEmulator extends EventEmitter {
  /** e.g. "http://127.0.0.1:54321/api/" — pass as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** e.g. "http://127.0.0.1:54321" (no trailing slash). */
  readonly baseUrl: string;
  /** Every Web API call, in arrival order (failed ones included, flagged `failed: true`). */
  readonly calls: ApiCall[] = [];
  /** Every POST to a response_url, in arrival order. */
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  /** Bytes POSTed to upload URLs from files.getUploadURLExternal, by file id. */
  readonly uploads = new Map<string, Buffer>();
  /** Where deliveries go; set by the test, e.g. "http://127.0.0.1:3000/slack/events". */
  botUrl = '';

  readonly signingSecret: string;
  /** When set, Web API calls must carry this token (else `not_authed` / `invalid_auth`). */
  readonly botToken?: string;

  private readonly server: Server;
  private seq = 0;
  private readonly usergroups = new Map<string, string[]>();
  private readonly users = new Map<string, EmulatedUser>();
  private readonly failures = new Map<string, { remaining: number; answer: FailureAnswer }[]>();
  private readonly customHandlers = new Map<string, MethodHandler>();
  private readonly fileMeta = new Map<string, { name: string; title?: string; length?: number }>();
  private readonly callWaiters = new Set<() => void>();
  private readonly responseWaiters = new Set<() => void>();
  private tsBase = BASE_TS_SECONDS;
  private readonly keepCalls: number;

  // Conversation state (see the header).
  private readonly convs = new Map<string, ConvMessage[]>();
  private readonly ephemerals: ConvEphemeral[] = [];
  private readonly homes = new Map<string, ConvView>();
  private readonly modals = new Map<string, ConvView[]>();
  private readonly triggers = new Map<string, string>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly channelInfo = new Map<string, { name: string; topic?: string }>();

  private constructor(server: Server, opts: StartOpts) {
    super();
    // Every open page (Server-Sent Events) and every waiter listens for 'change'.
    this.setMaxListeners(0);
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.signingSecret = opts.signingSecret;
    if (opts.botToken !== undefined) this.botToken = opts.botToken;
    if (opts.tsBase !== undefined) this.tsBase = Math.floor(opts.tsBase);
    this.keepCalls = opts.keepCalls ?? Infinity;
  }

  static async start(opts: StartOpts): Promise<SlackEmulator> {
    let emu: SlackEmulator | undefined;
    const server = createServer((req, res) => {
      // The server starts listening before `emu` exists, but nothing can know its port yet.
      emu!.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator error: ${err instanceof Error ? err.stack : String(err)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    emu = new SlackEmulator(server, opts);
    return emu;
  }

  async close(): Promise<void> {
    for (const wake of [...this.callWaiters, ...this.responseWaiters]) wake();
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets from fetch() would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------ inspection & control

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first recorded call (past or future) of `method` matching `pred`.
   * Without `pred`, calls answered by failNext() are skipped (they did not "happen" as far as
   * Slack is concerned); a given `pred` sees every call, `failed` ones included.
   */
  waitFor(method: string, pred?: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const match = (c: ApiCall) => c.method === method && (pred ? pred(c) : !c.failed);
    return this.waitUntil(
      this.callWaiters,
      () => this.calls.find(match),
      timeoutMs,
      () =>
        `SlackEmulator.waitFor: no ${pred ? 'matching ' : ''}call to ${method} within ${timeoutMs}ms. ` +
        `Recorded calls: ${this.summarizeCalls()}`,
    );
  }

  /** Resolves with the first POST to any response_url (past or future) matching `pred`. */
  waitForResponse(pred?: (p: ResponseUrlPost) => boolean, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.waitUntil(
      this.responseWaiters,
      () => this.responseUrlPosts.find((p) => (pred ? pred(p) : true)),
      timeoutMs,
      () =>
        `SlackEmulator.waitForResponse: no ${pred ? 'matching ' : ''}response_url POST within ${timeoutMs}ms. ` +
        `Recorded response_url POSTs: ${
          this.responseUrlPosts.length === 0
            ? '(none)'
            : this.responseUrlPosts.map((p) => `${p.id}: ${JSON.stringify(p.body).slice(0, 120)}`).join('; ')
        }. Recorded API calls: ${this.summarizeCalls()}`,
    );
  }

  /** Forgets recorded traffic (calls, response_url posts, uploads), the conversation state and
   *  pending failNext()s. Configuration (users, channels, usergroups, custom handlers, botUrl) is kept. */
  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.uploads.clear();
    this.failures.clear();
    this.convs.clear();
    this.ephemerals.length = 0;
    this.homes.clear();
    this.modals.clear();
    this.triggers.clear();
    this.responseTargets.clear();
    this.changed({ kind: 'reset' });
  }

  setUsergroup(id: string, users: string[]): void {
    this.usergroups.set(id, [...users]);
  }

  setUser(id: string, info: EmulatedUser): void {
    this.users.set(id, { ...info });
  }

  /** Makes the next `times` calls of `method` get `answer` instead of the normal one.
   *  They are still recorded, with `failed: true`. Queued failures apply in order. */
  failNext(method: string, times: number, answer: FailureAnswer): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ remaining: times, answer });
    this.failures.set(method, queue);
  }

  /** Implements (or overrides) a Web API method; the handler returns the full JSON answer. */
  setMethodHandler(method: string, handler: MethodHandler): void {
    this.customHandlers.set(method, handler);
  }

  // ------------------------------------------------------------------ conversation state

  /** Names a channel: used for `channel_name` in payloads and by the local workspace. */
  setChannel(id: string, info: { name: string; topic?: string }): void {
    this.channelInfo.set(id, { ...info });
  }

  /** The channels named with setChannel(), in the order they were set. */
  listChannels(): { id: string; name: string; topic?: string }[] {
    return [...this.channelInfo].map(([id, info]) => ({ id, ...info }));
  }

  /** The users set with setUser(), in the order they were set. */
  listUsers(): (EmulatedUser & { id: string })[] {
    return [...this.users].map(([id, u]) => ({ id, ...u }));
  }

  /** The key a conversation's state is kept under: a DM with the bot (`D<user>` from
   *  conversations.open, or the user's id the bot posted to) is keyed by the user's id. */
  conversationKey(channel: string): string {
    const dm = /^D([UW][A-Z0-9_]+)$/.exec(channel);
    return dm ? dm[1]! : channel;
  }

  /** Every conversation that has messages. */
  conversationIds(): string[] {
    return [...this.convs.keys()];
  }

  /** Every message of a conversation, thread replies included, in ts order. */
  messages(channel: string): readonly ConvMessage[] {
    return this.convs.get(this.conversationKey(channel)) ?? [];
  }

  /** What the channel shows: top-level messages and replies sent "also to the channel". */
  history(channel: string): ConvMessage[] {
    return this.messages(channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast);
  }

  /** The replies in a thread (without its parent), oldest first. */
  replies(channel: string, threadTs: string): ConvMessage[] {
    return this.messages(channel).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  message(channel: string, ts: string): ConvMessage | undefined {
    return this.messages(channel).find((m) => m.ts === ts);
  }

  /** What only `user` sees, oldest first; in one conversation when `channel` is given. */
  ephemeralsFor(user: string, channel?: string): ConvEphemeral[] {
    const key = channel === undefined ? undefined : this.conversationKey(channel);
    return this.ephemerals.filter((e) => e.user === user && (key === undefined || e.channel === key));
  }

  /** The user dismissed an ephemeral message ("Dismiss" in Slack). */
  dismissEphemeral(user: string, id: string): boolean {
    const i = this.ephemerals.findIndex((e) => e.id === id && e.user === user);
    if (i < 0) return false;
    const [gone] = this.ephemerals.splice(i, 1);
    this.changed({ kind: 'ephemeral', channel: gone!.channel, user });
    return true;
  }

  /** Forgets ephemerals (all, or those `pred` picks), as a reload of Slack does. */
  clearEphemerals(pred: (e: ConvEphemeral) => boolean = () => true): void {
    const before = this.ephemerals.length;
    for (let i = this.ephemerals.length - 1; i >= 0; i--) if (pred(this.ephemerals[i]!)) this.ephemerals.splice(i, 1);
    if (this.ephemerals.length !== before) this.changed({ kind: 'ephemeral' });
  }

  /** The App Home view the bot last published for `user`. */
  homeView(user: string): ConvView | undefined {
    return this.homes.get(user);
  }

  /** The user's open modals, bottom first (the last one is on top). */
  modalStack(user: string): readonly ConvView[] {
    return this.modals.get(user) ?? [];
  }

  /** A modal or Home view by id, and whose it is. */
  findView(viewId: string): { user: string; view: ConvView; where: 'modal' | 'home' } | undefined {
    for (const [user, stack] of this.modals) {
      const view = stack.find((v) => v.id === viewId);
      if (view) return { user, view, where: 'modal' };
    }
    for (const [user, view] of this.homes) if (view.id === viewId) return { user, view, where: 'home' };
    return undefined;
  }

  /** Keeps what the user typed or picked in a view (`state.values`), as Slack does between interactions. */
  setViewState(viewId: string, values: Record<string, Record<string, any>>): void {
    const found = this.findView(viewId);
    if (!found) return;
    for (const [block, actions] of Object.entries(values)) {
      found.view.state.values[block] = { ...found.view.state.values[block], ...actions };
    }
  }

  /** Errors shown under a modal's inputs, by block_id (what Slack's client itself refuses). */
  setViewErrors(viewId: string, errors: Record<string, string>): void {
    const found = this.findView(viewId);
    if (!found) return;
    found.view.errors = { ...errors };
    this.changed({ kind: 'modal', user: found.user, viewId });
  }

  /**
   * The user closes a modal: it and any pushed on top of it go (with `all`, the whole stack).
   * Views with `notify_on_close` are reported to the bot as `view_closed`.
   */
  async closeView(user: string, viewId: string, all = false): Promise<void> {
    const stack = this.modals.get(user) ?? [];
    const i = all ? 0 : stack.findIndex((v) => v.id === viewId);
    if (i < 0 || stack.length === 0) return;
    const closed = stack.splice(i);
    if (stack.length === 0) this.modals.delete(user);
    this.changed({ kind: 'modal', user, viewId });
    for (const v of closed.reverse()) {
      if (v.notify_on_close && this.botUrl) {
        await this.viewClosed({ user_id: user, view: { ...v }, is_cleared: all && closed.length > 1 }).catch(() => undefined);
      }
    }
  }

  /**
   * A person's own message in a conversation (the composer of a Slack client). It is only shown:
   * dealdesk subscribes to no message events, so Slack would deliver it to no one.
   */
  postAsUser(user: string, channel: string, text: string, threadTs?: string): ConvMessage {
    const msg: ConvMessage = { ts: this.nextTs(), channel: this.conversationKey(channel), user, text, at: Date.now() };
    if (threadTs !== undefined) msg.thread_ts = threadTs;
    this.addMessage(msg);
    return msg;
  }

  /** An ephemeral notice from Slack itself (USLACKBOT), e.g. "/x failed with the error …". */
  notice(user: string, channel: string, text: string, command?: string): ConvEphemeral {
    const id = this.addEphemeral({ ts: this.nextTs(), channel: this.conversationKey(channel), user, text, from: 'USLACKBOT', ...(command ? { command } : {}) });
    return this.ephemerals.find((e) => e.id === id)!;
  }

  /** Name and size of an uploaded file. */
  fileInfo(id: string): { name: string; title?: string; mimetype: string; bytes?: Buffer } | undefined {
    const meta = this.fileMeta.get(id);
    if (!meta) return undefined;
    const bytes = this.uploads.get(id);
    return { ...meta, mimetype: mimeOf(meta.name), ...(bytes ? { bytes } : {}) };
  }

  /**
   * Text as a Slack client sends it for a command with `should_escape`: &, < and > escaped,
   * `@name` of a known user → `<@U…|name>`, `#name` of a known channel → `<#C…|name>`.
   */
  escapeCommandText(typed: string): string {
    return typed
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/(^|[\s(:,])@([\p{L}\p{N}._-]+)/gu, (all, pre: string, name: string) => {
        const id = this.userIdByName(name);
        return id ? `${pre}<@${id}|${this.userName(id)}>` : all;
      })
      .replace(/(^|[\s(:,])#([a-z0-9_-]*[a-z_-][a-z0-9_-]*)/giu, (all, pre: string, name: string) => {
        const ch = [...this.channelInfo].find(([, c]) => c.name.toLowerCase() === name.toLowerCase());
        return ch ? `${pre}<#${ch[0]}|${ch[1].name}>` : all;
      });
  }

  /** The durable state (messages, Home views, file names), e.g. to keep it across restarts. */
  snapshot(): EmulatorSnapshot {
    return {
      version: 1,
      seq: this.seq,
      tsBase: this.tsBase,
      messages: [...this.convs.values()].flat().map((m) => ({ ...m })),
      homes: [...this.homes].map(([u, v]) => [u, { ...v, state: { values: {} } }]),
      files: [...this.fileMeta].map(([id, meta]) => [id, { ...meta }]),
    };
  }

  /** Restores a snapshot(); message ts continue after the latest one and never fall behind the clock. */
  restore(s: EmulatorSnapshot): void {
    this.convs.clear();
    this.homes.clear();
    for (const m of s.messages) {
      const list = this.convs.get(m.channel) ?? [];
      list.push({ ...m });
      this.convs.set(m.channel, list);
    }
    for (const list of this.convs.values()) list.sort((a, b) => compareTs(a.ts, b.ts));
    for (const [u, v] of s.homes) this.homes.set(u, { ...v });
    for (const [id, meta] of s.files) this.fileMeta.set(id, { ...meta });
    this.tsBase = s.tsBase;
    this.seq = Math.max(this.seq, s.seq, Math.ceil((Date.now() / 1000 - this.tsBase) * 1e4));
    this.changed({ kind: 'reset' });
  }

  // ------------------------------------------------------------------ private: conversation state

  private changed(c: StateChange): void {
    this.emit('change', c);
  }

  private addMessage(m: ConvMessage): void {
    const list = this.convs.get(m.channel) ?? [];
    // Usually the newest; a reserved ts (a slash command's answer) may land a little earlier.
    let i = list.length;
    while (i > 0 && compareTs(list[i - 1]!.ts, m.ts) > 0) i--;
    list.splice(i, 0, m);
    this.convs.set(m.channel, list);
    if (m.thread_ts !== undefined && m.thread_ts !== m.ts) {
      const parent = list.find((p) => p.ts === m.thread_ts);
      if (parent && parent.thread_ts === undefined) parent.thread_ts = parent.ts;
    }
    this.changed({ kind: 'message', channel: m.channel, ts: m.ts });
  }

  private addEphemeral(e: Omit<ConvEphemeral, 'id' | 'at' | 'from'> & { from?: string }): string {
    const id = this.newId('E');
    this.ephemerals.push({ from: EMU_BOT_USER_ID, ...e, id, at: Date.now() });
    this.ephemerals.sort((a, b) => compareTs(a.ts, b.ts));
    this.changed({ kind: 'ephemeral', channel: e.channel, user: e.user });
    return id;
  }

  private replaceContent(target: { text: string; blocks?: any[]; attachments?: any[] }, b: Record<string, any>): void {
    target.text = String(b.text ?? '');
    if (Array.isArray(b.blocks)) target.blocks = b.blocks;
    else delete target.blocks;
    if (Array.isArray(b.attachments)) target.attachments = b.attachments;
    else delete target.attachments;
  }

  private deleteMessage(channel: string, ts: string): void {
    const key = this.conversationKey(channel);
    const list = this.convs.get(key);
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || i < 0) return;
    const m = list[i]!;
    if (m.thread_ts === m.ts && list.some((r) => r.thread_ts === ts && r.ts !== ts)) {
      // A parent with replies stays as a tombstone, as in Slack.
      Object.assign(m, { text: 'This message was deleted.', deleted: true, at: Date.now() });
      delete m.blocks;
      delete m.attachments;
      delete m.files;
    } else list.splice(i, 1);
    this.changed({ kind: 'message', channel: key, ts });
  }

  /** Keeps the conversation state in step with a Web API call the emulator answered `ok`. */
  private applyCall(method: string, a: Record<string, any>, answer: Record<string, any>): void {
    if (answer.ok !== true) return;
    switch (method) {
      case 'chat.postMessage': {
        const m: ConvMessage = { ts: String(answer.ts), channel: this.conversationKey(String(a.channel)), user: EMU_BOT_USER_ID, text: String(a.text ?? ''), ...blocksOf(a), at: Date.now() };
        if (a.thread_ts !== undefined && a.thread_ts !== '') m.thread_ts = String(a.thread_ts);
        if (a.reply_broadcast === true || a.reply_broadcast === 'true') m.reply_broadcast = true;
        this.addMessage(m);
        return;
      }
      case 'chat.update': {
        const m = this.message(String(a.channel), String(a.ts));
        if (!m || m.deleted) return;
        if (a.text !== undefined) m.text = String(a.text);
        if (Array.isArray(a.blocks)) m.blocks = a.blocks;
        if (Array.isArray(a.attachments)) m.attachments = a.attachments;
        m.edited = Date.now();
        this.changed({ kind: 'message', channel: m.channel, ts: m.ts });
        return;
      }
      case 'chat.delete':
        this.deleteMessage(String(a.channel), String(a.ts));
        return;
      case 'chat.postEphemeral': {
        const e = { ts: String(answer.message_ts), channel: this.conversationKey(String(a.channel)), user: String(a.user), text: String(a.text ?? ''), ...blocksOf(a) };
        this.addEphemeral(a.thread_ts ? { ...e, thread_ts: String(a.thread_ts) } : e);
        return;
      }
      case 'views.open':
      case 'views.push': {
        const user = this.triggers.get(String(a.trigger_id ?? a.interactivity_pointer ?? ''));
        if (!user) return;
        const view = toConvView(answer.view);
        const stack = method === 'views.open' ? [] : [...(this.modals.get(user) ?? [])];
        if (stack.length > 0) {
          view.previous_view_id = stack[stack.length - 1]!.id;
          view.root_view_id = stack[0]!.id;
        }
        stack.push(view);
        this.modals.set(user, stack);
        this.changed({ kind: 'modal', user, viewId: view.id });
        return;
      }
      case 'views.update': {
        const found = this.findView(String(answer.view?.id ?? ''));
        if (!found) return;
        const next = toConvView(answer.view);
        const v = found.view;
        const keep = new Set(next.blocks.map((b: any) => b?.block_id).filter(Boolean));
        const values = Object.fromEntries(Object.entries(v.state.values).filter(([k]) => keep.has(k)));
        Object.assign(v, { ...next, id: v.id, previous_view_id: v.previous_view_id, root_view_id: v.root_view_id, state: { values } });
        delete v.errors;
        this.changed(found.where === 'home' ? { kind: 'home', user: found.user, viewId: v.id } : { kind: 'modal', user: found.user, viewId: v.id });
        return;
      }
      case 'views.publish': {
        const user = String(a.user_id);
        this.homes.set(user, toConvView(answer.view));
        this.changed({ kind: 'home', user });
        return;
      }
      case 'files.completeUploadExternal': {
        if (!a.channel_id) return;
        const files: ConvFile[] = (answer.files as any[]).map((f) => ({ id: f.id, name: f.name, title: f.title, mimetype: mimeOf(f.name), size: f.size, url: `/files/${f.id}` }));
        const blocks = files
          .filter((f) => f.mimetype.startsWith('image/'))
          .map((f) => ({ type: 'image', image_url: f.url, alt_text: f.title, title: { type: 'plain_text', text: f.title } }));
        const m: ConvMessage = { ts: this.nextTs(), channel: this.conversationKey(String(a.channel_id)), user: EMU_BOT_USER_ID, text: String(a.initial_comment ?? ''), files, at: Date.now() };
        if (blocks.length > 0) m.blocks = blocks;
        if (a.thread_ts) m.thread_ts = String(a.thread_ts);
        this.addMessage(m);
        for (const f of files) this.changed({ kind: 'file', fileId: f.id, channel: m.channel });
        return;
      }
    }
  }

  /** Keeps the conversation state in step with a POST to a response_url. */
  private applyResponse(id: string, body: any): void {
    const t = this.responseTargets.get(id);
    if (!t) return;
    const b: Record<string, any> = typeof body === 'string' ? (body === '' ? {} : { text: body }) : body && typeof body === 'object' ? body : {};
    const flag = (v: unknown) => v === true || v === 'true';
    const replace = flag(b.replace_original);
    const remove = flag(b.delete_original);
    if (replace || remove) {
      if (t.kind === 'command' && t.lastEphemeralId === undefined) t.settledBeforeAck = true;
      const eph =
        t.kind === 'command'
          ? this.ephemerals.find((e) => e.id === t.lastEphemeralId)
          : t.ephemeral
            ? this.ephemerals.find((e) => e.ts === t.messageTs && e.user === t.user)
            : undefined;
      if (eph) {
        if (remove) this.dismissEphemeral(t.user, eph.id);
        else {
          this.replaceContent(eph, b);
          this.changed({ kind: 'ephemeral', channel: eph.channel, user: eph.user });
        }
        return;
      }
      const msg = t.kind === 'action' && !t.ephemeral && t.messageTs ? this.message(t.channel, t.messageTs) : undefined;
      if (msg) {
        if (remove) this.deleteMessage(t.channel, msg.ts);
        else {
          this.replaceContent(msg, b);
          msg.edited = Date.now();
          this.changed({ kind: 'message', channel: msg.channel, ts: msg.ts });
        }
        return;
      }
      if (remove) return;
    }
    if (!hasContent(b)) return;
    if (b.response_type === 'in_channel') {
      const m: ConvMessage = { ts: this.nextTs(), channel: t.channel, user: EMU_BOT_USER_ID, text: String(b.text ?? ''), ...blocksOf(b), at: Date.now() };
      if (t.threadTs) m.thread_ts = t.threadTs;
      if (t.command) m.command = t.command;
      this.addMessage(m);
      return;
    }
    const e = { ts: this.nextTs(), channel: t.channel, user: t.user, text: String(b.text ?? ''), ...blocksOf(b), responseUrlId: id, ...(t.command ? { command: t.command } : {}) };
    t.lastEphemeralId = this.addEphemeral(t.threadTs ? { ...e, thread_ts: t.threadTs } : e);
  }

  /** What the bot answered to a view_submission, applied to the user's modal stack. */
  private applySubmissionAnswer(user: string, view: ConvView, values: Record<string, Record<string, any>>, body: any): void {
    const stack = this.modals.get(user);
    if (!stack || !stack.includes(view)) return;
    view.state.values = values;
    const answer = body && typeof body === 'object' ? body : {};
    switch (answer.response_action) {
      case 'errors':
        view.errors = answer.errors && typeof answer.errors === 'object' ? { ...answer.errors } : {};
        break;
      case 'update': {
        const next = toConvView(this.viewObject(answer.view ?? {}, view.id));
        Object.assign(view, { ...next, previous_view_id: view.previous_view_id, root_view_id: view.root_view_id });
        delete view.errors;
        break;
      }
      case 'push': {
        const next = toConvView(this.viewObject(answer.view ?? {}, this.newId('V')));
        next.previous_view_id = view.id;
        next.root_view_id = stack[0]!.id;
        stack.push(next);
        break;
      }
      case 'clear':
        this.modals.delete(user);
        break;
      default: {
        // An empty ack closes the submitted view (and anything pushed on top of it).
        stack.splice(stack.indexOf(view));
        if (stack.length === 0) this.modals.delete(user);
      }
    }
    this.changed({ kind: 'modal', user, viewId: view.id });
  }

  private userIdByName(name: string): string | undefined {
    const n = name.toLowerCase();
    for (const [id, u] of this.users) {
      if (u.name?.toLowerCase() === n || id.toLowerCase() === n) return id;
    }
    for (const [id, u] of this.users) {
      if (u.real_name?.split(/\s+/)[0]?.toLowerCase() === n) return id;
    }
    return undefined;
  }

  private channelName(id: string): string {
    return this.channelInfo.get(id)?.name ?? defaultChannelName(id);
  }

  /** Map.set with a bound on the entries kept (trigger ids and response_urls are short-lived). */
  private remember<K, V>(map: Map<K, V>, key: K, value: V, max = 5000): void {
    map.set(key, value);
    while (map.size > max) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  }

  // ------------------------------------------------------------------ deliveries to the bot

  /** Delivers a slash command like Slack: a signed form-encoded POST with a fresh response_url. */
  async slashCommand(
    p: {
      command: string;
      text: string;
      user_id?: string;
      user_name?: string;
      channel_id?: string;
      channel_name?: string;
      team_id?: string;
      trigger_id?: string;
    },
    opts: SendOpts = {},
  ): Promise<BotReply & { responseUrlId: string }> {
    const { id: responseUrlId, url: responseUrl } = this.newResponseUrl();
    const userId = p.user_id ?? 'U_SELLER';
    const channelId = p.channel_id ?? 'C_SALES';
    const triggerId = p.trigger_id ?? this.newTriggerId();
    this.remember(this.triggers, triggerId, userId);
    const command = p.text === '' ? p.command : `${p.command} ${p.text}`;
    const target: ResponseTarget = { kind: 'command', user: userId, channel: this.conversationKey(channelId), command };
    this.remember(this.responseTargets, responseUrlId, target);
    // The answer sits where the command was typed, even if a response_url POST overtakes the ack.
    const ackTs = this.nextTs();
    // Field set and order as Slack sends them (enterprise_id/enterprise_name only on Enterprise Grid).
    const fields: Record<string, string> = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: p.team_id ?? EMU_TEAM_ID,
      team_domain: EMU_TEAM_DOMAIN,
      channel_id: channelId,
      channel_name: p.channel_name ?? this.channelName(channelId),
      user_id: userId,
      user_name: p.user_name ?? this.userName(userId),
      command: p.command,
      text: p.text,
      api_app_id: EMU_APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const reply = await this.sendSigned(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
    if (reply.status === 200 && !target.settledBeforeAck) {
      // Slack shows a non-empty ack body as the answer: ephemeral unless `in_channel`.
      const body = typeof reply.body === 'string' ? (reply.body === '' ? undefined : { text: reply.body }) : reply.body;
      if (body && typeof body === 'object' && hasContent(body)) {
        if (body.response_type === 'in_channel') {
          this.addMessage({ ts: ackTs, channel: target.channel, user: EMU_BOT_USER_ID, text: String(body.text ?? ''), ...blocksOf(body), at: Date.now(), command });
        } else {
          target.lastEphemeralId = this.addEphemeral({ ts: ackTs, channel: target.channel, user: userId, text: String(body.text ?? ''), ...blocksOf(body), command, responseUrlId });
        }
      }
    }
    return { ...reply, responseUrlId };
  }

  /**
   * Delivers a `block_actions` interaction (a button click by default) as `payload=<json>`.
   * With `container: { type: 'view', view_id }` (an action inside a modal) Slack sends no
   * response_url; then `responseUrlId` is ''.
   */
  async blockAction(
    p: {
      user_id?: string;
      action_id: string;
      value?: string;
      block_id?: string;
      channel_id?: string;
      message_ts?: string;
      message?: any;
      trigger_id?: string;
      /** Overrides the single button action built from action_id/value/block_id. */
      actions?: any[];
      container?: any;
      /** The modal, for actions inside a view. */
      view?: any;
      state_values?: Record<string, Record<string, any>>;
    },
    opts: SendOpts = {},
  ): Promise<BotReply & { responseUrlId: string }> {
    const userId = p.user_id ?? 'U_SELLER';
    const channelId = p.channel_id ?? 'C_SALES';
    const messageTs = p.message_ts ?? p.message?.ts ?? tsFor(this.tsBase, 0);
    const container = p.container ?? {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
    };
    const inView = container.type === 'view';
    const responseUrl = inView ? undefined : this.newResponseUrl();
    const triggerId = p.trigger_id ?? this.newTriggerId();
    this.remember(this.triggers, triggerId, userId);
    if (responseUrl) {
      const target: ResponseTarget = { kind: 'action', user: userId, channel: this.conversationKey(container.channel_id ?? channelId), messageTs: container.message_ts ?? messageTs, ephemeral: container.is_ephemeral === true };
      const threadTs = container.thread_ts ?? p.message?.thread_ts;
      if (threadTs !== undefined) target.threadTs = threadTs;
      this.remember(this.responseTargets, responseUrl.id, target);
    }
    const payload: Record<string, any> = {
      type: 'block_actions',
      user: this.payloadUser(userId),
      api_app_id: EMU_APP_ID,
      token: EMU_VERIFICATION_TOKEN,
      container,
      trigger_id: triggerId,
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      enterprise: null,
      is_enterprise_install: false,
    };
    if (!inView) payload.channel = { id: channelId, name: this.channelName(channelId) };
    if (p.message !== undefined) payload.message = p.message;
    if (p.view !== undefined) payload.view = p.view;
    payload.state = { values: p.state_values ?? {} };
    if (responseUrl) payload.response_url = responseUrl.url;
    // The clicked element as the person saw it (block_id, action_id, value, text), when this
    // emulator holds the message or view; otherwise a bare button built from what was given.
    const shown = p.actions ? undefined : this.clickedBlocks(userId, container, p);
    const hit = shown && findElement(shown, p.action_id, p.block_id, p.value);
    payload.actions = p.actions ?? [
      hit
        ? actionPayload(hit, { ...(p.value !== undefined ? { value: p.value } : {}) }, this.nowTs())
        : {
            action_id: p.action_id,
            block_id: p.block_id ?? 'emu_block',
            text: { type: 'plain_text', text: p.action_id, emoji: true },
            ...(p.value !== undefined ? { value: p.value } : {}),
            type: 'button',
            action_ts: this.nowTs(),
          },
    ];
    const reply = await this.sendPayload(payload, opts);
    return { ...reply, responseUrlId: responseUrl?.id ?? '' };
  }

  /** The blocks a click was on: the view or message given, else the view, ephemeral or message held here. */
  private clickedBlocks(user: string, container: any, p: { view?: any; message?: any }): any[] | undefined {
    if (container.type === 'view') return p.view?.blocks ?? this.findView(String(container.view_id ?? ''))?.view.blocks;
    if (p.message?.blocks) return p.message.blocks;
    const key = this.conversationKey(String(container.channel_id ?? ''));
    const ts = String(container.message_ts ?? '');
    const eph = () => this.ephemerals.find((e) => e.user === user && e.channel === key && e.ts === ts);
    return (container.is_ephemeral === true ? eph() : (this.message(key, ts) ?? eph()))?.blocks;
  }

  /** Delivers a `view_submission` (modal submit) as `payload=<json>`. `state_values` is
   *  `view.state.values`: { [block_id]: { [action_id]: { type, value | selected_option | … } } }.
   *  When `view_id` names a modal this emulator holds for the user, the payload carries that
   *  view (title, blocks, metadata, …) and the bot's answer is applied to the modal stack:
   *  `errors` shown on the view, `update` replaces it, `push` stacks a new one, `clear` closes
   *  all, an empty ack closes it. */
  async viewSubmission(
    p: {
      user_id?: string;
      callback_id: string;
      private_metadata?: string;
      state_values: Record<string, Record<string, any>>;
      view_id?: string;
      hash?: string;
      blocks?: any[];
      external_id?: string;
      title?: any;
      submit?: any;
      close?: any;
    },
    opts: SendOpts = {},
  ): Promise<BotReply> {
    const userId = p.user_id ?? 'U_SELLER';
    const viewId = p.view_id ?? this.newId('V');
    const stored = p.view_id !== undefined ? this.modalStack(userId).find((v) => v.id === p.view_id) : undefined;
    const triggerId = this.newTriggerId();
    this.remember(this.triggers, triggerId, userId);
    const payload = {
      type: 'view_submission',
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      user: this.payloadUser(userId),
      api_app_id: EMU_APP_ID,
      token: EMU_VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view: {
        id: viewId,
        team_id: EMU_TEAM_ID,
        type: 'modal',
        blocks: p.blocks ?? stored?.blocks ?? [],
        private_metadata: p.private_metadata ?? stored?.private_metadata ?? '',
        callback_id: p.callback_id,
        state: { values: p.state_values },
        hash: p.hash ?? stored?.hash ?? `${this.tsBase}.${this.seq}emu`,
        title: p.title ?? stored?.title ?? { type: 'plain_text', text: 'Modal', emoji: true },
        clear_on_close: stored?.clear_on_close ?? false,
        notify_on_close: stored?.notify_on_close ?? false,
        close: p.close ?? stored?.close ?? null,
        submit: p.submit ?? stored?.submit ?? { type: 'plain_text', text: 'Submit', emoji: true },
        previous_view_id: stored?.previous_view_id ?? null,
        root_view_id: stored?.root_view_id ?? viewId,
        app_id: EMU_APP_ID,
        external_id: p.external_id ?? stored?.external_id ?? '',
        app_installed_team_id: EMU_TEAM_ID,
        bot_id: EMU_BOT_ID,
      },
      // Only non-empty when the modal has `response_url_enabled` inputs.
      response_urls: [],
      enterprise: null,
      is_enterprise_install: false,
    };
    const reply = await this.sendPayload(payload, opts);
    if (stored && reply.status === 200) this.applySubmissionAnswer(userId, stored, p.state_values, reply.body);
    return reply;
  }

  /** Delivers a `view_closed` (the user closed a modal that has `notify_on_close`). */
  async viewClosed(p: { user_id?: string; view: Record<string, any>; is_cleared?: boolean }, opts: SendOpts = {}): Promise<BotReply> {
    const userId = p.user_id ?? 'U_SELLER';
    const payload = {
      type: 'view_closed',
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      user: this.payloadUser(userId),
      api_app_id: EMU_APP_ID,
      token: EMU_VERIFICATION_TOKEN,
      view: { team_id: EMU_TEAM_ID, app_id: EMU_APP_ID, bot_id: EMU_BOT_ID, ...p.view },
      is_cleared: p.is_cleared ?? false,
      enterprise: null,
      is_enterprise_install: false,
    };
    return this.sendPayload(payload, opts);
  }

  /**
   * Delivers an Events API `event_callback` (JSON body). `event_ts` (and `ts` for message
   * events) default to a fresh timestamp. Note Bolt drops events authored by the bot itself
   * (user "UBOT" / bot_id "BBOT", as reported by auth.test) via its ignoreSelf middleware.
   */
  async event(p: { type: string; [k: string]: any }, opts: SendOpts = {}): Promise<BotReply> {
    const ts = this.nowTs();
    const event: Record<string, any> = { ...p, event_ts: p.event_ts ?? ts };
    if (p.type === 'message' && event.ts === undefined) event.ts = event.event_ts;
    const body = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: EMU_TEAM_ID,
      api_app_id: EMU_APP_ID,
      event,
      type: 'event_callback',
      event_id: this.newId('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: EMU_TEAM_ID,
          user_id: EMU_BOT_USER_ID,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-emulated-${this.seq}`,
    };
    return this.sendSigned(JSON.stringify(body), 'application/json', opts);
  }

  /** POSTs `body` to botUrl with exactly these headers (no signing) — for forged requests. */
  async rawPost(body: string, headers: Record<string, string>): Promise<BotReply> {
    return this.postToBot(body, headers);
  }

  /** Computes the `X-Slack-Signature` value Slack would send for `rawBody` at `timestamp`. */
  sign(rawBody: string, timestamp: number, secret = this.signingSecret): string {
    return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  }

  // ------------------------------------------------------------------ private: sending

  private sendPayload(payload: unknown, opts: SendOpts): Promise<BotReply> {
    // Interactivity payloads arrive as a form with a single `payload` field holding JSON.
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.sendSigned(body, 'application/x-www-form-urlencoded', opts);
  }

  private sendSigned(rawBody: string, contentType: string, opts: SendOpts): Promise<BotReply> {
    // Bolt's HTTPReceiver compares Content-Type with === (no charset suffix allowed).
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (!opts.unsigned) {
      const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
      headers['X-Slack-Request-Timestamp'] = String(timestamp);
      headers['X-Slack-Signature'] = this.sign(rawBody, timestamp, opts.secret ?? this.signingSecret);
    }
    if (opts.retryNum !== undefined) {
      headers['X-Slack-Retry-Num'] = String(opts.retryNum);
      headers['X-Slack-Retry-Reason'] = opts.retryReason ?? 'http_timeout';
    } else if (opts.retryReason !== undefined) {
      headers['X-Slack-Retry-Reason'] = opts.retryReason;
    }
    return this.postToBot(rawBody, headers);
  }

  /**
   * node:http with kept-alive connections rather than fetch(): under load (the bench sends 50 at
   * once on the bot's machine) fetch costs this process ~2 ms of CPU a request, taken from the bot.
   */
  private readonly agent = new Agent({ keepAlive: true });

  private postToBot(body: string, headers: Record<string, string>): Promise<BotReply> {
    const botUrl = this.botUrl;
    if (!botUrl) return Promise.reject(new Error('SlackEmulator: set emu.botUrl before sending to the bot'));
    return new Promise<BotReply>((resolve, reject) => {
      const req = request(botUrl, { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseJsonOr(text), text });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  // ------------------------------------------------------------------ private: HTTP server

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const path = url.pathname;

    if (path.startsWith('/api/')) return this.handleApi(decodeURIComponent(path.slice(5)), req, raw, res);

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
      this.uploads.set(fileId, bytes);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${bytes.length}`);
      return;
    }

    if (path.startsWith('/response/')) {
      const id = decodeURIComponent(path.slice('/response/'.length));
      const body = parseJsonOr(raw.toString('utf8'));
      this.responseUrlPosts.push({ id, body, at: Date.now() });
      if (this.responseUrlPosts.length > this.keepCalls) this.responseUrlPosts.splice(0, this.responseUrlPosts.length - this.keepCalls);
      this.applyResponse(id, body);
      this.wake(this.responseWaiters);
      sendJson(res, 200, { ok: true });
      return;
    }

    if (path.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const file = this.fileInfo(decodeURIComponent(path.slice('/files/'.length)));
      if (file?.bytes) {
        res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length), 'cache-control': 'private, max-age=86400' });
        res.end(req.method === 'HEAD' ? undefined : file.bytes);
        return;
      }
    }

    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private async handleApi(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const { args, bodyToken } = await parseApiArgs(req.headers['content-type'] ?? '', raw);
    const auth = req.headers.authorization;
    const headerToken = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const call: ApiCall = { method, args, at: Date.now() };
    const token = headerToken ?? bodyToken;
    if (token !== undefined) call.token = token;

    const failure = this.takeFailure(method);
    if (failure) {
      call.failed = true;
      const status = failure.status;
      const body =
        failure.body ?? { ok: false, error: status === 429 ? 'ratelimited' : `http_${status}` };
      call.response = body;
      this.record(call);
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
        ...failure.headers,
      });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
      return;
    }

    let answer: Record<string, any>;
    if (this.botToken !== undefined && token === undefined) answer = { ok: false, error: 'not_authed' };
    else if (this.botToken !== undefined && token !== this.botToken) answer = { ok: false, error: 'invalid_auth' };
    else answer = this.answer(method, args, call);
    call.response = answer;
    this.record(call);
    this.applyCall(method, args, answer);
    sendJson(res, 200, answer);
  }

  private takeFailure(method: string): FailureAnswer | undefined {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.answer;
  }

  private record(call: ApiCall): void {
    this.calls.push(call);
    if (this.calls.length > this.keepCalls) this.calls.splice(0, this.calls.length - this.keepCalls);
    this.wake(this.callWaiters);
  }

  // ------------------------------------------------------------------ private: Web API methods

  private answer(method: string, a: Record<string, any>, call: ApiCall): Record<string, any> {
    const custom = this.customHandlers.get(method);
    if (custom) return custom(a, call);

    switch (method) {
      case 'api.test':
        return { ok: true, args: a };

      case 'auth.test':
        return {
          ok: true,
          url: `https://${EMU_TEAM_DOMAIN}.slack.com/`,
          team: 'Emulated',
          user: 'dealdesk',
          team_id: EMU_TEAM_ID,
          user_id: EMU_BOT_USER_ID,
          bot_id: EMU_BOT_ID,
          is_enterprise_install: false,
        };

      case 'chat.postMessage': {
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        if (!hasContent(a)) return { ok: false, error: 'no_text' };
        const ts = this.nextTs();
        return { ok: true, channel: a.channel, ts, message: this.botMessage(a, ts) };
      }

      case 'chat.update': {
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        if (!a.ts) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel: a.channel,
          ts: a.ts,
          text: a.text ?? '',
          message: this.botMessage(a, a.ts),
        };
      }

      case 'chat.postEphemeral':
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        if (!a.user) return { ok: false, error: 'user_not_found' };
        if (!hasContent(a)) return { ok: false, error: 'no_text' };
        return { ok: true, message_ts: this.nextTs() };

      case 'chat.delete':
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        if (!a.ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: a.channel, ts: a.ts };

      case 'chat.getPermalink':
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: a.channel,
          permalink: `https://${EMU_TEAM_DOMAIN}.slack.com/archives/${a.channel}/p${String(a.message_ts ?? '').replace('.', '')}`,
        };

      case 'views.open':
      case 'views.push':
        // Both need a (fresh, single-use in real Slack) trigger_id from an interaction.
        if (!a.trigger_id && !a.interactivity_pointer) return { ok: false, error: 'invalid_arguments' };
        if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: this.viewObject(a.view, this.newId('V')) };

      case 'views.update': {
        if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
        if (!a.view_id && !a.external_id) return { ok: false, error: 'invalid_arguments' };
        const externalId = a.external_id ?? a.view.external_id;
        const byExternal = a.view_id ? undefined : this.findViewByExternalId(String(externalId));
        const type = a.view.type ?? (a.view_id ? this.findView(String(a.view_id))?.view.type : byExternal?.type);
        return { ok: true, view: this.viewObject({ ...a.view, ...(type ? { type } : {}), external_id: externalId }, a.view_id ?? byExternal?.id ?? this.newId('V')) };
      }

      case 'views.publish':
        if (!a.user_id) return { ok: false, error: 'invalid_arguments' };
        if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
        // A user's Home tab keeps its view id across publishes, as in Slack.
        return { ok: true, view: this.viewObject({ type: 'home', ...a.view }, this.homes.get(String(a.user_id))?.id ?? this.newId('V')) };

      case 'users.info': {
        if (!a.user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: this.userObject(String(a.user)) };
      }

      case 'conversations.open': {
        if (a.channel) return { ok: true, channel: { id: a.channel } };
        const users = String(a.users ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        // 1:1 DM ids are "D<user>"; multi-person DMs get a "G…" id.
        const id = users.length === 1 ? `D${users[0]}` : `G${users.join('')}`;
        return { ok: true, channel: { id } };
      }

      case 'usergroups.users.list': {
        const users = this.usergroups.get(String(a.usergroup ?? ''));
        if (!users) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users: [...users] };
      }

      case 'reactions.add':
      case 'reactions.remove':
        return { ok: true };

      case 'files.getUploadURLExternal': {
        if (!a.filename) return { ok: false, error: 'invalid_arguments' };
        const fileId = this.newId('F');
        this.fileMeta.set(fileId, {
          name: String(a.filename),
          ...(a.length !== undefined ? { length: Number(a.length) } : {}),
        });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }

      case 'files.completeUploadExternal': {
        const files: any[] = Array.isArray(a.files) ? a.files : [];
        if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
        // Like Slack: a conversation id only, never a user id (a DM is opened with conversations.open).
        if (a.channel_id !== undefined && !/^[CGDZ]/.test(String(a.channel_id))) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]'] } };
        const unknown = files.find((f) => !this.fileMeta.has(f?.id));
        if (unknown) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          files: files.map((f) => {
            const meta = this.fileMeta.get(f.id)!;
            return {
              id: f.id,
              name: meta.name,
              title: f.title ?? meta.name,
              size: this.uploads.get(f.id)?.length ?? meta.length ?? 0,
              user: EMU_BOT_USER_ID,
              permalink: `https://${EMU_TEAM_DOMAIN}.slack.com/files/${EMU_BOT_USER_ID}/${f.id}/${meta.name}`,
              // Real Slack shares asynchronously; `shares` is usually still empty here.
              shares: {},
              channels: a.channel_id ? [a.channel_id] : [],
            };
          }),
        };
      }

      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private botMessage(a: Record<string, any>, ts: string): Record<string, any> {
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

  private viewObject(view: Record<string, any>, id: string): Record<string, any> {
    return {
      id,
      team_id: EMU_TEAM_ID,
      type: view.type ?? 'modal',
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash: `${this.tsBase}.${this.seq}emu`,
      title: view.title,
      close: view.close ?? null,
      submit: view.submit ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      external_id: view.external_id ?? '',
      previous_view_id: null,
      root_view_id: id,
      app_id: EMU_APP_ID,
      bot_id: EMU_BOT_ID,
    };
  }

  private findViewByExternalId(externalId: string): ConvView | undefined {
    if (!externalId) return undefined;
    for (const stack of this.modals.values()) for (const v of stack) if (v.external_id === externalId) return v;
    for (const v of this.homes.values()) if (v.external_id === externalId) return v;
    return undefined;
  }

  private userObject(id: string): Record<string, any> {
    const u = this.users.get(id) ?? {};
    const name = u.name ?? id.toLowerCase();
    const realName = u.real_name ?? name;
    return {
      id,
      team_id: EMU_TEAM_ID,
      name,
      real_name: realName,
      deleted: false,
      is_bot: u.is_bot ?? false,
      tz: u.tz ?? 'UTC',
      profile: { real_name: realName, display_name: name },
    };
  }

  // ------------------------------------------------------------------ private: helpers

  private userName(id: string): string {
    return this.users.get(id)?.name ?? id.toLowerCase();
  }

  private payloadUser(id: string): Record<string, string> {
    const name = this.userName(id);
    return { id, username: name, name, team_id: EMU_TEAM_ID };
  }

  private newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  private newResponseUrl(): { id: string; url: string } {
    const id = this.newId('R');
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  private newTriggerId(): string {
    this.seq += 1;
    return `${this.seq}.${this.tsBase}.emu${this.seq.toString(16).padStart(8, '0')}`;
  }

  /** Unique, strictly increasing message ts: "1700000000.000100", "1700000000.000200", … */
  private nextTs(): string {
    this.seq += 1;
    return tsFor(this.tsBase, this.seq);
  }

  /** Action/event timestamps use the wall clock, like Slack. */
  private nowTs(): string {
    const us = Date.now() * 1000;
    return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
  }

  private summarizeCalls(): string {
    if (this.calls.length === 0) return '(none)';
    return this.calls
      .map((c) => `${c.method}${c.failed ? '[failed]' : c.response?.ok === false ? `[${c.response.error}]` : ''}`)
      .join(', ');
  }

  private wake(waiters: Set<() => void>): void {
    for (const w of [...waiters]) w();
  }

  private waitUntil<T>(
    waiters: Set<() => void>,
    find: () => T | undefined,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(describe()));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Module helpers
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The element a person clicked, and the `actions[0]` Slack sends for it
// ---------------------------------------------------------------------------------------------

export interface ElementHit {
  block: any;
  element: any;
  index: number;
}

/** The block_id Slack reports for `block`: its own, or the one Slack makes up when the app gave none. */
export function blockIdAt(block: any, index: number): string {
  return block?.block_id ?? `emu${index}`;
}

/**
 * The interactive element `actionId` among `blocks`. A message may repeat an action_id in
 * several blocks (one Done button per task), so `blockId` — as blockIdAt reports it — picks the
 * block, as Slack's block_id does; a button's `value`, when given, must match too.
 */
export function findElement(blocks: readonly any[], actionId: string, blockId?: string, value?: string): ElementHit | undefined {
  for (const [index, block] of blocks.entries()) {
    if (blockId !== undefined && blockId !== '' && blockIdAt(block, index) !== blockId) continue;
    const candidates = [...(Array.isArray(block?.elements) ? block.elements : []), block?.accessory, block?.element].filter(Boolean);
    const element = candidates.find((e: any) => e.action_id === actionId && (value === undefined || e.type !== 'button' || e.value === value));
    if (element) return { block, element, index };
  }
  return undefined;
}

function allOptions(el: any): any[] {
  return [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g: any) => g.options ?? [])];
}

export function optionFor(el: any, value: unknown): any {
  return allOptions(el).find((o) => o.value === value) ?? null;
}

/** `actions[0]` of a block_actions payload for a click on `hit` (`selected`/`value`: what was picked). */
export function actionPayload(hit: ElementHit, p: { value?: string; selected?: unknown }, actionTs: string = (Date.now() / 1000).toFixed(6)): Record<string, unknown> {
  const el = hit.element;
  const base = { type: el.type, action_id: el.action_id, block_id: blockIdAt(hit.block, hit.index), action_ts: actionTs };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  switch (el.type) {
    case 'button':
      return { ...base, text: el.text, ...(el.value !== undefined ? { value: el.value } : {}), ...(el.style ? { style: el.style } : {}) };
    case 'static_select':
    case 'radio_buttons':
    case 'overflow':
      return { ...base, selected_option: optionFor(el, p.selected ?? p.value) };
    case 'multi_static_select':
    case 'checkboxes':
      return { ...base, selected_options: list(p.selected).map((v) => optionFor(el, v)).filter(Boolean) };
    case 'datepicker':
      return { ...base, selected_date: p.selected ?? p.value ?? null };
    case 'timepicker':
      return { ...base, selected_time: p.selected ?? p.value ?? null };
    case 'users_select':
      return { ...base, selected_user: p.selected ?? p.value ?? null };
    case 'conversations_select':
      return { ...base, selected_conversation: p.selected ?? p.value ?? null };
    case 'channels_select':
      return { ...base, selected_channel: p.selected ?? p.value ?? null };
    default:
      return { ...base, value: p.value ?? p.selected ?? null };
  }
}

function tsFor(base: number, n: number): string {
  const micros = n * 100;
  return `${base + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function defaultChannelName(id: string): string {
  if (id.startsWith('D')) return 'directmessage';
  return id.toLowerCase().replace(/^c_?/, '') || 'general';
}

function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

function blocksOf(a: Record<string, any>): { blocks?: any[]; attachments?: any[] } {
  return {
    ...(Array.isArray(a.blocks) ? { blocks: a.blocks } : {}),
    ...(Array.isArray(a.attachments) ? { attachments: a.attachments } : {}),
  };
}

function toConvView(v: Record<string, any>): ConvView {
  return {
    id: String(v.id),
    type: String(v.type ?? 'modal'),
    title: v.title,
    submit: v.submit ?? null,
    close: v.close ?? null,
    blocks: Array.isArray(v.blocks) ? v.blocks : [],
    callback_id: String(v.callback_id ?? ''),
    private_metadata: String(v.private_metadata ?? ''),
    external_id: String(v.external_id ?? ''),
    hash: String(v.hash ?? ''),
    state: { values: {} },
    notify_on_close: v.notify_on_close === true,
    clear_on_close: v.clear_on_close === true,
    previous_view_id: v.previous_view_id ?? null,
    root_view_id: String(v.root_view_id ?? v.id),
  };
}

function mimeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp', pdf: 'application/pdf', csv: 'text/csv', txt: 'text/plain' };
  return types[ext] ?? 'application/octet-stream';
}

function hasContent(a: Record<string, any>): boolean {
  return Boolean(a.text) || (Array.isArray(a.blocks) && a.blocks.length > 0) || (Array.isArray(a.attachments) && a.attachments.length > 0);
}

function parseJsonOr(text: string): any {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
