import { parseAmount, decidePaymentIn, decidePromise, dueDateFor, localDate, stageRank } from '../domain/index.ts';
import type { InterestStatement } from '../domain/interest.ts';
import { interestOn } from './interest.ts';
import { checkNewDocumentCurrency, openBalance, paymentCurrency } from '../domain/euro.ts';
import { recordAudit, type AuditInput } from '../repos/audit.ts';
import { changeStage, dealsOfClient } from '../repos/clients.ts';
import { loadSnapshot } from '../repos/contracts.ts';
import type { Store, Tx } from '../repos/store.ts';
import { tickByKey } from '../repos/delivery.ts';
import {
  addDunningEvent,
  findInvoice,
  insertInvoice,
  insertPayment,
  invoiceIdByNumber,
  invoicesOfContract,
  openInvoices,
  overdueInvoices,
  recentInvoices,
  type InvoiceWithClient,
} from '../repos/invoices.ts';
import { enqueue } from '../repos/outbox.ts';
import type { ClientRef } from '../domain/names.ts';
import { resolveClient, resolveReading } from './clients.ts';
import type { Ctx } from './context.ts';
import type { Notice } from './notices.ts';
import { ok, refuse, type Result } from './refusals.ts';

export interface NewInvoice {
  /** Ways to read `<client> <amount>` (SPEC §3: names may end in a number); exactly one must name a client. */
  readings: { client: ClientRef; amount: string; amountMinor: number }[];
  currency: string;
  /** From the company's books; unique. Without it the counter numbers the invoice. */
  number?: string;
  /** Default today; never in the future. */
  issued?: string;
  due?: string;
  netDays?: number;
  contractId?: number;
  marginMinor?: number;
  productLine?: string;
}

/**
 * Issue an invoice. With a contract it must be that client's signed contract; issuing it ticks
 * the checklist's invoice task and moves the deal to `payment` (SPEC §2).
 */
export async function addInvoice(ctx: Ctx, n: NewInvoice): Promise<Result<{ invoice: InvoiceWithClient; dealMoved: boolean }>> {
  const c = await ctx.store.read((tx) => resolveReading(tx, n.readings.map((r) => ({ ...r, ref: r.client, rest: `${r.amount} ${n.currency}` }))));
  if (!c.ok) return c;
  const { client, reading } = c.value;
  const today = localDate(ctx.now, ctx.tz);
  const issued = n.issued ?? today;
  if (issued > today) return refuse({ kind: 'issued-in-future', date: issued, today });
  const cur = checkNewDocumentCurrency(n.currency, issued, ctx.policy.currency.changeover);
  if (!cur.ok) return refuse({ ...cur.refusal, document: 'invoice', dated: issued });
  return ctx.store.write(async (tx) => {
    if (n.number !== undefined) {
      const holder = await invoiceIdByNumber(tx, n.number);
      if (holder !== undefined) return refuse<{ invoice: InvoiceWithClient; dealMoved: boolean }>({ kind: 'invoice-number-taken', number: n.number, id: holder });
    }
    let contractNet: number | undefined;
    let dealId: number | null = null;
    if (n.contractId !== undefined) {
      const snap = await loadSnapshot(tx, n.contractId);
      if (!snap) return refuse<{ invoice: InvoiceWithClient; dealMoved: boolean }>({ kind: 'unknown-contract', id: n.contractId });
      if (snap.client.id !== client.id) return refuse<{ invoice: InvoiceWithClient; dealMoved: boolean }>({ kind: 'contract-of-other-client', id: n.contractId, client: snap.client.name });
      if (snap.contract.status !== 'signed') return refuse<{ invoice: InvoiceWithClient; dealMoved: boolean }>({ kind: 'contract-not-signed', id: n.contractId, status: snap.contract.status });
      contractNet = snap.terms.netDays;
      dealId = snap.contract.dealId;
    }
    const dueDate = dueDateFor(issued, { due: n.due, netDays: n.netDays }, contractNet, ctx.policy.invoices.defaultNetDays);
    const row = await insertInvoice(tx, {
      clientId: client.id,
      contractId: n.contractId ?? null,
      dealId,
      amountMinor: reading.amountMinor,
      currency: n.currency,
      marginMinor: n.marginMinor ?? null,
      // Case-folded so ABC counts "Steel beams" and "steel  beams" as one line, in any script.
      productLine: n.productLine ? n.productLine.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase() : null,
      ...(n.number !== undefined ? { number: n.number } : {}),
      issueDate: issued,
      dueDate,
      createdBy: ctx.actor,
      createdAt: ctx.now,
    });
    await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: row.id, clientId: client.id, action: 'issued', before: null, after: row, at: ctx.now });
    let dealMoved = false;
    if (n.contractId !== undefined && dealId !== null) {
      await tickByKey(tx, n.contractId, 'invoice', ctx.actor, ctx.now);
      const deal = (await dealsOfClient(tx, client.id)).find((d) => d.id === dealId);
      if (deal && stageRank(deal.stage) < stageRank('payment') && deal.stage !== 'lost') {
        dealMoved = (await changeStage(tx, { dealId: deal.id, clientId: client.id, from: deal.stage, to: 'payment', actor: ctx.actor, at: ctx.now })).ok;
      }
    }
    await enqueue(tx, ctx.render([{ kind: 'home', users: [client.ownerId] }]), ctx.now);
    return ok({ invoice: (await findInvoice(tx, row.id))!, dealMoved });
  });
}

