import { FUNCTIONS, type Decision, type Fn } from '../domain/contracts.ts';
import { STAGES, type Stage } from '../domain/stages.ts';

/** Every action_id, callback_id and block_id, defined once. Listeners route on these. */
export const ACTION = {
  clientMove: 'client.move',
  clientLost: 'client.lost',
  clientHistory: 'client.history',
  approve: 'contract.approve',
  requestChanges: 'contract.request_changes',
  reject: 'contract.reject',
  contractEdit: 'contract.edit',
  taskDone: 'delivery.task_done',
  dunningContacted: 'dunning.contacted',
  dunningPromised: 'dunning.promised',
  dunningNoAnswer: 'dunning.no_answer',
  claimOpen: 'claim.open',
  claimReturn: 'claim.return',
  homeNewContract: 'home.new_contract',
  homeRefresh: 'home.refresh',
  clientNewContract: 'client.new_contract',
  contractSign: 'contract.sign',
  importRun: 'import.run',
  importCancel: 'import.cancel',
} as const;

export const VIEW = {
  clientLost: 'client.lost.modal',
  contractDraft: 'contract.draft.modal',
  decisionReason: 'contract.reason.modal',
  promiseDate: 'dunning.promise.modal',
  confirmExceptions: 'contract.exceptions.modal',
} as const;

export const BLOCK = {
  cardActions: 'client.card.actions',
  lostReason: 'client.lost.reason',
  decisionActions: 'contract.decision.actions',
  decisionReason: 'contract.reason',
  promiseDate: 'dunning.promise_date',
  confirmExceptions: 'contract.exceptions',
  contract: {
    client: 'contract.client',
    subject: 'contract.subject',
    amount: 'contract.amount',
    currency: 'contract.currency',
    netDays: 'contract.net_days',
    discount: 'contract.discount',
    kind: 'contract.kind',
    settlement: 'contract.settlement',
    delivery: 'contract.delivery',
    afterSales: 'contract.after_sales',
    special: 'contract.special',
  },
} as const;

/** The input element inside each input block (one per block, so one id serves them all). */
export const INPUT = {
  lostReason: 'reason',
  value: 'value',
} as const;

export interface DecisionValue {
  contractId: number;
  version: number;
  fn: Fn;
}

export function encodeDecision(v: DecisionValue): string {
  return `${v.contractId}:${v.version}:${v.fn}`;
}

export function parseDecision(s: string | undefined): DecisionValue | undefined {
  const m = /^(\d{1,9}):(\d{1,6}):([a-z]+)$/.exec(s ?? '');
  if (!m || !(FUNCTIONS as readonly string[]).includes(m[3] ?? '')) return undefined;
  return { contractId: Number(m[1]), version: Number(m[2]), fn: m[3] as Fn };
}

/** What the reason modal carries: the click it follows. */
export interface ReasonMeta extends DecisionValue {
  decision: Exclude<Decision, 'approved'>;
}

export function encodeReasonMeta(m: ReasonMeta): string {
  return JSON.stringify(m);
}

export function parseReasonMeta(s: string | undefined): ReasonMeta | undefined {
  try {
    const v = JSON.parse(s ?? '') as Partial<ReasonMeta>;
    const d = parseDecision(`${v.contractId}:${v.version}:${v.fn}`);
    if (!d || (v.decision !== 'rejected' && v.decision !== 'changes_requested')) return undefined;
    return { ...d, decision: v.decision };
  } catch {
    return undefined;
  }
}

/** What the draft modal carries: the contract and version being edited, if any. */
export interface DraftMeta {
  contractId?: number;
  version?: number;
}

export function encodeDraftMeta(m: DraftMeta): string {
  return JSON.stringify(m);
}

export function parseDraftMeta(s: string | undefined): DraftMeta {
  try {
    const v = JSON.parse(s ?? '{}') as DraftMeta;
    return typeof v.contractId === 'number' && typeof v.version === 'number' ? { contractId: v.contractId, version: v.version } : {};
  } catch {
    return {};
  }
}

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

/** A dunning DM's buttons: which invoice and which rung of the ladder. */
export interface RungValue {
  invoiceId: number;
  rung: number;
}

export function encodeRung(v: RungValue): string {
  return `${v.invoiceId}:${v.rung}`;
}

export function parseRung(s: string | undefined): RungValue | undefined {
  const m = /^(\d{1,9}):(\d{1,3})$/.exec(s ?? '');
  return m ? { invoiceId: Number(m[1]), rung: Number(m[2]) } : undefined;
}

/** A Slack file id carried by the import's buttons (the file is fetched again on Import). */
export function parseFileId(s: string | undefined): string | undefined {
  return /^F[A-Z0-9]{2,30}$/.test(s ?? '') ? s : undefined;
}

/** A plain numeric id carried by a button (task, claim, contract). */
export function parseNumericId(s: string | undefined): number | undefined {
  return /^\d{1,9}$/.test(s ?? '') ? Number(s) : undefined;
}
