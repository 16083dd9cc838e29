import type { ClaimInterest } from './interest.ts';
import type { Decision, Fn } from '../domain/contracts.ts';
import type { ContractSnapshot, VersionRow } from '../repos/contracts.ts';
import type { OutboxItem } from '../repos/outbox.ts';
import type { TaskRow } from '../repos/delivery.ts';
import type { ClaimRow, DunningRow, InvoiceWithClient } from '../repos/invoices.ts';
import type { DealRow } from '../repos/clients.ts';
import type { DunningAction } from '../domain/dunning.ts';
import type { AbcSummary, SegmentChange } from './analytics.ts';
import type { FunnelResult } from './funnel.ts';
import type { OwnerDigest, QuietItem } from './retention.ts';

/** One thing a dunning run asks of a person: a rung reached, or a promise to pay broken. */
export type DunningDigestItem = { kind: 'step'; invoice: InvoiceWithClient; rung: number; action: Exclude<DunningAction, 'escalate-legal'> } | { kind: 'promise-broken'; invoice: InvoiceWithClient; promised: string };

/**
 * What people must hear about after a change. Services decide *that* a notice is due;
 * the Slack layer decides how it reads and where it goes (slack/notices.ts).
 */
export type Notice =
  | { kind: 'approval-requested'; snap: ContractSnapshot }
  | { kind: 'version-submitted'; snap: ContractSnapshot; previous: VersionRow; by: string }
  | { kind: 'decided'; snap: ContractSnapshot; fn: Fn; decision: Decision; by: string; comment: string | null; statusChanged: boolean }
  | { kind: 'signed'; snap: ContractSnapshot; by: string }
  | { kind: 'approval-overdue'; snap: ContractSnapshot; fn: Fn; dueAt: number }
  | { kind: 'overdue-approvals'; fn: Fn; items: { snap: ContractSnapshot; dueAt: number }[] }
  | { kind: 'checklist-created'; snap: ContractSnapshot; tasks: TaskRow[] }
  | { kind: 'task-overdue'; task: TaskRow; clientName: string; today: string }
  | { kind: 'overdue-invoices'; invoices: InvoiceWithClient[]; today: string }
  | { kind: 'dunning-step'; invoice: InvoiceWithClient; rung: number; action: Exclude<DunningAction, 'escalate-legal'>; to: string | null; today: string }
  | { kind: 'promise-broken'; invoice: InvoiceWithClient; promised: string; today: string }
  /** A dunning run's one digest for one recipient (`to`: a person; null: the sales channel, for a manager's rung of an owner without one). */
  | { kind: 'dunning-digest'; to: string | null; items: DunningDigestItem[]; today: string }
  | { kind: 'claim-offered'; claim: ClaimRow; clientName: string; clientEik: string | null; ownerId: string; invoices: InvoiceWithClient[]; interest: ClaimInterest; log: DunningRow[]; contracts: ContractSnapshot[]; today: string }
  | { kind: 'segment-changes'; changes: SegmentChange[] }
  /** A deal reached `won` (SPEC §3: announced in the sales channel); `value` is what its invoices came to, per currency. */
  | { kind: 'deal-won'; client: { id: number; name: string }; deal: DealRow; value: { amountMinor: number; currency: string }[]; by: string }
  /** Data on these people's App Home changed. */
  | { kind: 'home'; users: string[] }
  | { kind: 'abc-digest'; summary: AbcSummary }
  | { kind: 'funnel-digest'; result: FunnelResult }
  /** The reviews job (SPEC §7): each owner's reviews due and clients newly gone quiet; each quiet client to the sales channel. */
  | { kind: 'reviews-digest'; owners: OwnerDigest[]; quiet: QuietItem[]; today: string }
  /** The chart of an /abc or /funnel answer, to the DM of the person who asked (SPEC §3). */
  | { kind: 'abc-chart'; to: string; summary: AbcSummary }
  | { kind: 'funnel-chart'; to: string; result: FunnelResult }
  | { kind: 'claim-decided'; claim: ClaimRow; clientName: string; clientEik: string | null; ownerId: string; invoices: InvoiceWithClient[]; interest: ClaimInterest; log: DunningRow[]; contracts: ContractSnapshot[]; today: string };

/** Turns notices into outbox rows; called inside the change's transaction, so it must be pure. */
export type Render = (notices: Notice[]) => OutboxItem[];
