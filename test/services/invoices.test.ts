import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractTerms } from '../../src/domain/contracts.ts';
import { addClient, showClient } from '../../src/services/clients.ts';
import { decideContract, signContract, submitContract } from '../../src/services/contracts.ts';
import { addInvoice, listInvoices, payInvoice, promiseToPay } from '../../src/services/invoices.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { USERS } from '../helpers/harness.ts';

let w: ServiceWorld;
beforeEach(async () => {
  w = serviceWorld({ at: '2026-11-24T08:00:00Z' });
  value(await addClient(w.ctx(USERS.seller), { name: 'Acme' }));
});
afterEach(() => w.close());

const TERMS: ContractTerms = { subject: 'Steel beams', amountMinor: 1_250_000, currency: 'EUR', netDays: 45, discountBp: 0, kind: 'goods', settlement: null, delivery: null, afterSales: null, special: null };
const TODAY = '2026-11-24';

/** A contract through both approvals and signed: the deal is at delivery. Net 45 is beyond C terms, so finance confirms it. */
async function signedContract(): Promise<number> {
  const id = value(await submitContract(w.ctx(USERS.seller), { name: 'Acme' }, TERMS)).contract.id;
  const approve = { contractId: id, version: 1, decision: 'approved', comment: null, actorIsApprover: true } as const;
  value(await decideContract(w.ctx(USERS.legal), { ...approve, fn: 'legal' }));
  value(await decideContract(w.ctx(USERS.finance), { ...approve, fn: 'finance', confirmed: ['net-days'] }));
  value(await signContract(w.ctx(USERS.seller), id, false));
  return id;
}

const stage = async () => value(await showClient(w.store, { name: 'Acme' }, TODAY, w.config.policy)).stage;
const pay = (invoiceId: number, amount: string, date?: string) => payInvoice(w.ctx(USERS.finance), { invoiceId, amount, date, reference: 'BANK-1' });

