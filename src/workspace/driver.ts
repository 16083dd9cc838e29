/**
 * The driver of the local workspace: everything a person can do on the page, delivered to the
 * bot as Slack would (through the emulator), and the state the page shows. The JSON API
 * (./routes.ts) and the demo seeding (./demo.ts) both go through here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { AppLogger } from '../log.ts';
import type { Store } from '../repos/store.ts';
import type { Running } from '../server.ts';
import { clientSideProblems, ephemeralJson, messagePayload, stateValues, viewPayload } from './client.ts';
import { actionPayload, EMU_BOT_USER_ID, findElement, type BotReply, type ConvMessage, type SlackEmulator, type StateChange } from './emulator.ts';
import { personasFor, type Personas, type Person } from './personas.ts';
import { isLocale, type Locale } from '../domain/locales.ts';
import { word } from './page/words.js';

const MANIFEST = fileURLToPath(new URL('../../manifest.yml', import.meta.url));

/** What seeding the demo company did (./demo.ts). */
export interface DemoSummary {
  skipped: boolean;
  /** For the log, in English; the page says it in its own words from the figures. */
  message: string;
  /** Clients the database already had (when skipped). */
  existing?: number;
  seconds?: number;
  clients: number;
  contracts: number;
  invoices: number;
}

/** Seeds the demo company through the driver: ./demo.ts's seedDemo, handed in by ./server.ts. */
export type DemoSeeder = (d: WorkspaceDriver, store: Store, logger: AppLogger) => Promise<DemoSummary>;

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
  /** Its people, channels and name, in the workspace's language. */
  readonly personas: Personas;

  constructor(
    readonly emu: SlackEmulator,
    private readonly bot: () => Running,
    private readonly logger: AppLogger,
    private readonly seedDemo: DemoSeeder,
    /** The workspace's language (DEALDESK_LOCALE): its people and demo company, and the page's default. */
    readonly locale: Locale = 'en',
  ) {
    this.commands = readCommands();
    this.personas = personasFor(locale);
    this.pageLocale = locale;
  }

  /** The language the page was last switched to (every persona's), the workspace's until then. */
  private pageLocale: Locale;

  /** Slack's own words (its notices, its form checks) in the page's language: the one it sends, else the last switch's. */
  private slackWords(lang: unknown): (key: string, values?: Record<string, unknown>) => string {
    const l = typeof lang === 'string' && isLocale(lang) ? lang : this.pageLocale;
    return (key, values) => word(l, key, values);
  }

  person(id: unknown): Person {
    const p = this.personas.people.find((x) => x.id === id);
    if (!p) throw new HttpError(400, `unknown user ${String(id)}: one of ${this.personas.people.map((x) => x.id).join(', ')}`);
    return p;
  }

  /** The conversations `user` can see: the three channels and their own DM with the bot. */
  conversationOf(user: string, channel: unknown): string {
    const key = this.emu.conversationKey(String(channel ?? ''));
    if (this.personas.channels.some((c) => c.id === key) || key === user) return key;
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
      workspace: { name: this.personas.workspaceName },
      locale: this.locale,
      me: me.id,
      bot: { id: EMU_BOT_USER_ID, name: 'dealdesk' },
      users: [
        ...this.personas.people.map((p) => ({ ...p, initials: initials(p.realName) })),
        { id: EMU_BOT_USER_ID, name: 'dealdesk', realName: 'dealdesk', title: 'App', role: 'bot', color: '#1f4e79', initials: 'dd', isBot: true },
        { id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot', title: 'Slack', role: 'bot', color: '#4a154b', initials: 'sb', isBot: true },
      ],
      channels: this.personas.channels.map(({ id, name, topic }) => ({ id, name, topic })),
      dms: [{ id: me.id, name: 'dealdesk', app: true }],
      conversations: Object.fromEntries([...this.personas.channels.map((c) => c.id), me.id].map((id) => [id, conv(id)])),
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
  async command(user: string, channel: string, typed: string, lang?: unknown): Promise<{ ok: boolean; status?: number; error?: string; reply?: BotReply }> {
    this.person(user);
    const say = this.slackWords(lang);
    const key = this.conversationOf(user, channel);
    const m = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(typed.trim());
    if (!m) throw new HttpError(400, 'a command starts with /, e.g. /client help');
    const command = `/${m[1]!.toLowerCase()}`;
    const text = (m[2] ?? '').trim();
    if (!this.commands.some((c) => c.command === command)) {
      this.emu.notice(user, key, say('slack.notCommand', { command }), typed.trim());
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
      this.emu.notice(user, key, say('slack.commandFailed', { command, error: timeout ? 'operation_timeout' : 'dispatch_failed' }), `${command} ${text}`.trim());
      if (!timeout) this.logger.warn(`local workspace: ${command} could not reach the bot: ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, error: timeout ? 'operation_timeout' : 'dispatch_failed' };
    }
    if (reply.status !== 200) {
      this.emu.notice(user, key, say('slack.commandHttpFailed', { command, status: reply.status }), `${command} ${text}`.trim());
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
   * A person attaches a file in their DM with dealdesk (the composer's paper clip): shared as Slack
   * shares it, so the bot hears `file_shared` and fetches it (a CSV from the books, SPEC §6).
   */
  async shareFile(user: string, channel: string, name: string, bytes: Buffer): Promise<{ ok: boolean; status: number; fileId: string }> {
    this.person(user);
    if (this.conversationOf(user, channel) !== user) throw new HttpError(400, 'files can be shared in the DM with dealdesk only');
    if (name.trim() === '' || bytes.length === 0) throw new HttpError(400, 'an empty file');
    const r = await this.emu.shareFile(user, { name: name.trim().slice(0, 200), bytes });
    return { ok: r.reply.status === 200, status: r.reply.status, fileId: r.fileId };
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
  async submit(user: string, viewId: string, values: Record<string, any> = {}, lang?: unknown): Promise<{ ok: boolean; status?: number; responseAction: string; errors?: Record<string, string> }> {
    this.person(user);
    const say = this.slackWords(lang);
    const view = this.emu.modalStack(user).find((v) => v.id === viewId);
    if (!view) throw new HttpError(404, `no open modal ${viewId} for ${user}`);
    const state = stateValues(view, values, true);
    // Slack checks required fields and input limits itself, before the app sees anything.
    const problems = clientSideProblems(view, state, say);
    if (Object.keys(problems).length > 0) {
      this.emu.setViewState(view.id, state);
      this.emu.setViewErrors(view.id, problems);
      return { ok: false, responseAction: 'errors', errors: problems };
    }
    const reply = await this.emu.viewSubmission({ user_id: user, view_id: view.id, callback_id: view.callback_id, state_values: state });
    if (reply.status !== 200) {
      this.emu.setViewErrors(view.id, { _: say('slack.trouble', { status: reply.status }) });
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

  /**
   * The page's language switch: every persona's `/dealdesk language <locale>` (one person plays
   * them all here), so dealdesk answers each in it; their confirmations are not left in the DMs.
   */
  async setLanguage(locale: unknown): Promise<{ ok: boolean }> {
    if (typeof locale !== 'string' || !isLocale(locale)) throw new HttpError(400, `locale must be one of en, bg`);
    this.pageLocale = locale;
    const before = new Set(this.personas.people.flatMap((p) => this.emu.ephemeralsFor(p.id).map((e) => e.id)));
    let ok = true;
    for (const p of this.personas.people) {
      const r = await this.command(p.id, p.id, `/dealdesk language ${locale}`);
      ok &&= r.ok;
    }
    this.emu.clearEphemerals((e) => !before.has(e.id));
    return { ok };
  }

  /** Seeds the demo company (once at a time; a second call waits for the first). */
  demo(): Promise<DemoSummary> {
    if (!this.seeding) {
      this.seeding = this.seedDemo(this, this.bot().store, this.logger).finally(() => {
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
