/**
 * Invoices and payments: who is invoiced when is drawn first (so the open deals at `payment`
 * can own a client's last invoice); the rows are written last, in date order, each with its
 * payments (most on time, some late, some part-paid or still owed by the payer's discipline).
 */
import type { Calendar } from './calendar.ts';
import { lineOf, sizeFactor } from './clients.ts';
import type { Clients, InvoicePlan, PaymentLink, Seeding } from './context.ts';

export type { InvoicePlan };
import { SeedError } from './options.ts';
import { int, normal, pick, type Rng } from './rng.ts';
import { CURRENCIES, FX, NETS, REF_PREFIX } from './vocabulary.ts';

const WINDOW = 426; // ~14 months


/** `m` invoices over the customers, from the stream `r` alone; ordered by day (a counting sort). */
export function planInvoices(r: Rng, p: Clients, cal: Calendar, m: number): InvoicePlan {
  const customers: number[] = [];
  for (let c = 0; c < p.n; c++) if (p.cCustomer[c]) customers.push(c);
  const invClient = new Int32Array(m);
  const invDay = new Int16Array(m);
  if (m > 0 && customers.length === 0) throw new SeedError('no client came out a customer; seed more clients');
  const { cum, total } = invoiceWeights(p, customers);
  for (let k = 0; k < m; k++) {
    const c = customers[bisect(cum, r() * total)]!;
    invClient[k] = c;
    invDay[k] = invoiceDay(r, cal, Math.max(p.cSince[c]! + 3, -WINDOW));
  }
  const order = byDay(invDay);
  const lastInvoice = new Int32Array(p.n).fill(-1);
  for (let q = 0; q < m; q++) lastInvoice[invClient[order[q]!]!] = q;
  return { invClient, invDay, order, lastInvoice };
}

/** Invoice counts ∝ size^0.75 × the part of the window the client was a customer: cumulated. */
function invoiceWeights(p: Clients, customers: number[]): { cum: Float64Array; total: number } {
  const cum = new Float64Array(customers.length);
  let s = 0;
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i]!;
    const lo = Math.max(p.cSince[c]! + 3, -WINDOW);
    s += Math.pow(p.cWeight[c]!, 0.75) * (Math.max(0, -1 - lo) + 1);
    cum[i] = s;
  }
  return { cum, total: s };
}

/** The first index whose cumulated weight is above `u`. */
function bisect(cum: Float64Array, u: number): number {
  let a = 0;
  let b = cum.length - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if (cum[m]! <= u) a = m + 1;
    else b = m;
  }
  return a;
}

/** A day from `lo` to yesterday: fewer at weekends, and a business that grows over the window. */
function invoiceDay(r: Rng, cal: Calendar, lo: number): number {
  for (;;) {
    const day = lo + Math.floor(r() * (-lo));
    if (cal.weekend(day) && r() < 0.9) continue;
    if (r() > 0.65 + 0.35 * ((day + WINDOW) / WINDOW)) continue;
    return day;
  }
}

function byDay(invDay: Int16Array): Int32Array {
  const order = new Int32Array(invDay.length);
  const bucket = new Int32Array(WINDOW + 2);
  for (let k = 0; k < invDay.length; k++) bucket[invDay[k]! + WINDOW]!++;
  let pos = 0;
  for (let d = 0; d < bucket.length; d++) {
    const n = bucket[d]!;
    bucket[d] = pos;
    pos += n;
  }
  for (let k = 0; k < invDay.length; k++) order[bucket[invDay[k]! + WINDOW]!++] = k;
  return order;
}

/** A payment to write: invoice id, amount, date, bank reference, when (ms). */
type Payment = [number, number, string, string | null, number];

/** Every planned invoice with its payments, in date order, from the stream `r`. */
export function writeInvoices(s: Seeding, r: Rng): void {
  const pending: Payment[] = [];
  for (let p = 0; p < s.plan.order.length; p++) writeInvoice(s, r, p, pending);
}

