/** What the outbox can do in Slack. */
/**
 * `upload` renders a chart at delivery time (rendering is async, the change's transaction is not)
 * and sends it with files.uploadV2; `home` republishes a user's App Home from current data.
 */
export const OUTBOX_OPS = ['post', 'update', 'upload', 'home'] as const;
export type OutboxOp = (typeof OUTBOX_OPS)[number];

// 'sending' is a lease: a sender claims a row until next_attempt_at; a crashed sender's rows are retried after it.
export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Exponential backoff for a failed delivery: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Keys of the messages later ones refer to; defined once. */
export const messageKey = {
  approvalRequest: (contractId: number, fn: string) => `contract:${contractId}:${fn}`,
  claim: (claimId: number) => `claim:${claimId}`,
} as const;
