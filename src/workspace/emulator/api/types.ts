/** The shape of a Web API method's implementation (see ./index.ts). */
import type { ConversationStore } from '../store.ts';
import type { ApiCall } from '../types.ts';

/** What a method's answer and its effect may use: the state, and the emulator's base URL. */
export interface ApiContext {
  store: ConversationStore;
  /** e.g. "http://127.0.0.1:54321" (no trailing slash). */
  baseUrl: string;
}

export interface ApiMethod {
  answer(ctx: ApiContext, a: Record<string, any>, call: ApiCall): Record<string, any>;
  apply?(ctx: ApiContext, a: Record<string, any>, answer: Record<string, any>): void;
}

export type MethodTable = Record<string, ApiMethod>;