export interface PaymentInput {
  invoiceId: number;
  /** As typed; read in the currency the invoice is owed in on the payment's date. */
  amount: string;
  /** The currency the payer wrote, if any: it must be the one owed (SPEC §5: EUR on an old BGN invoice from the changeover). */
  currency?: string;
  date?: string;
  reference?: string;
}

/** A payment as the payer made it: `amountMinor` in `currency` (for an old BGN invoice after the changeover, EUR). */
export interface PaymentMade {
  amountMinor: number;
  currency: string;
}

/**
 * Record a payment; more than is owed is refused with what is owed. Paid in full → the deal is won when all its invoices are paid.
 *
 * On an invoice in the changeover's `from` (BGN) dated on or after the changeover the payment is
 * in its `to` (EUR), against the balance converted by the rule; it is stored in the invoice's
 * currency as the exact BGN figure that leaves a BGN balance converting to exactly the EUR left
 * (euro.ts paymentAfterChangeover), with the EUR the payer paid kept in the payment row, so the
 * invoice's paid total stays in its own currency and paying all that is owed in EUR pays it in full.
 */
export async function payInvoice(ctx: Ctx, p: PaymentInput): Promise<Result<{ invoice: InvoiceWithClient; amountMinor: number; paid: PaymentMade; paidInFull: boolean; dealWon: boolean }>> {
  type R = { invoice: InvoiceWithClient; amountMinor: number; paid: PaymentMade; paidInFull: boolean; dealWon: boolean };
  const today = localDate(ctx.now, ctx.tz);
  const date = p.date ?? today;
  const co = ctx.policy.currency.changeover;
  return ctx.store.write(async (tx) => {
    const inv = await findInvoice(tx, p.invoiceId);
    if (!inv) return refuse<R>({ kind: 'unknown-invoice', id: p.invoiceId });
    if (date > today) return refuse<R>({ kind: 'payment-in-future', date, today });
    const owedIn = paymentCurrency(inv.currency, date, co);
    if (p.currency !== undefined && p.currency !== owedIn) {
      return refuse<R>({ kind: 'payment-currency', id: inv.id, invoice: inv.number, given: p.currency, owedIn, currency: inv.currency, date, changeover: inv.currency === co.from ? { since: co.date, to: co.to } : null });
    }
    const a = parseAmount(p.amount, owedIn);
    if (!a.ok) return refuse<R>({ kind: 'bad-amount', text: p.amount, currency: owedIn, refusal: a.refusal });
    const d = decidePaymentIn(inv, a.minor, owedIn, co);
    if (!d.ok) return refuse<R>({ kind: 'payment', invoice: inv.number, currency: owedIn, refusal: d.refusal });
    const { settlesMinor: amountMinor, paidInFull } = d;
    const received = owedIn === inv.currency ? { receivedMinor: null, receivedCurrency: null } : { receivedMinor: a.minor, receivedCurrency: owedIn };
    if (!(await insertPayment(tx, { invoiceId: inv.id, amountMinor, ...received, date, reference: p.reference ?? null, recordedBy: ctx.actor, recordedAt: ctx.now }, paidInFull ? date : null))) {
      const now = (await findInvoice(tx, inv.id))!;
      const left = openBalance(now, date, co);
      return refuse<R>({ kind: 'payment', invoice: inv.number, currency: left.currency, refusal: { kind: 'over-owed', owedMinor: Math.max(0, left.minor) } });
    }
    await recordAudit(tx, paymentAudit(ctx, inv, { amountMinor, date, reference: p.reference ?? null, received }));
    const won = paidInFull ? await winDealIfPaid(ctx, tx, inv) : undefined;
    await enqueue(tx, ctx.render([{ kind: 'home', users: [inv.ownerId] }, ...(won ? [won] : [])]), ctx.now);
    return ok({ invoice: (await findInvoice(tx, inv.id))!, amountMinor, paid: { amountMinor: a.minor, currency: owedIn }, paidInFull, dealWon: won !== undefined });
  });
}

