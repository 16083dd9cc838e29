/** What seed() is asked for and what it answers: options, counts, result, its error. */

/**
 * - `all`: signed contracts behind won deals, and contracts still in play (pending, changes
 *   requested, approved, rejected; deals at contract, delivery and payment with checklists).
 * - `settled`: only the signed contracts behind won deals; open deals stop at proposal.
 * - `none`: no contract rows at all; open deals stop at proposal.
 */
export type ContractMode = 'all' | 'settled' | 'none';

export interface SeedOptions {
  clients: number;
  invoices: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** The day the data is "as of", `YYYY-MM-DD` (default: today in UTC). Every event is before it. */
  asOf?: string;
  contracts?: ContractMode;
  /** Client owners (default U0SELLER, U0SELLER2 … U0SELLER8). */
  owners?: string[];
  /** Who issues invoices, records payments and decides for finance (default U0FINANCE). */
  finance?: string;
  /** Who decides for legal (default U0LEGAL). */
  legal?: string;
  /** Write `issued`/`paid` audit events for invoices too (default: when invoices ≤ 100,000). */
  invoiceAudit?: boolean;
  /** Rows per transaction (default 50,000). */
  chunk?: number;
}

export interface SeedCounts {
  clients: number;
  deals: number;
  stageChanges: number;
  contracts: number;
  versions: number;
  approvals: number;
  tasks: number;
  invoices: number;
  payments: number;
  audit: number;
}

export interface SeedResult {
  counts: SeedCounts;
  seconds: number;
  asOf: string;
}

export class SeedError extends Error {
  override name = 'SeedError';
}

export const DEFAULT_OWNERS = ['U0SELLER', 'U0SELLER2', 'U0SELLER3', 'U0SELLER4', 'U0SELLER5', 'U0SELLER6', 'U0SELLER7', 'U0SELLER8'];

export const zeroCounts = (): SeedCounts => ({ clients: 0, deals: 0, stageChanges: 0, contracts: 0, versions: 0, approvals: 0, tasks: 0, invoices: 0, payments: 0, audit: 0 });
