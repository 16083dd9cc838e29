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
 *
 * The parts live in ./emulator/: the conversation store (store.ts), the deliveries to the bot
 * (deliveries.ts, signing.ts, responses.ts), the Web API methods (api/, one module per family),
 * the recorded traffic (traffic.ts) and the HTTP server (http.ts). SlackEmulator composes them
 * and is the only API the tests, the bench and the local workspace use.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Deliveries } from './emulator/deliveries.ts';
import { route, type ServedParts } from './emulator/http.ts';
import { BotPoster } from './emulator/signing.ts';
import { ConversationStore } from './emulator/store.ts';
import { Traffic } from './emulator/traffic.ts';
import type {
  ApiCall,
  BotReply,
  ConvEphemeral,
  ConvMessage,
  ConvView,
  EmulatedUser,
  EmulatorSnapshot,
  FailureAnswer,
  MethodHandler,
  ResponseUrlPost,
  SendOpts,
  StartOpts,
} from './emulator/types.ts';

// The public types and constants (every export of ./emulator/types.ts) and the element helpers.
export * from './emulator/types.ts';
export { actionPayload, blockIdAt, findElement, optionFor, type ElementHit } from './emulator/elements.ts';

export class SlackEmulator extends EventEmitter {
  /** e.g. "http://127.0.0.1:54321/api/" — pass as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** e.g. "http://127.0.0.1:54321" (no trailing slash). */
  readonly baseUrl: string;
  /** Every Web API call, in arrival order (failed ones included, flagged `failed: true`). */
  readonly calls: ApiCall[];
  /** Every POST to a response_url, in arrival order. */
  readonly responseUrlPosts: ResponseUrlPost[];
  /** Bytes POSTed to upload URLs from files.getUploadURLExternal, by file id. */
  readonly uploads: Map<string, Buffer>;

  readonly signingSecret: string;
  /** When set, Web API calls must carry this token (else `not_authed` / `invalid_auth`). */
  readonly botToken?: string;

