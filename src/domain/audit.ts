/** Entities and actions recorded in the audit trail (SPEC §2: every change). */
export const AUDIT_ENTITIES = ['client', 'deal', 'contract', 'invoice', 'task', 'claim'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const AUDIT_ACTIONS = [
  'created',
  'stage-changed',
  'lost',
  'updated',
  'submitted',
  'resubmitted',
  'decided',
  'signed',
  'issued',
  'paid',
  'promised',
  'dunning',
  'done',
  'claim-offered',
  'claim-opened',
  'claim-returned',
  /** An account review logged with `/client review` (SPEC §7). */
  'reviewed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
