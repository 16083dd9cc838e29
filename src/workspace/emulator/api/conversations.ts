/** conversations.*: opening a DM. */
import type { MethodTable } from './types.ts';

export const conversationsMethods: MethodTable = {
  'conversations.open': {
    answer(_ctx, a) {
      if (a.channel) return { ok: true, channel: { id: a.channel } };
      const users = String(a.users ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
      // 1:1 DM ids are "D<user>"; multi-person DMs get a "G…" id.
      const id = users.length === 1 ? `D${users[0]}` : `G${users.join('')}`;
      return { ok: true, channel: { id } };
    },
  },
};
