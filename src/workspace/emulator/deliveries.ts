/**
 * Deliveries to the bot, as Slack's platform makes them: slash commands (with a fresh
 * response_url), block actions, view submissions and closes, and Events API callbacks — each
 * signed and POSTed through the BotPoster, with the response_url targets and trigger ids it hands
 * out remembered in the store, and the bot's immediate answer applied to what the user sees.
 */
import type { BotPoster } from './signing.ts';
import type { ConversationStore, ResponseTarget } from './store.ts';
import { actionPayload, findElement } from './elements.ts';
import { applySubmissionAnswer } from './responses.ts';
import { EMU_APP_ID, EMU_BOT_ID, EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, EMU_TEAM_ID, EMU_VERIFICATION_TOKEN, type BotReply, type SendOpts } from './types.ts';
import { blocksOf, hasContent, nowTs, remember, tsFor } from './util.ts';

export class Deliveries {
  constructor(
    private readonly store: ConversationStore,
    private readonly poster: BotPoster,
    /** e.g. "http://127.0.0.1:54321": where the response_urls handed out are served. */
    private readonly baseUrl: string,
  ) {}

  /**
   * The user closes a modal: it and any pushed on top of it go (with `all`, the whole stack).
   * Views with `notify_on_close` are reported to the bot as `view_closed`.
   */
  async closeView(user: string, viewId: string, all = false): Promise<void> {
    const stack = this.store.modals.get(user) ?? [];
    const i = all ? 0 : stack.findIndex((v) => v.id === viewId);
    if (i < 0 || stack.length === 0) return;
    const closed = stack.splice(i);
    if (stack.length === 0) this.store.modals.delete(user);
    this.store.changed({ kind: 'modal', user, viewId });
    for (const v of closed.reverse()) {
      if (v.notify_on_close && this.poster.botUrl) {
        await this.viewClosed({ user_id: user, view: { ...v }, is_cleared: all && closed.length > 1 }).catch(() => undefined);
      }
    }
  }

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
    const triggerId = p.trigger_id ?? this.store.newTriggerId();
    remember(this.store.triggers, triggerId, userId);
    const command = p.text === '' ? p.command : `${p.command} ${p.text}`;
    const target: ResponseTarget = { kind: 'command', user: userId, channel: this.store.conversationKey(channelId), command };
    remember(this.store.responseTargets, responseUrlId, target);
    // The answer sits where the command was typed, even if a response_url POST overtakes the ack.
    const ackTs = this.store.nextTs();
    // Field set and order as Slack sends them (enterprise_id/enterprise_name only on Enterprise Grid).
    const fields: Record<string, string> = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: p.team_id ?? EMU_TEAM_ID,
      team_domain: EMU_TEAM_DOMAIN,
      channel_id: channelId,
      channel_name: p.channel_name ?? this.store.channelName(channelId),
      user_id: userId,
      user_name: p.user_name ?? this.store.userName(userId),
      command: p.command,
      text: p.text,
      api_app_id: EMU_APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const reply = await this.poster.sendSigned(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
    if (reply.status === 200 && !target.settledBeforeAck) {
      // Slack shows a non-empty ack body as the answer: ephemeral unless `in_channel`.
      const body = typeof reply.body === 'string' ? (reply.body === '' ? undefined : { text: reply.body }) : reply.body;
      if (body && typeof body === 'object' && hasContent(body)) {
        if (body.response_type === 'in_channel') {
          this.store.addMessage({ ts: ackTs, channel: target.channel, user: EMU_BOT_USER_ID, text: String(body.text ?? ''), ...blocksOf(body), at: Date.now(), command });
        } else {
          target.lastEphemeralId = this.store.addEphemeral({ ts: ackTs, channel: target.channel, user: userId, text: String(body.text ?? ''), ...blocksOf(body), command, responseUrlId });
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
    const messageTs = p.message_ts ?? p.message?.ts ?? tsFor(this.store.tsBase, 0);
    const container = p.container ?? {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
    };
    const inView = container.type === 'view';
    const responseUrl = inView ? undefined : this.newResponseUrl();
    const triggerId = p.trigger_id ?? this.store.newTriggerId();
    remember(this.store.triggers, triggerId, userId);
    if (responseUrl) {
      const target: ResponseTarget = { kind: 'action', user: userId, channel: this.store.conversationKey(container.channel_id ?? channelId), messageTs: container.message_ts ?? messageTs, ephemeral: container.is_ephemeral === true };
      const threadTs = container.thread_ts ?? p.message?.thread_ts;
      if (threadTs !== undefined) target.threadTs = threadTs;
      remember(this.store.responseTargets, responseUrl.id, target);
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
    if (!inView) payload.channel = { id: channelId, name: this.store.channelName(channelId) };
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
        ? actionPayload(hit, { ...(p.value !== undefined ? { value: p.value } : {}) }, nowTs())
        : {
            action_id: p.action_id,
            block_id: p.block_id ?? 'emu_block',
            text: { type: 'plain_text', text: p.action_id, emoji: true },
            ...(p.value !== undefined ? { value: p.value } : {}),
            type: 'button',
            action_ts: nowTs(),
          },
    ];
    const reply = await this.poster.sendPayload(payload, opts);
    return { ...reply, responseUrlId: responseUrl?.id ?? '' };
  }

  /** The blocks a click was on: the view or message given, else the view, ephemeral or message held here. */
  private clickedBlocks(user: string, container: any, p: { view?: any; message?: any }): any[] | undefined {
    if (container.type === 'view') return p.view?.blocks ?? this.store.findView(String(container.view_id ?? ''))?.view.blocks;
    if (p.message?.blocks) return p.message.blocks;
    const key = this.store.conversationKey(String(container.channel_id ?? ''));
    const ts = String(container.message_ts ?? '');
    const eph = () => this.store.ephemerals.find((e) => e.user === user && e.channel === key && e.ts === ts);
    return (container.is_ephemeral === true ? eph() : (this.store.message(key, ts) ?? eph()))?.blocks;
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
    const viewId = p.view_id ?? this.store.newId('V');
    const stored = p.view_id !== undefined ? this.store.modalStack(userId).find((v) => v.id === p.view_id) : undefined;
    const triggerId = this.store.newTriggerId();
    remember(this.store.triggers, triggerId, userId);
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
        hash: p.hash ?? stored?.hash ?? `${this.store.tsBase}.${this.store.seq}emu`,
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
    const reply = await this.poster.sendPayload(payload, opts);
    if (stored && reply.status === 200) applySubmissionAnswer(this.store, userId, stored, p.state_values, reply.body);
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
    return this.poster.sendPayload(payload, opts);
  }

  /**
   * Delivers an Events API `event_callback` (JSON body). `event_ts` (and `ts` for message
   * events) default to a fresh timestamp. Note Bolt drops events authored by the bot itself
   * (user "UBOT" / bot_id "BBOT", as reported by auth.test) via its ignoreSelf middleware.
   */
  async event(p: { type: string; [k: string]: any }, opts: SendOpts = {}): Promise<BotReply> {
    const ts = nowTs();
    const event: Record<string, any> = { ...p, event_ts: p.event_ts ?? ts };
    if (p.type === 'message' && event.ts === undefined) event.ts = event.event_ts;
    const body = {
      token: EMU_VERIFICATION_TOKEN,
      team_id: EMU_TEAM_ID,
      api_app_id: EMU_APP_ID,
      event,
      type: 'event_callback',
      event_id: this.store.newId('Ev'),
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
      event_context: `4-emulated-${this.store.seq}`,
    };
    return this.poster.sendSigned(JSON.stringify(body), 'application/json', opts);
  }

  private payloadUser(id: string): Record<string, string> {
    const name = this.store.userName(id);
    return { id, username: name, name, team_id: EMU_TEAM_ID };
  }

  private newResponseUrl(): { id: string; url: string } {
    const id = this.store.newId('R');
    return { id, url: `${this.baseUrl}/response/${id}` };
  }
}
