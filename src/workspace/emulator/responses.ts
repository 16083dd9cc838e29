/**
 * What the bot's answers do to the conversation state: POSTs to a response_url (through the
 * target the command or click handed it out with) and the answer to a view_submission.
 */
import { viewObject } from './api/views.ts';
import type { ConversationStore } from './store.ts';
import { EMU_BOT_USER_ID, type ConvMessage, type ConvView } from './types.ts';
import { blocksOf, hasContent, toConvView } from './util.ts';

/** Keeps the conversation state in step with a POST to a response_url. */
export function applyResponse(store: ConversationStore, id: string, body: any): void {
  const t = store.responseTargets.get(id);
  if (!t) return;
  const b: Record<string, any> = typeof body === 'string' ? (body === '' ? {} : { text: body }) : body && typeof body === 'object' ? body : {};
  const flag = (v: unknown) => v === true || v === 'true';
  const replace = flag(b.replace_original);
  const remove = flag(b.delete_original);
  if (replace || remove) {
    if (t.kind === 'command' && t.lastEphemeralId === undefined) t.settledBeforeAck = true;
    const eph =
      t.kind === 'command'
        ? store.ephemerals.find((e) => e.id === t.lastEphemeralId)
        : t.ephemeral
          ? store.ephemerals.find((e) => e.ts === t.messageTs && e.user === t.user)
          : undefined;
    if (eph) {
      if (remove) store.dismissEphemeral(t.user, eph.id);
      else {
        store.replaceContent(eph, b);
        store.changed({ kind: 'ephemeral', channel: eph.channel, user: eph.user });
      }
      return;
    }
    const msg = t.kind === 'action' && !t.ephemeral && t.messageTs ? store.message(t.channel, t.messageTs) : undefined;
    if (msg) {
      if (remove) store.deleteMessage(t.channel, msg.ts);
      else {
        store.replaceContent(msg, b);
        msg.edited = Date.now();
        store.changed({ kind: 'message', channel: msg.channel, ts: msg.ts });
      }
      return;
    }
    if (remove) return;
  }
  if (!hasContent(b)) return;
  if (b.response_type === 'in_channel') {
    const m: ConvMessage = { ts: store.nextTs(), channel: t.channel, user: EMU_BOT_USER_ID, text: String(b.text ?? ''), ...blocksOf(b), at: Date.now() };
    if (t.threadTs) m.thread_ts = t.threadTs;
    if (t.command) m.command = t.command;
    store.addMessage(m);
    return;
  }
  const e = { ts: store.nextTs(), channel: t.channel, user: t.user, text: String(b.text ?? ''), ...blocksOf(b), responseUrlId: id, ...(t.command ? { command: t.command } : {}) };
  t.lastEphemeralId = store.addEphemeral(t.threadTs ? { ...e, thread_ts: t.threadTs } : e);
}

/** What the bot answered to a view_submission, applied to the user's modal stack. */
export function applySubmissionAnswer(store: ConversationStore, user: string, view: ConvView, values: Record<string, Record<string, any>>, body: any): void {
  const stack = store.modals.get(user);
  if (!stack || !stack.includes(view)) return;
  view.state.values = values;
  const answer = body && typeof body === 'object' ? body : {};
  switch (answer.response_action) {
    case 'errors':
      view.errors = answer.errors && typeof answer.errors === 'object' ? { ...answer.errors } : {};
      break;
    case 'update': {
      const next = toConvView(viewObject(store, answer.view ?? {}, view.id));
      Object.assign(view, { ...next, previous_view_id: view.previous_view_id, root_view_id: view.root_view_id });
      delete view.errors;
      break;
    }
    case 'push': {
      const next = toConvView(viewObject(store, answer.view ?? {}, store.newId('V')));
      next.previous_view_id = view.id;
      next.root_view_id = stack[0]!.id;
      stack.push(next);
      break;
    }
    case 'clear':
      store.modals.delete(user);
      break;
    default: {
      // An empty ack closes the submitted view (and anything pushed on top of it).
      stack.splice(stack.indexOf(view));
      if (stack.length === 0) store.modals.delete(user);
    }
  }
  store.changed({ kind: 'modal', user, viewId: view.id });
}
