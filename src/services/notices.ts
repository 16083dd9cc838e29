import type { Decision, Fn } from '../domain/contracts.ts';
import type { ContractSnapshot, VersionRow } from '../repos/contracts.ts';
import type { OutboxItem } from '../repos/outbox.ts';

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
  | { kind: 'overdue-approvals'; fn: Fn; items: { snap: ContractSnapshot; dueAt: number }[] };

/** Turns notices into outbox rows; called inside the change's transaction, so it must be pure. */
export type Render = (notices: Notice[]) => OutboxItem[];
