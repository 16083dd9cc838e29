/**
 * SocketModeServer — a loopback stand-in for Slack's Socket Mode (the "applink" WebSocket side),
 * used together with SlackEmulator (which plays the Web API).
 *
 * How a Socket Mode app connects (see node_modules/@slack/socket-mode/dist/src/SocketModeClient.js
 * and SlackWebSocket.js, socket-mode 3.x):
 *  1. `POST <slackApiUrl>apps.connections.open` with `Authorization: Bearer xapp-…` (the app-level
 *     token; the bot token is not involved). The answer's `url` is the WebSocket URL. We install an
 *     emulator method handler that hands out `ws://127.0.0.1:<port>/link?ticket=N`.
 *  2. It opens the WebSocket (undici's WebSocket) and waits for `{"type":"hello"}`; only then does
 *     `start()` resolve (the client emits "connected"). Nothing else in hello is read.
 *  3. Every other text frame is an envelope `{ envelope_id, type, payload, accepts_response_payload,
 *     retry_attempt?, retry_reason? }`. `type` is `events_api` (payload = the event_callback body),
 *     `slash_commands` (payload = the command fields as a JSON object, strings only), `interactive`
 *     (payload = the interaction payload object). Bolt acks every envelope by sending
 *     `{"envelope_id": …, "payload": {…}}` — the payload is whatever the listener gave `ack()`:
 *     `{}` for a bare `ack()`, `{ text }` for `ack('text')`, the object itself for `ack({...})`.
 *  4. `{"type":"disconnect","reason":…}`: the client closes this socket (close frame 1000) and, once
 *     the close completes, waits `clientPingTimeout` (5 s by default) × consecutive failures before
 *     calling apps.connections.open again. It does NOT open the new connection before closing the old
 *     one, so there is a short window with no connection at all.
 *     Anything the server sends after that close frame is dropped by the client (undici discards
 *     messages unless readyState is OPEN), and an ack for an envelope still being handled fails
 *     (SMSendWhileNotReadyError), so such envelopes go unacknowledged.
 *  5. Heartbeat: the client pings every clientPingTimeout/3 and disconnects when pongs stop (the `ws`
 *     server pongs automatically). It only watches for *server* pings after it has seen one, so the
 *     server pinging is optional here (see `pingIntervalMs`).
 *
 * Note: SlackEmulator refuses, before any method handler runs, every call whose token is not its
 * `botToken`. apps.connections.open carries the app token, so start the emulator *without*
 * `botToken` when you use this server (the constructor checks that) and assert the bot token on the
 * recorded calls instead.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { EMU_APP_ID, EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, EMU_TEAM_ID, EMU_VERIFICATION_TOKEN, type ApiCall, type SlackEmulator } from './slack-emulator.ts';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** One WebSocket connection the app opened. */
export interface SmConnection {
  /** 1, 2, … in the order connections were accepted. */
  id: number;
  /** The ticket from the URL that apps.connections.open handed out. */
  ticket: number;
  ws: WebSocket;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  closeReason?: string;
  /** Whether the app sent the close frame first (true) or we closed it (false). */
  closedByClient?: boolean;
}

/** An acknowledgement the app sent for one envelope. */
export interface SmAck {
  envelope_id: string;
  /** What the listener passed to `ack()` (`{}` for a bare `ack()`); undefined if the app sent none. */
  payload?: any;
  /** The connection it arrived on. */
  connectionId: number;
  at: number;
  /** The frame as received. */
  raw: string;
  /** Set for an ack that `loseAck` discarded: the app sent it, "Slack" never got it (see `lostAcks`). */
  lost?: true;
}

