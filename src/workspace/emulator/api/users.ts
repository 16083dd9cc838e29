/** users.info and usergroups.users.list. */
import type { ConversationStore } from '../store.ts';
import { EMU_TEAM_ID } from '../types.ts';
import type { MethodTable } from './types.ts';

export const usersMethods: MethodTable = {
  'users.info': {
    answer({ store }, a) {
      if (!a.user) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: userObject(store, String(a.user)) };
    },
  },

  'usergroups.users.list': {
    answer({ store }, a) {
      const users = store.usergroups.get(String(a.usergroup ?? ''));
      if (!users) return { ok: false, error: 'no_such_subteam' };
      return { ok: true, users: [...users] };
    },
  },
};

function userObject(store: ConversationStore, id: string): Record<string, any> {
  const u = store.users.get(id) ?? {};
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
