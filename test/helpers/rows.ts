import { DEFAULT_POLICY, loyaltyFor } from '../../src/policy.ts';
import type { ClientRow, DealRow } from '../../src/repos/clients.ts';
import type { ApprovalRow, ContractSnapshot, VersionRow } from '../../src/repos/contracts.ts';
import type { InvoiceWithClient } from '../../src/repos/invoices.ts';
import type { ClientView } from '../../src/services/clients.ts';

/** Rows as the repos return them, for the pure `ui/` builders: defaults plus what a test names. */

export const AT = Date.parse('2026-11-24T08:00:00Z');

export function clientRow(over: Partial<ClientRow> = {}): ClientRow {
  return { id: 7, name: 'Acme Ltd', nameKey: 'acme ltd', ownerId: 'U0SELLER', contact: null, segment: null, eik: null, vat: null, industry: null, region: null, size: null, createdBy: 'U0SELLER', createdAt: AT, ...over };
}

export function dealRow(over: Partial<DealRow> = {}): DealRow {
  return { id: 11, clientId: 7, title: 'Acme Ltd', stage: 'lead', valueMinor: null, currency: null, expectedClose: null, ownerId: 'U0SELLER', lostReason: null, createdAt: AT, updatedAt: AT, ...over };
}

/** A client card's data: one deal, nothing else yet. */
export function clientView(over: Partial<ClientView> = {}): ClientView {
  const client = over.client ?? clientRow();
  const deals = over.deals ?? [dealRow({ clientId: client.id })];
  return {
    client,
    deals,
    stage: deals[0]?.stage ?? null,
    current: deals.find((d) => d.stage !== 'won' && d.stage !== 'lost'),
    historyCount: 2,
    contracts: [],
    openInvoices: [],
    openTasks: [],
    today: '2026-11-24',
    snapshot: undefined,
    loyalty: loyaltyFor(DEFAULT_POLICY, client.segment),
    baseCurrency: 'EUR',
    retention: {
      lastReview: undefined,
      nextReview: { clientId: client.id, ownerId: client.ownerId, segment: client.segment ?? 'C', everyDays: 365, from: 'created', fromOn: '2026-11-24', nextOn: '2027-11-24' },
      fit: undefined,
    },
    ...over,
  };
}

export function versionRow(over: Partial<VersionRow> = {}): VersionRow {
  return {
    id: 1,
    contractId: 42,
    version: 1,
    subject: 'Steel beams',
    amountMinor: 1_250_000,
    currency: 'EUR',
    netDays: 30,
    discountBp: 0,
    kind: 'goods',
    settlement: null,
    delivery: null,
    afterSales: null,
    special: null,
    exceptions: [],
    submittedBy: 'U0SELLER',
    submittedAt: AT,
    ...over,
  };
}

export function approvalRow(over: Partial<ApprovalRow> & Pick<ApprovalRow, 'fn'>): ApprovalRow {
  return { id: over.fn === 'legal' ? 1 : 2, contractId: 42, version: 1, decision: null, decidedBy: null, decidedAt: null, comment: null, confirmed: null, requestedAt: AT, dueAt: AT + 3 * 86_400_000, remindedAt: null, ...over };
}

/** Contract #42 of Acme Ltd, version `terms.version`, waiting for both functions unless told. */
export function snapshot(over: { contract?: Partial<ContractSnapshot['contract']>; terms?: Partial<VersionRow>; approvals?: ApprovalRow[] } = {}): ContractSnapshot {
  const terms = versionRow(over.terms);
  return {
    contract: { id: 42, dealId: 11, clientId: 7, version: terms.version, status: 'pending', submittedBy: 'U0SELLER', createdAt: AT, updatedAt: AT, signedBy: null, signedAt: null, ...over.contract },
    terms,
    approvals: over.approvals ?? [approvalRow({ fn: 'finance', version: terms.version }), approvalRow({ fn: 'legal', version: terms.version })],
    client: { id: 7, name: 'Acme Ltd', ownerId: 'U0SELLER' },
  };
}

export function invoiceRow(over: Partial<InvoiceWithClient> = {}): InvoiceWithClient {
  return {
    id: 5,
    number: 'INV-000005',
    clientId: 7,
    contractId: null,
    dealId: null,
    amountMinor: 100_000,
    currency: 'EUR',
    marginMinor: null,
    productLine: null,
    issueDate: '2026-10-01',
    dueDate: '2026-10-31',
    paidMinor: 0,
    paidDate: null,
    createdBy: 'U0FINANCE',
    createdAt: AT,
    clientName: 'Acme Ltd',
    ownerId: 'U0SELLER',
    ...over,
  };
}

type AnyBlock = { type: string; block_id?: string };

/** The block with this block_id; fails the test when there is none. */
export function blockById<B extends AnyBlock>(blocks: readonly B[], id: string): B {
  const b = blocks.find((x) => x.block_id === id);
  if (!b) throw new Error(`no block ${id} among ${blocks.map((x) => x.block_id ?? x.type).join(', ')}`);
  return b;
}
