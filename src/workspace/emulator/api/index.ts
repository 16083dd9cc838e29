/**
 * The Web API methods the emulator implements, one module per family, each a small table of
 * method → { answer, apply }:
 *  - `answer` is what Slack would answer to the call (the full JSON, including `ok`);
 *  - `apply` keeps the conversation state in step with a call the emulator answered `ok` (it
 *    also runs when a custom handler from setMethodHandler() gave the answer).
 */
import type { ApiCall } from '../types.ts';
import { authMethods } from './auth.ts';
import { chatMethods } from './chat.ts';
import { conversationsMethods } from './conversations.ts';
import { filesMethods } from './files.ts';
import { reactionsMethods } from './reactions.ts';
import { usersMethods } from './users.ts';
import type { ApiContext, ApiMethod } from './types.ts';
import { viewsMethods } from './views.ts';

const METHODS = new Map<string, ApiMethod>(
  Object.entries({ ...authMethods, ...chatMethods, ...viewsMethods, ...usersMethods, ...conversationsMethods, ...reactionsMethods, ...filesMethods }),
);

export function answerCall(ctx: ApiContext, method: string, a: Record<string, any>, call: ApiCall): Record<string, any> {
  const m = METHODS.get(method);
  if (!m) return { ok: false, error: 'unknown_method' };
  return m.answer(ctx, a, call);
}

/** Keeps the conversation state in step with a Web API call the emulator answered `ok`. */
export function applyCall(ctx: ApiContext, method: string, a: Record<string, any>, answer: Record<string, any>): void {
  if (answer.ok !== true) return;
  METHODS.get(method)?.apply?.(ctx, a, answer);
}
