/** What the parts of the generator share while one seed() runs. */
import type { Calendar } from './calendar.ts';
import type { ContractMode } from './options.ts';
import type { Rng } from './rng.ts';
import type { Writer } from './rows.ts';

export interface Clients {
  readonly n: number;
  readonly names: string[];
  readonly contacts: (string | null)[];
  /** Index into the owners. */
  readonly cOwner: Uint8Array;
  /** Index into CURRENCIES. */
  readonly cCur: Uint8Array;
  /** Index into NETS. */
  readonly cNet: Uint8Array;
  /** 0 good, 1 so-so, 2 bad payer. */
  readonly cDisc: Uint8Array;
  readonly cLine0: Uint8Array;
  readonly cLines: Uint8Array;
  readonly cCustomer: Uint8Array;
  /** Customers: the day their first deal was won. */
  readonly cSince: Int32Array;
  readonly cCreated: Int32Array;
  /** Pareto size. */
  readonly cWeight: Float64Array;
}

export interface InvoicePlan {
  /** By draw: the client and the day (relative to asOf) of each invoice. */
  readonly invClient: Int32Array;
  readonly invDay: Int16Array;
  /** Invoice positions in date order (ids follow it): order[p] is the draw. */
  readonly order: Int32Array;
  /** By client: the position of its last invoice, -1 for none. */
  readonly lastInvoice: Int32Array;
}

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