/**
 * After a payment that paid `inv` in full, inside the payment's transaction (`/invoice pay` and
 * an import of payments alike): when every invoice of its contract is paid and the deal waits at
 * payment, the deal is won. The announcement to queue, or undefined.
 */
export async function winDealIfPaid(ctx: Pick<Ctx, 'actor' | 'now'>, tx: Tx, inv: InvoiceWithClient): Promise<Extract<Notice, { kind: 'deal-won' }> | undefined> {
  if (inv.dealId === null || inv.contractId === null) return undefined;
  const invoices = await invoicesOfContract(tx, inv.contractId);
  const allPaid = invoices.every((i) => i.id === inv.id || i.paidDate !== null);
  const deal = (await dealsOfClient(tx, inv.clientId)).find((x) => x.id === inv.dealId);
  if (!allPaid || deal?.stage !== 'payment') return undefined;
  const won = await changeStage(tx, { dealId: deal.id, clientId: inv.clientId, from: 'payment', to: 'won', actor: ctx.actor, at: ctx.now });
  // The guarded move succeeds once per deal, so the announcement is queued once, in the same transaction.
  return won.ok ? { kind: 'deal-won', client: { id: inv.clientId, name: inv.clientName }, deal: won.deal, value: totalsByCurrency(invoices), by: ctx.actor } : undefined;
}

/** The audit entry of a payment recorded on `inv` (as it was before the payment). */
export function paymentAudit(ctx: Pick<Ctx, 'actor' | 'now'>, inv: Pick<InvoiceWithClient, 'id' | 'clientId' | 'paidMinor' | 'currency'>, p: { amountMinor: number; date: string; reference: string | null; received?: { receivedMinor: number | null; receivedCurrency: string | null } }): AuditInput {
  const received = p.received?.receivedCurrency ? { received: { minor: p.received.receivedMinor, currency: p.received.receivedCurrency } } : {};
  return {
    actor: ctx.actor,
    entity: 'invoice',
    entityId: inv.id,
    clientId: inv.clientId,
    action: 'paid',
    before: { paidMinor: inv.paidMinor },
    after: { paidMinor: inv.paidMinor + p.amountMinor, amountMinor: p.amountMinor, currency: inv.currency, ...received, date: p.date, reference: p.reference },
    at: ctx.now,
  };
}