/** An envelope we sent. */
export interface SmEnvelope {
  envelope_id: string;
  payload: any;
  type: EnvelopeType;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SendEnvelopeOpts {
  /** Connection to use; defaults to the newest open one. */
  connection?: SmConnection;
  /** Redelivery fields (events_api). */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack before rejecting (default 5000 ms). */
  ackTimeoutMs?: number;
  /**
   * Simulates the socket dying while the ack is on the wire: when the app's ack for this envelope
   * arrives, the connection is dropped (`terminate`: no close frame; `close`: close frame 1001) and
   * the ack is discarded — it goes to `lostAcks`, not `acks`, and the promise resolves with it
   * (`lost: true`) so the test can see the app did the work. Redeliver it with `redeliver()`.
   */
  loseAck?: 'close' | 'terminate';
}

export interface SlashCommandAck extends SmAck {
  /** The id in `${emu.baseUrl}/response/<id>`, to find later `respond()` posts in emu.responseUrlPosts. */
  responseUrlId: string;
}

export interface SocketModeServerOptions {
  emu: SlackEmulator;
  /** The xapp-… token the app must present to apps.connections.open. */
  appToken: string;
  appId?: string;
  /** If set, the server pings every open connection at this interval, as Slack does. */
  pingIntervalMs?: number;
}

export class SocketModeServer {
  /** Port of the WebSocket server on 127.0.0.1. */
  readonly port: number;
  /** Every connection ever accepted, open or closed. */
  readonly connections: SmConnection[] = [];
  /** Every ack received, in order. */
  readonly acks: SmAck[] = [];
  /** Acks discarded by `loseAck` (the app sent them; the connection was dropped as they arrived). */
  readonly lostAcks: SmAck[] = [];
  /** Every delivery sent, in order (a `redeliver()` adds the same envelope_id again). */
  readonly envelopes: SmEnvelope[] = [];
  /** Frames from the app that were not acks (unparseable or without envelope_id). */
  readonly strayFrames: string[] = [];
  /** apps.connections.open calls this server answered (refused ones included). */
  readonly connectionsOpenCalls: ApiCall[] = [];
  /** Highest number of simultaneously open connections seen. */
  maxOpenConnections = 0;

  private readonly emu: SlackEmulator;
  private readonly appToken: string;
  private readonly appId: string;
  private readonly wss: WebSocketServer;
  private readonly ticketsIssued = new Set<number>();
  private readonly ticketsUsed = new Set<number>();
  private nextTicket = 1;
  private seq = 0;
  private closed = false;
  private pingTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly closingByUs = new WeakSet<SmConnection>();
  private readonly dropOnAck = new Map<string, 'close' | 'terminate'>();

