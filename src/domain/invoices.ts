import { addDays, daysBetween } from './dates.ts';
import { paymentAfterChangeover, type Changeover } from './euro.ts';

export const INVOICE_STATUSES = ['open', 'part-paid', 'paid', 'overdue'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceState {
  amountMinor: number;
  paidMinor: number;
  dueDate: string;
}

export function owed(i: InvoiceState): number {
  return Math.max(0, i.amountMinor - i.paidMinor);
}

/** Overdue from the day after the due date while anything is owed (SPEC §2, issue 4). */
export function invoiceStatus(i: InvoiceState, today: string): InvoiceStatus {
  if (owed(i) === 0) return 'paid';
  if (daysBetween(i.dueDate, today) >= 1) return 'overdue';
  return i.paidMinor > 0 ? 'part-paid' : 'open';
}

export function daysLate(i: InvoiceState, today: string): number {
  return owed(i) === 0 ? 0 : Math.max(0, daysBetween(i.dueDate, today));
}

export const AGING_BUCKETS = ['1–30', '31–60', '61–90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export function agingBucket(days: number): AgingBucket {
  if (days <= 30) return '1–30';
  if (days <= 60) return '31–60';
  if (days <= 90) return '61–90';
  return '90+';
}

export type PaymentRefusal = { kind: 'over-owed'; owedMinor: number } | { kind: 'already-paid' };

export function decidePayment(i: InvoiceState, amountMinor: number): { ok: true; paidInFull: boolean } | { ok: false; refusal: PaymentRefusal } {
  const left = owed(i);
  if (left === 0) return { ok: false, refusal: { kind: 'already-paid' } };
  if (amountMinor > left) return { ok: false, refusal: { kind: 'over-owed', owedMinor: left } };
  return { ok: true, paidInFull: amountMinor === left };
}

/**
 * A payment of `paidMinor` in `paidIn` on an invoice in `currency`, decided as `decidePayment`
 * decides one in the invoice's own currency. Paid in the currency that replaced it (EUR on a BGN
 * invoice from the changeover, SPEC §5), it settles the BGN figure whose remainder converts to
 * exactly the EUR left (`paymentAfterChangeover`), and an over-payment names the EUR owed.
 * `settlesMinor`: what it takes off the invoice, in the invoice's currency.
 */
export function decidePaymentIn(
  i: InvoiceState & { currency: string },
  paidMinor: number,
  paidIn: string,
  co: Changeover,
): { ok: true; paidInFull: boolean; settlesMinor: number } | { ok: false; refusal: PaymentRefusal } {
  if (paidIn === i.currency) {
    const d = decidePayment(i, paidMinor);
    return d.ok ? { ...d, settlesMinor: paidMinor } : d;
  }
  const left = owed(i);
  if (left === 0) return { ok: false, refusal: { kind: 'already-paid' } };
  const c = paymentAfterChangeover(left, paidMinor, co);
  if (!c.ok) return { ok: false, refusal: { kind: 'over-owed', owedMinor: c.owedToMinor } };
  return { ok: true, paidInFull: c.leftFromMinor === 0, settlesMinor: c.fromMinor };
}

/** Due date from `due:`, else `net:` days, else the contract's terms, else the policy's default. */
export function dueDateFor(issueDate: string, given: { due?: string; netDays?: number }, contractNetDays: number | undefined, defaultNetDays: number): string {
  if (given.due) return given.due;
  return addDays(issueDate, given.netDays ?? contractNetDays ?? defaultNetDays);
}

export type PromiseRefusal = { kind: 'not-in-future'; today: string } | { kind: 'too-far'; maxDays: number } | { kind: 'already-paid' };

export function decidePromise(i: InvoiceState, date: string, today: string, maxDays: number): { ok: true } | { ok: false; refusal: PromiseRefusal } {
  if (owed(i) === 0) return { ok: false, refusal: { kind: 'already-paid' } };
  if (daysBetween(today, date) < 0) return { ok: false, refusal: { kind: 'not-in-future', today } };
  if (daysBetween(today, date) > maxDays) return { ok: false, refusal: { kind: 'too-far', maxDays } };
  return { ok: true };
}
