/** Statutory late-payment interest of an invoice as of a day (SPEC §5), for `/invoice interest` and the claim pack. */
import type { Changeover } from '../domain/euro.ts';
import { majorToMinor } from '../domain/money.ts';
import { statutoryInterest, type InterestRefusal, type InterestStatement } from '../domain/interest.ts';
import type { Policy } from '../policy.ts';
import type { Tx } from '../repos/audit.ts';
import { paymentsOf, type InvoiceWithClient } from '../repos/invoices.ts';

/** Why an invoice's statutory interest can't be stated as of a day. */
export type InterestProblem = InterestRefusal | { kind: 'not-yet-due'; due: string; asOf: string } | { kind: 'paid-on-time'; paidDate: string; due: string };

export type InterestOutcome = { ok: true; statement: InterestStatement } | { ok: false; problem: InterestProblem };

/** An invoice's statutory interest and recovery compensation as of `asOf` (SPEC §5), from its payments and the policy's rates. */
export async function interestOn(tx: Tx, claims: Policy['claims'], inv: InvoiceWithClient, asOf: string, changeover?: Changeover): Promise<InterestOutcome> {
  if (asOf <= inv.dueDate) return { ok: false, problem: { kind: 'not-yet-due', due: inv.dueDate, asOf } };
  if (inv.paidDate !== null && inv.paidDate <= inv.dueDate) return { ok: false, problem: { kind: 'paid-on-time', paidDate: inv.paidDate, due: inv.dueDate } };
  const r = statutoryInterest({
    principalMinor: inv.amountMinor,
    currency: inv.currency,
    due: inv.dueDate,
    payments: (await paymentsOf(tx, inv.id)).map((p) => ({ date: p.date, minor: p.amountMinor })),
    asOf,
    rates: claims.interestRates,
    compensation: { minor: majorToMinor(claims.recoveryCompensation.amount, claims.recoveryCompensation.currency), currency: claims.recoveryCompensation.currency },
    ...(changeover ? { changeover } : {}),
  });
  return r.ok ? r : { ok: false, problem: r.refusal };
}

/** The claim pack's interest: each invoice's statement as of the claim's day. */
export interface ClaimInterest {
  asOf: string;
  byInvoice: Record<number, InterestOutcome>;
}

export async function claimInterest(tx: Tx, claims: Policy['claims'], invoices: InvoiceWithClient[], asOf: string, changeover?: Changeover): Promise<ClaimInterest> {
  const byInvoice: Record<number, InterestOutcome> = {};
  for (const i of invoices) byInvoice[i.id] = await interestOn(tx, claims, i, asOf, changeover);
  return { asOf, byInvoice };
}