  private constructor(wss: WebSocketServer, opts: SocketModeServerOptions) {
    this.wss = wss;
    this.emu = opts.emu;
    this.appToken = opts.appToken;
    this.appId = opts.appId ?? EMU_APP_ID;
    this.port = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws, req) => this.onConnection(ws, req));
    this.emu.setMethodHandler('apps.connections.open', (_args, call) => this.connectionsOpen(call));
    if (opts.pingIntervalMs) {
      this.pingTimer = setInterval(() => {
        for (const c of this.openList()) c.ws.ping(Buffer.from(`ping from emulated applink ${Date.now()}`));
      }, opts.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  static async start(opts: SocketModeServerOptions): Promise<SocketModeServer> {
    if (opts.emu.botToken !== undefined) {
      throw new Error(
        'SocketModeServer: start the SlackEmulator without `botToken`. It answers invalid_auth to any call ' +
          'not made with the bot token before method handlers run, so apps.connections.open (made with the ' +
          'xapp- token) could never reach this server. Check the tokens on emu.calls instead.',
      );
    }
    if (!/^xapp-/.test(opts.appToken)) throw new Error('SocketModeServer: appToken must be an app-level token (xapp-…)');
    let server: SocketModeServer | undefined;
    const wss = await new Promise<WebSocketServer>((resolve, reject) => {
      const s = new WebSocketServer({
        host: '127.0.0.1',
        port: 0,
        // Only URLs we handed out, each ticket once (Slack's tickets are single-use too).
        verifyClient: (info: { req: IncomingMessage }) => server?.acceptTicket(info.req) ?? false,
      });
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
    server = new SocketModeServer(wss, opts);
    return server;
  }

  /** Base of the URLs handed out, e.g. "ws://127.0.0.1:54321/link". */
  get linkUrl(): string {
    return `ws://127.0.0.1:${this.port}/link`;
  }

  /** Number of connections whose WebSocket is open right now. */
  openConnections(): number {
    return this.openList().length;
  }

  /** The newest open connection, if any. */
  current(): SmConnection | undefined {
    return this.openList().at(-1);
  }

  // ------------------------------------------------------------------ waiting

  /** Resolves once the n-th connection (1-based, counting all ever accepted) is open and greeted. */
  waitForConnection(n: number, timeoutMs = 10_000): Promise<SmConnection> {
    return this.waitUntil(() => this.connections[n - 1], timeoutMs, () => `connection #${n} (have ${this.connections.length})`);
  }

  /** Resolves once the connection has closed. */
  waitForClose(conn: SmConnection, timeoutMs = 5000): Promise<SmConnection> {
    return this.waitUntil(() => (conn.closedAt !== undefined ? conn : undefined), timeoutMs, () => `connection #${conn.id} to close`);
  }

  /** Resolves once no connection is open. */
  waitForNoConnections(timeoutMs = 5000): Promise<void> {
    return this.waitUntil(() => (this.openConnections() === 0 ? true : undefined), timeoutMs, () => `all connections to close (${this.openConnections()} open)`).then(() => undefined);
  }

  /** Resolves with the ack for `envelopeId` (past or future). */
  waitForAck(envelopeId: string, timeoutMs = 5000): Promise<SmAck> {
    return this.waitUntil(() => this.acks.find((a) => a.envelope_id === envelopeId), timeoutMs, () => `an ack for envelope ${envelopeId}`);
  }

  // ------------------------------------------------------------------ sending

  /** Number of times the envelope was delivered (sent or redelivered). */
  deliveries(envelopeId: string): number {
    return this.envelopes.filter((e) => e.envelope_id === envelopeId).length;
  }

  /** Sends one envelope and resolves with the app's ack for it. */
  async sendEnvelope(type: EnvelopeType, payload: any, acceptsResponsePayload: boolean, opts: SendEnvelopeOpts = {}): Promise<SmAck> {
    // Field order as Slack sends it: envelope_id, payload, type, accepts_response_payload[, retry_*].
    const envelope: SmEnvelope = { envelope_id: this.newEnvelopeId(), payload, type, accepts_response_payload: acceptsResponsePayload };
    if (type === 'events_api') {
      envelope.retry_attempt = opts.retryAttempt ?? 0;
      envelope.retry_reason = opts.retryReason ?? '';
    }
    return this.deliver(envelope, opts);
  }

  /**
   * Delivers an envelope sent before once more — same envelope_id, same payload — as Slack does when
   * it got no ack (e.g. the connection died first); resolves with the ack to this delivery. For
   * `events_api` the retry fields count up (retry_attempt = earlier deliveries, reason "timeout").
   */
  redeliver(envelopeId: string, opts: SendEnvelopeOpts = {}): Promise<SmAck> {
    const first = this.envelopes.find((e) => e.envelope_id === envelopeId);
    if (!first) throw new Error(`SocketModeServer: envelope ${envelopeId} was never sent`);
    const again: SmEnvelope = { envelope_id: first.envelope_id, payload: first.payload, type: first.type, accepts_response_payload: first.accepts_response_payload };
    if (first.type === 'events_api') {
      again.retry_attempt = opts.retryAttempt ?? this.deliveries(envelopeId);
      again.retry_reason = opts.retryReason ?? 'timeout';
    }
    return this.deliver(again, opts);
  }

  private deliver(envelope: SmEnvelope, opts: SendEnvelopeOpts): Promise<SmAck> {
    const conn = opts.connection ?? this.current();
    if (!conn || conn.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`SocketModeServer: no open connection to send a ${envelope.type} envelope on`));
    // Only acks that arrive after this delivery answer it (a redelivery may follow an earlier ack).
    const fromAck = this.acks.length;
    const fromLost = this.lostAcks.length;
    const id = envelope.envelope_id;
    if (opts.loseAck) this.dropOnAck.set(id, opts.loseAck);
    this.envelopes.push(envelope);
    conn.ws.send(JSON.stringify(envelope));
    return this.waitUntil(
      () => this.acks.slice(fromAck).find((a) => a.envelope_id === id) ?? this.lostAcks.slice(fromLost).find((a) => a.envelope_id === id),
      opts.ackTimeoutMs ?? 5000,
      () => `an ack for envelope ${id}`,
    );
  }

  /** Delivers a slash command as Slack does over Socket Mode; resolves with the ack. */
  async sendSlashCommand(
    p: { command: string; text: string; user_id?: string; user_name?: string; channel_id?: string; channel_name?: string; team_id?: string; trigger_id?: string },
    opts: SendEnvelopeOpts = {},
  ): Promise<SlashCommandAck> {
    const responseUrlId = this.newId('SMR');
    const userId = p.user_id ?? 'U_SELLER';
    const channelId = p.channel_id ?? 'C_SALES';
    // The same fields as the HTTP form body, but as a JSON object (values stay strings).
    const payload: Record<string, string> = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: p.team_id ?? EMU_TEAM_ID,
      team_domain: EMU_TEAM_DOMAIN,
      channel_id: channelId,
      channel_name: p.channel_name ?? channelName(channelId),
      user_id: userId,
      user_name: p.user_name ?? userId.toLowerCase(),
      command: p.command,
      text: p.text,
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: `${this.emu.baseUrl}/response/${responseUrlId}`,
      trigger_id: p.trigger_id ?? this.newTriggerId(),
    };
    const ack = await this.sendEnvelope('slash_commands', payload, true, opts);
    return { ...ack, responseUrlId };
  }

  /** Delivers a `block_actions` interaction (a button click); resolves with the ack and the response_url id. */
  async sendBlockAction(
    p: { action_id: string; value?: string; block_id?: string; user_id?: string; channel_id?: string; message?: any; trigger_id?: string; actions?: any[] },
    opts: SendEnvelopeOpts = {},
  ): Promise<SlashCommandAck> {
    const responseUrlId = this.newId('SMR');
    const userId = p.user_id ?? 'U_SELLER';
    const channelId = p.channel_id ?? 'C_SALES';
    const messageTs = p.message?.ts ?? '1700000000.000100';
    const payload: Record<string, any> = {
      type: 'block_actions',
      user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: EMU_TEAM_ID },
      api_app_id: this.appId,
      token: EMU_VERIFICATION_TOKEN,
      container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: true },
      trigger_id: p.trigger_id ?? this.newTriggerId(),
      team: { id: EMU_TEAM_ID, domain: EMU_TEAM_DOMAIN },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channelId, name: channelName(channelId) },
      ...(p.message !== undefined ? { message: p.message } : {}),
      state: { values: {} },
      response_url: `${this.emu.baseUrl}/response/${responseUrlId}`,
      actions: p.actions ?? [
        {
          action_id: p.action_id,
          block_id: p.block_id ?? 'emu_block',
          text: { type: 'plain_text', text: p.action_id, emoji: true },
          ...(p.value !== undefined ? { value: p.value } : {}),
          type: 'button',
          action_ts: nowTs(),
        },
      ],
    };
    const ack = await this.sendEnvelope('interactive', payload, false, opts);
    return { ...ack, responseUrlId };
  }

  /** Delivers any `interactive` payload as is (view_submission etc.); view submissions accept a response payload. */
  sendInteractive(payload: any, opts: SendEnvelopeOpts = {}): Promise<SmAck> {
    return this.sendEnvelope('interactive', payload, payload?.type === 'view_submission', opts);
  }

  /** Delivers an Events API event wrapped in an event_callback body. */
  sendEvent(event: { type: string; [k: string]: any }, opts: SendEnvelopeOpts = {}): Promise<SmAck> {
    const ts = nowTs();
    const e: Record<string, any> = { ...event, event_ts: event.event_ts ?? ts };
    if (event.type === 'message' && e.ts === undefined) e.ts = e.event_ts;
    const payload = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: EMU_TEAM_ID,
      api_app_id: this.appId,
      event: e,
      type: 'event_callback',
      event_id: this.newId('EvSM'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: EMU_TEAM_ID, user_id: EMU_BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-socket-${this.seq}`,
    };
    return this.sendEnvelope('events_api', payload, false, opts);
  }

  /** Asks the app to reconnect, as Slack does before recycling a server (`refresh_requested`, `warning`, `link_disabled`). */
  sendDisconnect(reason = 'refresh_requested', connection: SmConnection | undefined = this.current()): void {
    if (!connection || connection.ws.readyState !== WebSocket.OPEN) throw new Error('SocketModeServer: no open connection to send disconnect on');
    connection.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: `applink-emulated-${connection.id}` } }));
  }

  /** Closes one connection from our side: a close handshake, or `terminate` to drop the TCP socket. */
  closeConnection(connection: SmConnection, how: 'close' | 'terminate' = 'close', code = 1001): void {
    this.closingByUs.add(connection);
    if (how === 'terminate') connection.ws.terminate();
    else connection.ws.close(code, 'server closing');
  }

  /** Stops accepting, drops every connection, and makes apps.connections.open fail from now on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const c of this.connections) if (c.closedAt === undefined) this.closeConnection(c, 'terminate');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const w of [...this.waiters]) w();
  }

  // ------------------------------------------------------------------ private

  private connectionsOpen(call: ApiCall): Record<string, any> {
    this.connectionsOpenCalls.push(call);
    if (this.closed) return { ok: false, error: 'internal_error' };
    if (call.token === undefined) return { ok: false, error: 'not_authed' };
    if (/^xox[bpu]-/.test(call.token)) return { ok: false, error: 'not_allowed_token_type' };
    if (call.token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = this.nextTicket++;
    this.ticketsIssued.add(ticket);
    return { ok: true, url: `${this.linkUrl}?ticket=${ticket}` };
  }

  private acceptTicket(req: IncomingMessage): boolean {
    if (this.closed) return false;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = Number(url.searchParams.get('ticket'));
    if (url.pathname !== '/link' || !this.ticketsIssued.has(ticket) || this.ticketsUsed.has(ticket)) return false;
    this.ticketsUsed.add(ticket);
    return true;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const ticket = Number(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('ticket'));
    const conn: SmConnection = { id: this.connections.length + 1, ticket, ws, openedAt: Date.now() };
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(conn, data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => {
      conn.closedAt = Date.now();
      conn.closeCode = code;
      conn.closeReason = reason.toString();
      conn.closedByClient = !this.closingByUs.has(conn);
      this.wake();
    });
    ws.on('error', () => {
      /* a reset from the peer; 'close' follows */
    });
    this.connections.push(conn);
    this.maxOpenConnections = Math.max(this.maxOpenConnections, this.openConnections());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections(),
        debug_info: { host: `applink-emulated-${conn.id}`, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.wake();
  }

  private onFrame(conn: SmConnection, data: RawData, isBinary: boolean): void {
    const raw = isBinary ? `<binary ${Buffer.isBuffer(data) ? data.length : '?'} bytes>` : data.toString();
    let msg: any;
    try {
      msg = isBinary ? undefined : JSON.parse(raw);
    } catch {
      msg = undefined;
    }
    if (!msg || typeof msg.envelope_id !== 'string') {
      this.strayFrames.push(raw);
      return;
    }
    const ack: SmAck = { envelope_id: msg.envelope_id, connectionId: conn.id, at: Date.now(), raw };
    if ('payload' in msg) ack.payload = msg.payload;
    const drop = this.dropOnAck.get(msg.envelope_id);
    if (drop) {
      // The connection dies with the ack on the wire: Slack never sees it.
      this.dropOnAck.delete(msg.envelope_id);
      ack.lost = true;
      this.lostAcks.push(ack);
      this.closeConnection(conn, drop);
    } else {
      this.acks.push(ack);
    }
    this.wake();
  }

  private openList(): SmConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined && c.ws.readyState === WebSocket.OPEN);
  }

  private newEnvelopeId(): string {
    // Slack's envelope ids are UUIDs; ours are readable and unique.
    this.seq += 1;
    return `env-${String(this.seq).padStart(6, '0')}-emulated`;
  }

  private newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  private newTriggerId(): string {
    this.seq += 1;
    return `${this.seq}.1700000000.sm${this.seq.toString(16).padStart(8, '0')}`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitUntil<T>(find: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit !== undefined) {
          cleanup();
          resolve(hit);
        } else if (this.closed) {
          cleanup();
          reject(new Error(`SocketModeServer: closed while waiting for ${what()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `SocketModeServer: timed out after ${timeoutMs}ms waiting for ${what()}. ` +
              `Connections: ${this.connections.map((c) => `#${c.id}${c.closedAt === undefined ? ' open' : ` closed(${c.closeCode})`}`).join(', ') || '(none)'}; ` +
              `acks: ${this.acks.length}; apps.connections.open calls: ${this.connectionsOpenCalls.length}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}

function channelName(id: string): string {
  if (id.startsWith('D')) return 'directmessage';
  return id.toLowerCase().replace(/^c_?/, '') || 'general';
}

function nowTs(): string {
  const us = Date.now() * 1000;
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}
