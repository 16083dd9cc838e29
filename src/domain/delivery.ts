import type { ContractKind } from './contracts.ts';

/** Who answers for a delivery step (SPEC §1 stage 3: nothing falls between sales and finance). */
export const SERVICES = ['sales', 'finance', 'legal', 'service_unit'] as const;
export type Service = (typeof SERVICES)[number];

export interface TaskTemplate {
  /** Stable key; `invoice` is ticked when the contract's invoice is issued. */
  key: string;
  title: string;
  service: Service;
  /** Days after signing. */
  dueDays: number;
}

export const DEFAULT_CHECKLISTS: Record<ContractKind, TaskTemplate[]> = {
  goods: [
    { key: 'dispatch', title: 'Dispatch and logistics', service: 'sales', dueDays: 3 },
    { key: 'delivery-note', title: 'Delivery note', service: 'sales', dueDays: 5 },
    { key: 'acceptance', title: 'Acceptance by the buyer', service: 'sales', dueDays: 7 },
    { key: 'invoice', title: 'Invoice', service: 'finance', dueDays: 7 },
  ],
  services: [
    { key: 'handoff', title: 'Hand-off to the service unit', service: 'sales', dueDays: 2 },
    { key: 'rendered', title: 'Service rendered', service: 'service_unit', dueDays: 14 },
    { key: 'acceptance', title: 'Acceptance protocol', service: 'sales', dueDays: 16 },
    { key: 'invoice', title: 'Invoice', service: 'finance', dueDays: 16 },
  ],
};

export const SERVICE_LABEL: Record<Service, string> = { sales: 'Sales', finance: 'Finance', legal: 'Legal', service_unit: 'Service unit' };

export type TaskRefusal = { kind: 'not-responsible'; service: Service } | { kind: 'already-done'; by: string };

export function decideTick(t: { service: Service; doneBy: string | null }, actorServices: Service[]): { ok: true } | { ok: false; refusal: TaskRefusal } {
  if (t.doneBy) return { ok: false, refusal: { kind: 'already-done', by: t.doneBy } };
  if (!actorServices.includes(t.service)) return { ok: false, refusal: { kind: 'not-responsible', service: t.service } };
  return { ok: true };
}
