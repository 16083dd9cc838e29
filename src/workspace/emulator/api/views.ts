/** views.*: modals (open, push, update) and the App Home (publish). */
import type { ConversationStore } from '../store.ts';
import { EMU_APP_ID, EMU_BOT_ID, EMU_TEAM_ID, type ConvView } from '../types.ts';
import { toConvView } from '../util.ts';
import type { ApiMethod, MethodTable } from './types.ts';

/** views.open and views.push: both need a (fresh, single-use in real Slack) trigger_id from an interaction. */
function openOrPush(method: 'views.open' | 'views.push'): ApiMethod {
  return {
    answer({ store }, a) {
      if (!a.trigger_id && !a.interactivity_pointer) return { ok: false, error: 'invalid_arguments' };
      if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
      return { ok: true, view: viewObject(store, a.view, store.newId('V')) };
    },
    apply({ store }, a, answer) {
      const user = store.triggers.get(String(a.trigger_id ?? a.interactivity_pointer ?? ''));
      if (!user) return;
      const view = toConvView(answer.view);
      const stack = method === 'views.open' ? [] : [...(store.modals.get(user) ?? [])];
      if (stack.length > 0) {
        view.previous_view_id = stack[stack.length - 1]!.id;
        view.root_view_id = stack[0]!.id;
      }
      stack.push(view);
      store.modals.set(user, stack);
      store.changed({ kind: 'modal', user, viewId: view.id });
    },
  };
}

export const viewsMethods: MethodTable = {
  'views.open': openOrPush('views.open'),
  'views.push': openOrPush('views.push'),

  'views.update': {
    answer({ store }, a) {
      if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
      if (!a.view_id && !a.external_id) return { ok: false, error: 'invalid_arguments' };
      const externalId = a.external_id ?? a.view.external_id;
      const byExternal = a.view_id ? undefined : findViewByExternalId(store, String(externalId));
      const type = a.view.type ?? (a.view_id ? store.findView(String(a.view_id))?.view.type : byExternal?.type);
      return { ok: true, view: viewObject(store, { ...a.view, ...(type ? { type } : {}), external_id: externalId }, a.view_id ?? byExternal?.id ?? store.newId('V')) };
    },
    apply({ store }, _a, answer) {
      const found = store.findView(String(answer.view?.id ?? ''));
      if (!found) return;
      const next = toConvView(answer.view);
      const v = found.view;
      const keep = new Set(next.blocks.map((b: any) => b?.block_id).filter(Boolean));
      const values = Object.fromEntries(Object.entries(v.state.values).filter(([k]) => keep.has(k)));
      Object.assign(v, { ...next, id: v.id, previous_view_id: v.previous_view_id, root_view_id: v.root_view_id, state: { values } });
      delete v.errors;
      store.changed(found.where === 'home' ? { kind: 'home', user: found.user, viewId: v.id } : { kind: 'modal', user: found.user, viewId: v.id });
    },
  },

  'views.publish': {
    answer({ store }, a) {
      if (!a.user_id) return { ok: false, error: 'invalid_arguments' };
      if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
      // A user's Home tab keeps its view id across publishes, as in Slack.
      return { ok: true, view: viewObject(store, { type: 'home', ...a.view }, store.homes.get(String(a.user_id))?.id ?? store.newId('V')) };
    },
    apply({ store }, a, answer) {
      const user = String(a.user_id);
      store.homes.set(user, toConvView(answer.view));
      store.changed({ kind: 'home', user });
    },
  },
};

export function viewObject(store: ConversationStore, view: Record<string, any>, id: string): Record<string, any> {
  return {
    id,
    team_id: EMU_TEAM_ID,
    type: view.type ?? 'modal',
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: `${store.tsBase}.${store.seq}emu`,
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

function findViewByExternalId(store: ConversationStore, externalId: string): ConvView | undefined {
  if (!externalId) return undefined;
  for (const stack of store.modals.values()) for (const v of stack) if (v.external_id === externalId) return v;
  for (const v of store.homes.values()) if (v.external_id === externalId) return v;
  return undefined;
}
