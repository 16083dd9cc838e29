/**
 * SlackEmulator — an in-process stand-in for Slack, for tests.
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
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

export class SlackEmulator {
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

  private constructor(server: Server, opts: { signingSecret: string; botToken?: string }) {
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.signingSecret = opts.signingSecret;
    if (opts.botToken !== undefined) this.botToken = opts.botToken;
  }

  static async start(opts: { signingSecret: string; botToken?: string }): Promise<SlackEmulator> {
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

  /** Forgets recorded traffic (calls, response_url posts, uploads) and pending failNext()s.
   *  Configuration (users, usergroups, custom handlers, botUrl) is kept. */
  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.uploads.clear();
    this.failures.clear();
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
    // Field set and order as Slack sends them (enterprise_id/enterprise_name only on Enterprise Grid).
    const fields: Record<string, string> = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: p.team_id ?? EMU_TEAM_ID,
      team_domain: EMU_TEAM_DOMAIN,
      channel_id: channelId,
      channel_name: p.channel_name ?? defaultChannelName(channelId),
      user_id: userId,
      user_name: p.user_name ?? this.userName(userId),
      command: p.command,
      text: p.text,
      api_app_id: EMU_APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: p.trigger_id ?? this.newTriggerId(),
    };
    const reply = await this.sendSigned(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
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
    const messageTs = p.message_ts ?? p.message?.ts ?? tsFor(0);
    const container = p.container ?? {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
    };
    const inView = container.type === 'view';
    const responseUrl = inView ? undefined : this.newResponseUrl();
    const payload: Record<string, any> = {
      type: 'block_actions',
      user: this.payloadUser(userId),
      api_app_id: EMU_APP_ID,
      token: EMU_VERIFICATION_TOKEN,
      container,
      trigger_id: p.trigger_id ?? this.newTriggerId(),
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      enterprise: null,
      is_enterprise_install: false,
    };
    if (!inView) payload.channel = { id: channelId, name: defaultChannelName(channelId) };
    if (p.message !== undefined) payload.message = p.message;
    if (p.view !== undefined) payload.view = p.view;
    payload.state = { values: p.state_values ?? {} };
    if (responseUrl) payload.response_url = responseUrl.url;
    payload.actions = p.actions ?? [
      {
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

  /** Delivers a `view_submission` (modal submit) as `payload=<json>`. `state_values` is
   *  `view.state.values`: { [block_id]: { [action_id]: { type, value | selected_option | … } } }. */
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
    },
    opts: SendOpts = {},
  ): Promise<BotReply> {
    const userId = p.user_id ?? 'U_SELLER';
    const viewId = p.view_id ?? this.newId('V');
    const payload = {
      type: 'view_submission',
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      user: this.payloadUser(userId),
      api_app_id: EMU_APP_ID,
      token: EMU_VERIFICATION_TOKEN,
      trigger_id: this.newTriggerId(),
      view: {
        id: viewId,
        team_id: EMU_TEAM_ID,
        type: 'modal',
        blocks: p.blocks ?? [],
        private_metadata: p.private_metadata ?? '',
        callback_id: p.callback_id,
        state: { values: p.state_values },
        hash: p.hash ?? `${BASE_TS_SECONDS}.${this.seq}emu`,
        title: { type: 'plain_text', text: 'Modal', emoji: true },
        clear_on_close: false,
        notify_on_close: false,
        close: null,
        submit: { type: 'plain_text', text: 'Submit', emoji: true },
        previous_view_id: null,
        root_view_id: viewId,
        app_id: EMU_APP_ID,
        external_id: p.external_id ?? '',
        app_installed_team_id: EMU_TEAM_ID,
        bot_id: EMU_BOT_ID,
      },
      // Only non-empty when the modal has `response_url_enabled` inputs.
      response_urls: [],
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

  private async postToBot(body: string, headers: Record<string, string>): Promise<BotReply> {
    if (!this.botUrl) throw new Error('SlackEmulator: set emu.botUrl before sending to the bot');
    const res = await fetch(this.botUrl, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: parseJsonOr(text), text };
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
      this.responseUrlPosts.push({ id, body: parseJsonOr(raw.toString('utf8')), at: Date.now() });
      this.wake(this.responseWaiters);
      sendJson(res, 200, { ok: true });
      return;
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

      case 'views.update':
        if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
        if (!a.view_id && !a.external_id) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: this.viewObject({ ...a.view, external_id: a.external_id ?? a.view.external_id }, a.view_id ?? this.newId('V')) };

      case 'views.publish':
        if (!a.user_id) return { ok: false, error: 'invalid_arguments' };
        if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: this.viewObject({ type: 'home', ...a.view }, this.newId('V')) };

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
      hash: `${BASE_TS_SECONDS}.${this.seq}emu`,
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
    return `${this.seq}.${BASE_TS_SECONDS}.emu${this.seq.toString(16).padStart(8, '0')}`;
  }

  /** Unique, strictly increasing message ts: "1700000000.000100", "1700000000.000200", … */
  private nextTs(): string {
    this.seq += 1;
    return tsFor(this.seq);
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

function tsFor(n: number): string {
  const micros = n * 100;
  return `${BASE_TS_SECONDS + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function defaultChannelName(id: string): string {
  if (id.startsWith('D')) return 'directmessage';
  return id.toLowerCase().replace(/^c_?/, '') || 'general';
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
