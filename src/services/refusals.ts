import type { InterestProblem } from './interest.ts';
import type { ContractStatus, DecisionRefusal, Fn, LostRefusal, MoveRefusal, NameRefusal, PaymentRefusal, PromiseRefusal, AmountRefusal, TaskRefusal, TermsField, TermsProblem } from '../domain/index.ts';
import type { Stage } from '../domain/stages.ts';
import type { ClientUpdate } from '../repos/clients.ts';

/** Everything a service can say no to. Words for people live in slack/reply.ts. */
export type Refusal =
  /** `tried`: every reading of the text that was looked up, each with the rest as typed (`100 EUR`). */
  | { kind: 'unknown-client'; ref: string; suggestions: string[]; tried?: { name: string; rest: string }[] }
  /** More than one reading names a client: which one was meant is for the person to say. */
  | { kind: 'ambiguous-client'; choices: { id: number; name: string; rest: string }[] }
  | { kind: 'name-taken'; name: string; id: number }
  /** The ЕИК is already another client's (SPEC §5: one client each). */
  | { kind: 'eik-taken'; eik: string; name: string; id: number }
  /** `/client set` with values the client already has. */
  | { kind: 'nothing-to-change'; client: string; id: number; fields: ClientUpdate }
  | { kind: 'bad-name'; refusal: NameRefusal }
  | { kind: 'move'; client: string; refusal: MoveRefusal }
  | { kind: 'lost'; client: string; refusal: LostRefusal }
  | { kind: 'stale'; client: string; now: Stage | null }
  /** `/client review` naming a client but saying nothing of the review. */
  | { kind: 'review-note-required'; client: string }
  | { kind: 'bad-terms'; errors: Partial<Record<TermsField, TermsProblem>> }
  | { kind: 'contract-exists'; client: string; contractId: number; status: ContractStatus }
  | { kind: 'unknown-contract'; id: number }
  | { kind: 'not-editable'; id: number; status: ContractStatus }
  | { kind: 'not-your-contract'; id: number; submittedBy: string; to?: 'change' | 'sign' }
  | { kind: 'version-moved'; id: number; version: number }
  | { kind: 'decision'; contractId: number; refusal: DecisionRefusal }
  | { kind: 'stale-contract'; id: number }
  | { kind: 'not-signable'; id: number; status: ContractStatus; missing: Fn[] }
  | { kind: 'no-checklist'; id: number; status: ContractStatus }
  | { kind: 'unknown-task'; id: number }
  | { kind: 'task'; title: string; refusal: TaskRefusal }
  | { kind: 'contract-of-other-client'; id: number; client: string }
  | { kind: 'contract-not-signed'; id: number; status: ContractStatus }
  | { kind: 'unknown-invoice'; id: number }
  | { kind: 'invoice-number-taken'; number: string; id: number }
  | { kind: 'issued-in-future'; date: string; today: string }
  /** A new invoice or contract in a currency the euro changeover replaced, dated on or after it (SPEC §5). */
  | { kind: 'currency-replaced'; document: 'invoice' | 'contract'; currency: string; dated: string; since: string; use: string }
  | { kind: 'interest'; id: number; number: string; problem: InterestProblem }
  | { kind: 'bad-amount'; text: string; currency: string; refusal: AmountRefusal }
  | { kind: 'payment-in-future'; date: string; today: string }
  | { kind: 'payment'; invoice: string; currency: string; refusal: PaymentRefusal }
  /** A payment written in a currency the invoice is not owed in that day (SPEC §5: EUR on an old BGN invoice from the changeover, BGN before it). */
  | { kind: 'payment-currency'; id: number; invoice: string; given: string; owedIn: string; currency: string; date: string; changeover: { since: string; to: string } | null }
  | { kind: 'promise'; invoice: string; refusal: PromiseRefusal }
  | { kind: 'invoice-paid'; invoice: string }
  | { kind: 'not-owner'; invoice: string; ownerId: string }
  | { kind: 'unknown-claim'; id: number }
  | { kind: 'not-legal' }
  | { kind: 'claim-decided'; id: number; status: string; by: string };

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = <T = never>(refusal: Refusal): Result<T> => ({ ok: false, refusal });
