/**
 * The conversation state a Slack client would show (see the header of ../emulator.ts): the
 * channels' messages and threads, ephemerals, Home views and modal stacks, users, usergroups and
 * channel names, uploaded files, and the ids and message ts handed out — with snapshot/restore
 * of its durable part. Every change is reported through `onChange` (SlackEmulator emits it as
 * `'change'`).
 *
 * The other parts of the emulator (deliveries, the Web API methods, the HTTP server) read and
 * change this state directly; SlackEmulator itself exposes only its own public API.
 */
import { EMU_BOT_USER_ID, type ConvEphemeral, type ConvMessage, type ConvView, type EmulatedUser, type EmulatorSnapshot, type StateChange } from './types.ts';
import { compareTs, defaultChannelName, mimeOf, tsFor } from './util.ts';

const BASE_TS_SECONDS = 1_700_000_000;

/** What a response_url answers for: the command or the click it was handed out with. */
export interface ResponseTarget {
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

export class ConversationStore {
  seq = 0;
  tsBase = BASE_TS_SECONDS;
  readonly usergroups = new Map<string, string[]>();
  readonly users = new Map<string, EmulatedUser>();
  readonly fileMeta = new Map<string, { name: string; title?: string; length?: number; user?: string; created?: number }>();
  /** Every GET of a file's private URL (url_private), whether its token was good. */
  readonly downloads: { fileId: string; authorized: boolean; at: number }[] = [];
  /** Bytes POSTed to upload URLs from files.getUploadURLExternal, by file id. */
  readonly uploads = new Map<string, Buffer>();

  // Conversation state (see the header).
  readonly convs = new Map<string, ConvMessage[]>();
  readonly ephemerals: ConvEphemeral[] = [];
  readonly homes = new Map<string, ConvView>();
  readonly modals = new Map<string, ConvView[]>();
  readonly triggers = new Map<string, string>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  readonly channelInfo = new Map<string, { name: string; topic?: string }>();

  constructor(
    opts: { tsBase?: number },
    private readonly onChange: (c: StateChange) => void,
  ) {
    if (opts.tsBase !== undefined) this.tsBase = Math.floor(opts.tsBase);
  }

  /** Forgets uploads and the conversation state (SlackEmulator.reset). */
  reset(): void {
    this.uploads.clear();
    this.downloads.length = 0;
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
   * A person's own message in a conversation (the composer of a Slack client). It is only shown:
   * dealdesk subscribes to no message events, so Slack would deliver it to no one.
   */
  postAsUser(user: string, channel: string, text: string, threadTs?: string): ConvMessage {
    const msg: ConvMessage = { ts: this.nextTs(), channel: this.conversationKey(channel), user, text, at: Date.now() };
    if (threadTs !== undefined) msg.thread_ts = threadTs;
    this.addMessage(msg);
    return msg;
  }

  /**
   * A person shares a file in a conversation (a client's composer with a file attached): the
   * file is theirs, kept with its bytes, and shown in a message of theirs with the file.
   */
  shareFile(user: string, channel: string, f: { name: string; bytes: Buffer; title?: string; text?: string }): { message: ConvMessage; fileId: string } {
    const fileId = this.newId('F');
    const title = f.title ?? f.name;
    this.fileMeta.set(fileId, { name: f.name, title, length: f.bytes.length, user, created: Math.floor(Date.now() / 1000) });
    this.uploads.set(fileId, f.bytes);
    const message: ConvMessage = {
      ts: this.nextTs(),
      channel: this.conversationKey(channel),
      user,
      text: f.text ?? '',
      files: [{ id: fileId, name: f.name, title, mimetype: mimeOf(f.name), size: f.bytes.length, url: `/files/${fileId}` }],
      at: Date.now(),
    };
    this.addMessage(message);
    this.changed({ kind: 'file', fileId, channel: message.channel });
    return { message, fileId };
  }

  /** An ephemeral notice from Slack itself (USLACKBOT), e.g. "/x failed with the error …". */
  notice(user: string, channel: string, text: string, command?: string): ConvEphemeral {
    const id = this.addEphemeral({ ts: this.nextTs(), channel: this.conversationKey(channel), user, text, from: 'USLACKBOT', ...(command ? { command } : {}) });
    return this.ephemerals.find((e) => e.id === id)!;
  }

  /** Name and size of an uploaded file. */
  fileInfo(id: string): { name: string; title?: string; mimetype: string; bytes?: Buffer; user?: string; created?: number; length?: number } | undefined {
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

  // ------------------------------------------------------------------ changing the state

  changed(c: StateChange): void {
    this.onChange(c);
  }

  addMessage(m: ConvMessage): void {
    const list = this.convs.get(m.channel) ?? [];
    insertByTs(list, m);
    this.convs.set(m.channel, list);
    if (m.thread_ts !== undefined && m.thread_ts !== m.ts) {
      const parent = list.find((p) => p.ts === m.thread_ts);
      if (parent && parent.thread_ts === undefined) parent.thread_ts = parent.ts;
    }
    this.changed({ kind: 'message', channel: m.channel, ts: m.ts });
  }

  addEphemeral(e: Omit<ConvEphemeral, 'id' | 'at' | 'from'> & { from?: string }): string {
    const id = this.newId('E');
    // A sort of the whole list on each one made every answer slower than the last (5 ms after 8,000).
    insertByTs(this.ephemerals, { from: EMU_BOT_USER_ID, ...e, id, at: Date.now() });
    this.changed({ kind: 'ephemeral', channel: e.channel, user: e.user });
    return id;
  }

  replaceContent(target: { text: string; blocks?: any[]; attachments?: any[] }, b: Record<string, any>): void {
    target.text = String(b.text ?? '');
    if (Array.isArray(b.blocks)) target.blocks = b.blocks;
    else delete target.blocks;
    if (Array.isArray(b.attachments)) target.attachments = b.attachments;
    else delete target.attachments;
  }

  deleteMessage(channel: string, ts: string): void {
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

  // ------------------------------------------------------------------ ids and names

  userIdByName(name: string): string | undefined {
    const n = name.toLowerCase();
    for (const [id, u] of this.users) {
      if (u.name?.toLowerCase() === n || id.toLowerCase() === n) return id;
    }
    for (const [id, u] of this.users) {
      if (u.real_name?.split(/\s+/)[0]?.toLowerCase() === n) return id;
    }
    return undefined;
  }

  channelName(id: string): string {
    return this.channelInfo.get(id)?.name ?? defaultChannelName(id);
  }

  userName(id: string): string {
    return this.users.get(id)?.name ?? id.toLowerCase();
  }

  newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  newTriggerId(): string {
    this.seq += 1;
    return `${this.seq}.${this.tsBase}.emu${this.seq.toString(16).padStart(8, '0')}`;
  }

  /** Unique, strictly increasing message ts: "1700000000.000100", "1700000000.000200", … */
  nextTs(): string {
    this.seq += 1;
    return tsFor(this.tsBase, this.seq);
  }
}

/**
 * `item` into `list` (in ts order) after any of the same ts. Usually it is the newest, so its place
 * is found from the end; a reserved ts (a slash command's answer) may land a little earlier.
 */
function insertByTs<T extends { ts: string }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && compareTs(list[i - 1]!.ts, item.ts) > 0) i--;
  list.splice(i, 0, item);
}