function writeInvoice(s: Seeding, rP: Rng, p: number, pendingPay: Payment[]): void {
  const { cal, people, w, finance } = s;
  const k = s.plan.order[p]!;
  const c = s.plan.invClient[k]!;
  const id = w.invoiceBase + p + 1;
  const day = s.plan.invDay[k]!;
  const line = lineOf(people, c, Math.floor(rP() * people.cLines[c]!));
  const cur = people.cCur[c]!;
  const major = line.price * sizeFactor(people, c) * 0.5 * Math.exp(0.7 * normal(rP)) * FX[cur]!;
  const amount = Math.max(2_000, major >= 1000 ? Math.round(major) * 100 : Math.round(major * 100));
  const margin = rP() < 0.02 ? null : Math.round(amount * Math.max(-0.05, Math.min(0.65, line.margin + 0.04 * normal(rP))));
  const net = NETS[people.cNet[c]!]!;
  const due = day + net;
  const link = s.paymentLinks.get(p);
  const paidDay = paidDayOf(rP, people.cDisc[c]!, day, due, net, link);
  pendingPay.length = 0;
  const paid = drawPayments(rP, cal, { id, amount, day, paidDay, link }, pendingPay);
  const createdAt = link ? link.at : cal.at(day, rP);
  const number = `INV-${String(id).padStart(6, '0')}`;
  const contract = link ? link.contractId : s.frameworkContract[c]! || null;
  const deal = link ? link.dealId : null;
  const clientId = w.clientId(c);
  const paidDate = paidDay === null ? null : cal.date(paidDay);
  const currency = CURRENCIES[cur]!;
  w.st.invoice.add(id, number, clientId, contract, deal, amount, currency, margin, line.name, cal.date(day), cal.date(due), paid, paidDate, finance, createdAt);
  w.counts.invoices++;
  w.row();
  if (s.invoiceAudit) {
    w.audit(finance, 'invoice', id, clientId, 'issued', null, {
      id, number, clientId, contractId: contract, dealId: deal, amountMinor: amount, currency, marginMinor: margin, productLine: line.name,
      issueDate: cal.date(day), dueDate: cal.date(due), paidMinor: 0, paidDate: null, createdBy: finance, createdAt,
    }, createdAt);
  }
  let sofar = 0;
  for (const [inv, amt, date, reference, at] of pendingPay) {
    const recordedAt = Math.max(at, createdAt + 60_000);
    w.st.payment.add(inv, amt, date, reference, finance, recordedAt);
    w.counts.payments++;
    w.row();
    if (s.invoiceAudit) w.audit(finance, 'invoice', id, clientId, 'paid', { paidMinor: sofar }, { paidMinor: sofar + amt, amountMinor: amt, currency, date, reference }, recordedAt);
    sofar += amt;
  }
}

/** When it gets paid in full, if at all (and before asOf): by the client's payment discipline. */
function paidDayOf(rP: Rng, disc: number, day: number, due: number, net: number, link: PaymentLink | undefined): number | null {
  const u = rP();
  let delay: number | null;
  if (disc === 0) delay = u < 0.8 ? -Math.floor(rP() * Math.min(net, 10)) : u < 0.97 ? int(rP, 1, 20) : int(rP, 21, 60);
  else if (disc === 1) delay = u < 0.55 ? -Math.floor(rP() * Math.min(net, 5)) : u < 0.9 ? int(rP, 1, 30) : int(rP, 31, 90);
  else delay = u < 0.3 ? 0 : u < 0.7 ? int(rP, 1, 45) : u < 0.95 ? int(rP, 46, 150) : null;
  const paidDay = delay === null ? null : Math.max(day, due + delay);
  return link || (paidDay !== null && paidDay > -1) ? null : paidDay;
}

/**
 * The invoice's payments into `out`: in full (sometimes in two instalments), part-paid, or none;
 * returns the sum paid.
 */
function drawPayments(
  rP: Rng,
  cal: Calendar,
  inv: { id: number; amount: number; day: number; paidDay: number | null; link: PaymentLink | undefined },
  out: Payment[],
): number {
  const { id, amount, day, paidDay, link } = inv;
  const instalments = paidDay !== null && paidDay - day >= 2 && rP() < 0.08;
  const partial = paidDay === null && -1 - day >= 1 && (link ? link.part : rP() < 0.1);
  const ref = () => (rP() < 0.15 ? null : `${pick(rP, REF_PREFIX)}${String(id * 7919 + int(rP, 0, 9999)).slice(-8)}`);
  let paid = 0;
  if (paidDay !== null) {
    if (instalments) {
      const first = Math.round((amount * int(rP, 30, 70)) / 100);
      const d1 = int(rP, day, paidDay - 1);
      out.push([id, first, cal.date(d1), ref(), cal.at(d1, rP)]);
      paid += first;
    }
    out.push([id, amount - paid, cal.date(paidDay), ref(), cal.at(paidDay, rP)]);
    paid = amount;
  } else if (partial) {
    const part = Math.round((amount * int(rP, 20, 70)) / 100);
    const d1 = int(rP, day, -1);
    out.push([id, part, cal.date(d1), ref(), cal.at(d1, rP)]);
    paid = part;
  }
  return paid;
}
