/** What the parts of the generator share while one seed() runs. */
import type { Calendar } from './calendar.ts';
import type { Clients } from './clients.ts';
import type { InvoicePlan } from './invoices.ts';
import type { ContractMode } from './options.ts';
import type { Rng } from './rng.ts';
import type { Writer } from './rows.ts';

/** An open deal that owns the client's last invoice (its stage is `payment`). */
export interface PaymentLink {
  dealId: number;
  contractId: number;
  /** Part-paid, never fully. */
  part: boolean;
  /** When the invoice was issued (the deal entered `payment` in the same transaction). */
  at: number;
}

export interface Seeding {
  readonly cal: Calendar;
  /** asOf at midnight UTC: every event is before it. */
  readonly now: number;
  readonly mode: ContractMode;
  readonly withContracts: boolean;
  readonly owners: readonly string[];
  readonly finance: string;
  readonly legal: string;
  readonly invoiceAudit: boolean;
  readonly people: Clients;
  readonly plan: InvoicePlan;
  readonly w: Writer;
  /** The stream deals, contracts and delivery tasks draw from. */
  readonly rD: Rng;
  /** The signed contract behind each customer's first deal (0: none). */
  readonly frameworkContract: Int32Array;
  /** By invoice position: the open deal at `payment` that owns the invoice. */
  readonly paymentLinks: Map<number, PaymentLink>;
}

/** The owner of client number `c`. */
export const ownerOf = (s: Seeding, c: number): string => s.owners[s.people.cOwner[c]!]!;