function totalsByCurrency(invoices: { amountMinor: number; currency: string }[]): { amountMinor: number; currency: string }[] {
  const totals = new Map<string, number>();
  for (const i of invoices) totals.set(i.currency, (totals.get(i.currency) ?? 0) + i.amountMinor);
  return [...totals].map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

/** A client's promise to pay by a date: it pauses the dunning ladder until then. */
export async function promiseToPay(ctx: Ctx, invoiceId: number, date: string): Promise<Result<InvoiceWithClient>> {
  const today = localDate(ctx.now, ctx.tz);
  return ctx.store.write(async (tx) => {
    const inv = await findInvoice(tx, invoiceId);
    if (!inv) return refuse<InvoiceWithClient>({ kind: 'unknown-invoice', id: invoiceId });
    const d = decidePromise(inv, date, today, ctx.policy.invoices.maxPromiseDays);
    if (!d.ok) return refuse<InvoiceWithClient>({ kind: 'promise', invoice: inv.number, refusal: d.refusal });
    await addDunningEvent(tx, { invoiceId, event: 'promise', promiseDate: date, userId: ctx.actor, day: today, at: ctx.now });
    await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: inv.id, clientId: inv.clientId, action: 'promised', before: null, after: { promiseDate: date }, at: ctx.now });
    return ok(inv);
  });
}

/** `/invoice interest <#id> [date:]`: the statement as of that day (default today). */
export async function invoiceInterest(ctx: Ctx, id: number, date?: string): Promise<Result<{ invoice: InvoiceWithClient; asOf: string; statement: InterestStatement }>> {
  const asOf = date ?? localDate(ctx.now, ctx.tz);
  return ctx.store.read(async (tx) => {
    const invoice = await findInvoice(tx, id);
    if (!invoice) return refuse({ kind: 'unknown-invoice', id });
    const r = await interestOn(tx, ctx.policy.claims, invoice, asOf, ctx.policy.currency.changeover);
    if (!r.ok) return refuse({ kind: 'interest', id: invoice.id, number: invoice.number, problem: r.problem });
    return ok({ invoice, asOf, statement: r.statement });
  });
}

export const INVOICE_LIST_LIMIT = 40;

/** The client a list is narrowed to, if one is named (`/invoice list [overdue] [<client>]`). */
export async function listedClient(store: Store, ref: ClientRef | undefined): Promise<Result<{ clientId?: number; clientName?: string }>> {
  if (!ref) return ok({});
  const c = await store.read((tx) => resolveClient(tx, ref));
  return c.ok ? ok({ clientId: c.value.id, clientName: c.value.name }) : c;
}

export async function listInvoices(store: Store, f: { overdue: boolean; client?: ClientRef }, now: number, tz: string): Promise<Result<{ rows: InvoiceWithClient[]; today: string; clientName?: string }>> {
  const c = await listedClient(store, f.client);
  if (!c.ok) return c;
  const { clientId, clientName } = c.value;
  const today = localDate(now, tz);
  return store.read(async (tx) => {
    const rows = f.overdue ? await overdueInvoices(tx, today, clientId) : clientId !== undefined ? await recentInvoices(tx, clientId, INVOICE_LIST_LIMIT) : await openInvoices(tx, undefined, INVOICE_LIST_LIMIT);
    return ok({ rows, today, clientName });
  });
}

/** Overdue digest: the finance channel gets the list by aging bucket, each owner their own by DM. */
export async function overdueDigest(ctx: Ctx): Promise<number> {
  const today = localDate(ctx.now, ctx.tz);
  // Read and render outside the write lock (tens of thousands of invoices at scale): only the
  // enqueue holds it. A report is a snapshot; a payment a moment later shows in the next one.
  const rows = await ctx.store.read((tx) => overdueInvoices(tx, today));
  if (rows.length === 0) return 0;
  const items = ctx.render([{ kind: 'overdue-invoices', invoices: rows, today }]);
  await ctx.store.write((tx) => enqueue(tx, items, ctx.now));
  return rows.length;
}

