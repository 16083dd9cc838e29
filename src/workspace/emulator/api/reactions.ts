/** reactions.*: accepted, not shown. */
import type { MethodTable } from './types.ts';

export const reactionsMethods: MethodTable = {
  'reactions.add': { answer: () => ({ ok: true }) },
  'reactions.remove': { answer: () => ({ ok: true }) },
};
