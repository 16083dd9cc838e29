/** Entities and actions recorded in the audit trail (SPEC §2: every change). */
export const AUDIT_ENTITIES = ['client', 'deal', 'contract'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const AUDIT_ACTIONS = ['created', 'stage-changed', 'lost', 'updated', 'submitted', 'resubmitted', 'decided', 'signed'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
