export const CLAIM_STATUSES = ['offered', 'opened', 'returned'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** What the dunning log records. */
export const DUNNING_EVENTS = ['sent', 'logged', 'promise', 'promise-broken', 'claim-offered', 'claim-opened', 'claim-returned'] as const;
export type DunningEvent = (typeof DUNNING_EVENTS)[number];