describe('invoices service on a migrated database', () => {
  it('issues an invoice without a contract, due after the policy’s default terms', async () => {
    const { invoice, dealMoved } = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(50_000), amountMinor: 50_000 }], currency: 'EUR' }));
    expect(invoice).toMatchObject({ clientName: 'Acme', amountMinor: 50_000, paidMinor: 0, issueDate: TODAY, dueDate: '2026-12-24', contractId: null, createdBy: USERS.finance });
    expect(dealMoved).toBe(false);
    expect(await stage()).toBe('lead');
  });

  it('takes due: over net: over the contract’s terms', async () => {
    const id = await signedContract();
    const c = w.ctx(USERS.finance);
    expect(value(await addInvoice(c, { readings: [{ client: { name: 'Acme' }, amount: String(1), amountMinor: 1 }], currency: 'EUR', contractId: id })).invoice.dueDate).toBe('2027-01-08');
    expect(value(await addInvoice(c, { readings: [{ client: { name: 'Acme' }, amount: String(1), amountMinor: 1 }], currency: 'EUR', contractId: id, netDays: 10 })).invoice.dueDate).toBe('2026-12-04');
    expect(value(await addInvoice(c, { readings: [{ client: { name: 'Acme' }, amount: String(1), amountMinor: 1 }], currency: 'EUR', contractId: id, netDays: 10, due: '2026-12-01' })).invoice.dueDate).toBe('2026-12-01');
  });

  it('invoicing a signed contract moves the deal to payment', async () => {
    const id = await signedContract();
    expect(await stage()).toBe('delivery');
    const { dealMoved } = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(1_250_000), amountMinor: 1_250_000 }], currency: 'EUR', contractId: id }));
    expect(dealMoved).toBe(true);
    expect(await stage()).toBe('payment');
  });

  it('refuses to invoice a contract that is not signed, or is another client’s', async () => {
    const id = value(await submitContract(w.ctx(USERS.seller), { name: 'Acme' }, TERMS)).contract.id;
    expect(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(1), amountMinor: 1 }], currency: 'EUR', contractId: id })).toEqual({
      ok: false,
      refusal: { kind: 'contract-not-signed', id, status: 'pending' },
    });
    value(await addClient(w.ctx(USERS.seller), { name: 'Beta' }));
    expect(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Beta' }, amount: String(1), amountMinor: 1 }], currency: 'EUR', contractId: id })).toEqual({
      ok: false,
      refusal: { kind: 'contract-of-other-client', id, client: 'Acme' },
    });
  });

  it('records a part payment and says what is still owed; the deal stays at payment', async () => {
    const id = await signedContract();
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(1_250_000), amountMinor: 1_250_000 }], currency: 'EUR', contractId: id })).invoice;
    const r = value(await pay(inv.id, '5 000,50'));
    expect(r).toMatchObject({ amountMinor: 500_050, paidInFull: false, dealWon: false });
    expect(r.invoice).toMatchObject({ paidMinor: 500_050, paidDate: null });
    expect(await stage()).toBe('payment');
  });

  it('refuses a payment above what is owed, with the amount owed, and records nothing', async () => {
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(100_000), amountMinor: 100_000 }], currency: 'EUR' })).invoice;
    value(await pay(inv.id, '400'));
    expect(await pay(inv.id, '600.01')).toEqual({ ok: false, refusal: { kind: 'payment', invoice: inv.number, currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 60_000 } } });
    const [row] = value(await listInvoices(w.store, { overdue: false, client: { name: 'Acme' } }, w.clock.ms, w.config.tz)).rows;
    expect(row).toMatchObject({ id: inv.id, paidMinor: 40_000 });
  });

  it('paid in full closes the invoice and wins the deal when it was the contract’s last open invoice', async () => {
    const id = await signedContract();
    const c = w.ctx(USERS.finance);
    const first = value(await addInvoice(c, { readings: [{ client: { name: 'Acme' }, amount: String(1_000_000), amountMinor: 1_000_000 }], currency: 'EUR', contractId: id })).invoice;
    const second = value(await addInvoice(c, { readings: [{ client: { name: 'Acme' }, amount: String(250_000), amountMinor: 250_000 }], currency: 'EUR', contractId: id })).invoice;
    expect(value(await pay(first.id, '10000'))).toMatchObject({ paidInFull: true, dealWon: false });
    expect(await stage()).toBe('payment');
    const last = value(await pay(second.id, '2500.00'));
    expect(last).toMatchObject({ paidInFull: true, dealWon: true });
    expect(last.invoice.paidDate).toBe(TODAY);
    expect(await stage()).toBe('won');
    expect(await pay(second.id, '1')).toMatchObject({ ok: false, refusal: { kind: 'payment', refusal: { kind: 'already-paid' } } });
  });

  it('refuses a payment dated in the future, or an amount it cannot read, in the invoice’s currency', async () => {
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(100_000), amountMinor: 100_000 }], currency: 'JPY' })).invoice;
    expect(await pay(inv.id, '100', '2026-11-25')).toEqual({ ok: false, refusal: { kind: 'payment-in-future', date: '2026-11-25', today: TODAY } });
    expect(await pay(inv.id, '100.5')).toEqual({ ok: false, refusal: { kind: 'bad-amount', text: '100.5', currency: 'JPY', refusal: { kind: 'too-many-decimals', digits: 0 } } });
    expect(await pay(999, '1')).toEqual({ ok: false, refusal: { kind: 'unknown-invoice', id: 999 } });
  });

  it('takes a promise to pay within the policy’s horizon', async () => {
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(100_000), amountMinor: 100_000 }], currency: 'EUR' })).invoice;
    expect(await promiseToPay(w.ctx(USERS.seller), inv.id, '2026-11-23')).toMatchObject({ ok: false, refusal: { kind: 'promise', refusal: { kind: 'not-in-future' } } });
    expect(await promiseToPay(w.ctx(USERS.seller), inv.id, '2027-02-01')).toMatchObject({ ok: false, refusal: { kind: 'promise', refusal: { kind: 'too-far', maxDays: 60 } } });
    expect((await promiseToPay(w.ctx(USERS.seller), inv.id, '2026-12-20')).ok).toBe(true);
  });

  it('lists overdue invoices from the day after the due date', async () => {
    const inv = value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: 'Acme' }, amount: String(100_000), amountMinor: 100_000 }], currency: 'EUR', due: '2026-11-30' })).invoice;
    const overdue = async (iso: string) => value(await listInvoices(w.store, { overdue: true }, Date.parse(iso), w.config.tz)).rows.map((r) => r.id);
    expect(await overdue('2026-11-30T20:00:00Z')).toEqual([]);
    // 22:30 UTC on the 30th is already 1 December in Sofia.
    expect(await overdue('2026-11-30T22:30:00Z')).toEqual([inv.id]);
  });
});
