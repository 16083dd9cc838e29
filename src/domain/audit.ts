/** Entities and actions recorded in the audit trail (SPEC §2: every change). */
export const AUDIT_ENTITIES = ['client', 'deal'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const AUDIT_ACTIONS = ['created', 'stage-changed', 'lost', 'updated'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