  private readonly server: Server;
  private readonly store: ConversationStore;
  private readonly traffic: Traffic;
  private readonly poster: BotPoster;
  private readonly deliveries: Deliveries;
  private readonly parts: ServedParts;

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
    this.store = new ConversationStore(opts.tsBase !== undefined ? { tsBase: opts.tsBase } : {}, (c) => this.emit('change', c));
    this.traffic = new Traffic(opts.keepCalls ?? Infinity);
    this.poster = new BotPoster(this.signingSecret);
    this.deliveries = new Deliveries(this.store, this.poster, this.baseUrl);
    this.parts = { store: this.store, traffic: this.traffic, baseUrl: this.baseUrl, ...(this.botToken !== undefined ? { botToken: this.botToken } : {}) };
    this.calls = this.traffic.calls;
    this.responseUrlPosts = this.traffic.responseUrlPosts;
    this.uploads = this.store.uploads;
  }

  static async start(opts: StartOpts): Promise<SlackEmulator> {
    let emu: SlackEmulator | undefined;
    const server = createServer((req, res) => {
      // The server starts listening before `emu` exists, but nothing can know its port yet.
      route(emu!.parts, req, res).catch((err: unknown) => {
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
    for (const wake of [...this.traffic.callWaiters, ...this.traffic.responseWaiters]) wake();
    this.poster.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets from fetch() would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  /** Where deliveries go; set by the test, e.g. "http://127.0.0.1:3000/slack/events". */
  get botUrl(): string {
    return this.poster.botUrl;
  }

  set botUrl(url: string) {
    this.poster.botUrl = url;
  }

  // ------------------------------------------------------------------ inspection & control (./emulator/traffic.ts)

  callsTo(method: string): ApiCall[] {
    return this.traffic.callsTo(method);
  }

  /**
   * Resolves with the first recorded call (past or future) of `method` matching `pred`.
   * Without `pred`, calls answered by failNext() are skipped (they did not "happen" as far as
   * Slack is concerned); a given `pred` sees every call, `failed` ones included.
   */
  waitFor(method: string, pred?: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    return this.traffic.waitFor(method, pred, timeoutMs);
  }

  /** Resolves with the first POST to any response_url (past or future) matching `pred`. */
  waitForResponse(pred?: (p: ResponseUrlPost) => boolean, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.traffic.waitForResponse(pred, timeoutMs);
  }

  /** Forgets recorded traffic (calls, response_url posts, uploads), the conversation state and
   *  pending failNext()s. Configuration (users, channels, usergroups, custom handlers, botUrl) is kept. */
  reset(): void {
    this.traffic.reset();
    this.store.reset();
  }

  /** Makes the next `times` calls of `method` get `answer` instead of the normal one.
   *  They are still recorded, with `failed: true`. Queued failures apply in order. */
  failNext(method: string, times: number, answer: FailureAnswer): void {
    this.traffic.failNext(method, times, answer);
  }

  /** Implements (or overrides) a Web API method; the handler returns the full JSON answer. */
  setMethodHandler(method: string, handler: MethodHandler): void {
    this.traffic.setMethodHandler(method, handler);
  }

  // ------------------------------------------------------------------ conversation state (./emulator/store.ts)

  setUsergroup(id: string, users: string[]): void {
    this.store.setUsergroup(id, users);
  }

  setUser(id: string, info: EmulatedUser): void {
    this.store.setUser(id, info);
  }

  /** Names a channel: used for `channel_name` in payloads and by the local workspace. */
  setChannel(id: string, info: { name: string; topic?: string }): void {
    this.store.setChannel(id, info);
  }

  /** The channels named with setChannel(), in the order they were set. */
  listChannels(): { id: string; name: string; topic?: string }[] {
    return this.store.listChannels();
  }

  /** The users set with setUser(), in the order they were set. */
  listUsers(): (EmulatedUser & { id: string })[] {
    return this.store.listUsers();
  }

  /** The key a conversation's state is kept under: a DM with the bot (`D<user>` from
   *  conversations.open, or the user's id the bot posted to) is keyed by the user's id. */
  conversationKey(channel: string): string {
    return this.store.conversationKey(channel);
  }

  /** Every conversation that has messages. */
  conversationIds(): string[] {
    return this.store.conversationIds();
  }

  /** Every message of a conversation, thread replies included, in ts order. */
  messages(channel: string): readonly ConvMessage[] {
    return this.store.messages(channel);
  }

  /** What the channel shows: top-level messages and replies sent "also to the channel". */
  history(channel: string): ConvMessage[] {
    return this.store.history(channel);
  }

  /** The replies in a thread (without its parent), oldest first. */
  replies(channel: string, threadTs: string): ConvMessage[] {
    return this.store.replies(channel, threadTs);
  }

  message(channel: string, ts: string): ConvMessage | undefined {
    return this.store.message(channel, ts);
  }

  /** What only `user` sees, oldest first; in one conversation when `channel` is given. */
  ephemeralsFor(user: string, channel?: string): ConvEphemeral[] {
    return this.store.ephemeralsFor(user, channel);
  }

  /** The user dismissed an ephemeral message ("Dismiss" in Slack). */
  dismissEphemeral(user: string, id: string): boolean {
    return this.store.dismissEphemeral(user, id);
  }

  /** Forgets ephemerals (all, or those `pred` picks), as a reload of Slack does. */
  clearEphemerals(pred?: (e: ConvEphemeral) => boolean): void {
    this.store.clearEphemerals(pred);
  }

  /** The App Home view the bot last published for `user`. */
  homeView(user: string): ConvView | undefined {
    return this.store.homeView(user);
  }

  /** The user's open modals, bottom first (the last one is on top). */
  modalStack(user: string): readonly ConvView[] {
    return this.store.modalStack(user);
  }

  /** A modal or Home view by id, and whose it is. */
  findView(viewId: string): { user: string; view: ConvView; where: 'modal' | 'home' } | undefined {
    return this.store.findView(viewId);
  }

  /** Keeps what the user typed or picked in a view (`state.values`), as Slack does between interactions. */
  setViewState(viewId: string, values: Record<string, Record<string, any>>): void {
    this.store.setViewState(viewId, values);
  }

  /** Errors shown under a modal's inputs, by block_id (what Slack's client itself refuses). */
  setViewErrors(viewId: string, errors: Record<string, string>): void {
    this.store.setViewErrors(viewId, errors);
  }

  /**
   * The user closes a modal: it and any pushed on top of it go (with `all`, the whole stack).
   * Views with `notify_on_close` are reported to the bot as `view_closed`.
   */
  closeView(user: string, viewId: string, all = false): Promise<void> {
    return this.deliveries.closeView(user, viewId, all);
  }

  /**
   * A person's own message in a conversation (the composer of a Slack client). It is only shown:
   * dealdesk subscribes to no message events, so Slack would deliver it to no one.
   */
  postAsUser(user: string, channel: string, text: string, threadTs?: string): ConvMessage {
    return this.store.postAsUser(user, channel, text, threadTs);
  }

  /**
   * A person shares a file in their DM with the bot (the composer with a file attached), as Slack
   * does it: the file is kept (files.info describes it; its url_private serves the bytes to the
   * bot token only), a message of theirs shows it, and the bot, subscribed to `file_shared`, is
   * sent that event: `{ type: 'file_shared', channel_id: 'D…', file_id, user_id, file: { id } }`.
   * A bot that also subscribed to `message.im` would get a `message` with subtype `file_share`;
   * dealdesk does not, so that one is not sent.
   */
  async shareFile(user: string, file: { name: string; bytes: Buffer; title?: string; text?: string }, opts: SendOpts = {}): Promise<{ fileId: string; message: ConvMessage; reply: BotReply }> {
    const { fileId, message } = this.store.shareFile(user, user, file);
    const reply = await this.deliveries.event({ type: 'file_shared', channel_id: `D${user}`, file_id: fileId, user_id: user, file: { id: fileId } }, opts);
    return { fileId, message, reply };
  }

  /** Every GET of a file's private URL, and whether it carried the bot token. */
  get downloads(): readonly { fileId: string; authorized: boolean; at: number }[] {
    return this.store.downloads;
  }

  /** An ephemeral notice from Slack itself (USLACKBOT), e.g. "/x failed with the error …". */
  notice(user: string, channel: string, text: string, command?: string): ConvEphemeral {
    return this.store.notice(user, channel, text, command);
  }

  /** Name and size of an uploaded file. */
  fileInfo(id: string): { name: string; title?: string; mimetype: string; bytes?: Buffer; user?: string } | undefined {
    return this.store.fileInfo(id);
  }

  /**
   * Text as a Slack client sends it for a command with `should_escape`: &, < and > escaped,
   * `@name` of a known user → `<@U…|name>`, `#name` of a known channel → `<#C…|name>`.
   */
  escapeCommandText(typed: string): string {
    return this.store.escapeCommandText(typed);
  }

  /** The durable state (messages, Home views, file names), e.g. to keep it across restarts. */
  snapshot(): EmulatorSnapshot {
    return this.store.snapshot();
  }

  /** Restores a snapshot(); message ts continue after the latest one and never fall behind the clock. */
  restore(s: EmulatorSnapshot): void {
    this.store.restore(s);
  }

  // ------------------------------------------------------------------ deliveries to the bot (./emulator/deliveries.ts)

  /** Delivers a slash command like Slack: a signed form-encoded POST with a fresh response_url. */
  slashCommand(p: Parameters<Deliveries['slashCommand']>[0], opts: SendOpts = {}): Promise<BotReply & { responseUrlId: string }> {
    return this.deliveries.slashCommand(p, opts);
  }

  /**
   * Delivers a `block_actions` interaction (a button click by default) as `payload=<json>`.
   * With `container: { type: 'view', view_id }` (an action inside a modal) Slack sends no
   * response_url; then `responseUrlId` is ''.
   */
  blockAction(p: Parameters<Deliveries['blockAction']>[0], opts: SendOpts = {}): Promise<BotReply & { responseUrlId: string }> {
    return this.deliveries.blockAction(p, opts);
  }

  /** Delivers a `view_submission` (modal submit) as `payload=<json>`; for a modal this emulator
   *  holds (`view_id`), the payload carries that view and the bot's answer is applied to the
   *  modal stack (see Deliveries.viewSubmission). */
  viewSubmission(p: Parameters<Deliveries['viewSubmission']>[0], opts: SendOpts = {}): Promise<BotReply> {
    return this.deliveries.viewSubmission(p, opts);
  }

  /** Delivers a `view_closed` (the user closed a modal that has `notify_on_close`). */
  viewClosed(p: { user_id?: string; view: Record<string, any>; is_cleared?: boolean }, opts: SendOpts = {}): Promise<BotReply> {
    return this.deliveries.viewClosed(p, opts);
  }

  /**
   * Delivers an Events API `event_callback` (JSON body). `event_ts` (and `ts` for message
   * events) default to a fresh timestamp. Note Bolt drops events authored by the bot itself
   * (user "UBOT" / bot_id "BBOT", as reported by auth.test) via its ignoreSelf middleware.
   */
  event(p: { type: string; [k: string]: any }, opts: SendOpts = {}): Promise<BotReply> {
    return this.deliveries.event(p, opts);
  }

  /** POSTs `body` to botUrl with exactly these headers (no signing) — for forged requests. */
  rawPost(body: string, headers: Record<string, string>): Promise<BotReply> {
    return this.poster.rawPost(body, headers);
  }

  /** Computes the `X-Slack-Signature` value Slack would send for `rawBody` at `timestamp`. */
  sign(rawBody: string, timestamp: number, secret = this.signingSecret): string {
    return this.poster.sign(rawBody, timestamp, secret);
  }
}
