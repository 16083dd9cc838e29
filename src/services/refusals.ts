import type { LostRefusal, MoveRefusal, NameRefusal } from '../domain/index.ts';
import type { Stage } from '../domain/stages.ts';

/** Everything a service can say no to. Words for people live in slack/reply.ts. */
export type Refusal =
  | { kind: 'unknown-client'; ref: string; suggestions: string[] }
  | { kind: 'name-taken'; name: string; id: number }
  | { kind: 'bad-name'; refusal: NameRefusal }
  | { kind: 'move'; client: string; refusal: MoveRefusal }
  | { kind: 'lost'; client: string; refusal: LostRefusal }
  | { kind: 'stale'; client: string; now: Stage | null };

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = <T = never>(refusal: Refusal): Result<T> => ({ ok: false, refusal });
