import { STAGES, type Stage } from '../domain/stages.ts';

/** Every action_id, callback_id and block_id, defined once. Listeners route on these. */
export const ACTION = {
  clientMove: 'client.move',
  clientLost: 'client.lost',
  clientHistory: 'client.history',
} as const;

export const VIEW = {
  clientLost: 'client.lost.modal',
} as const;

export const BLOCK = {
  cardActions: 'client.card.actions',
  lostReason: 'client.lost.reason',
} as const;

/** The input element inside BLOCK.lostReason. */
export const INPUT = {
  lostReason: 'reason',
} as const;

export interface MoveValue {
  clientId: number;
  dealId: number;
  from: Stage;
  to: Stage;
}

// Button values are ours, but a click carries them back through Slack, so they are parsed as
// untrusted text: a value that does not parse is a stale or forged click and changes nothing.
export function encodeMove(v: MoveValue): string {
  return `${v.clientId}:${v.dealId}:${v.from}:${v.to}`;
}

export function parseMove(s: string | undefined): MoveValue | undefined {
  const m = /^(\d{1,9}):(\d{1,9}):([a-z]+):([a-z]+)$/.exec(s ?? '');
  if (!m) return undefined;
  const [, c, d, from, to] = m;
  if (!isStage(from) || !isStage(to)) return undefined;
  return { clientId: Number(c), dealId: Number(d), from, to };
}

export interface DealRefValue {
  clientId: number;
  dealId: number;
}

export function encodeDealRef(v: DealRefValue): string {
  return `${v.clientId}:${v.dealId}`;
}

export function parseDealRef(s: string | undefined): DealRefValue | undefined {
  const m = /^(\d{1,9}):(\d{1,9})$/.exec(s ?? '');
  return m ? { clientId: Number(m[1]), dealId: Number(m[2]) } : undefined;
}

export function encodeClientId(id: number): string {
  return String(id);
}

export function parseClientId(s: string | undefined): number | undefined {
  return /^\d{1,9}$/.test(s ?? '') ? Number(s) : undefined;
}

/** What the lost-reason modal carries through Slack and back. */
export interface LostModalMeta extends DealRefValue {
  responseUrl: string | undefined;
}

export function encodeLostMeta(m: LostModalMeta): string {
  return JSON.stringify(m);
}

export function parseLostMeta(s: string | undefined): LostModalMeta | undefined {
  try {
    const v = JSON.parse(s ?? '') as Partial<LostModalMeta>;
    if (typeof v.clientId !== 'number' || typeof v.dealId !== 'number') return undefined;
    return { clientId: v.clientId, dealId: v.dealId, responseUrl: typeof v.responseUrl === 'string' ? v.responseUrl : undefined };
  } catch {
    return undefined;
  }
}

function isStage(s: string | undefined): s is Stage {
  return (STAGES as readonly (string | undefined)[]).includes(s);
}
