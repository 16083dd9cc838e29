/** api.test and auth.test. */
import { EMU_BOT_ID, EMU_BOT_USER_ID, EMU_TEAM_DOMAIN, EMU_TEAM_ID } from '../types.ts';
import type { MethodTable } from './types.ts';

export const authMethods: MethodTable = {
  'api.test': {
    answer: (_ctx, a) => ({ ok: true, args: a }),
  },

  'auth.test': {
    answer: () => ({
      ok: true,
      url: `https://${EMU_TEAM_DOMAIN}.slack.com/`,
      team: 'Emulated',
      user: 'dealdesk',
      team_id: EMU_TEAM_ID,
      user_id: EMU_BOT_USER_ID,
      bot_id: EMU_BOT_ID,
      is_enterprise_install: false,
    }),
  },
};
