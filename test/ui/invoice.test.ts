import { describe, expect, it } from 'vitest';
import type { ClaimRow, DunningRow } from '../../src/repos/invoices.ts';
import { ACTION, parseNumericId, parseRung } from '../../src/slack/ids.ts';
import { claimPackMessage, DIGEST_PAGES, dunningDigest, dunningStep, invoiceLine, overdueByBucket, paymentRecorded } from '../../src/slack/ui/messages/invoice.ts';
import { DEFAULT_INTEREST_RATES, statutoryInterest } from '../../src/domain/interest.ts';
import { blockKitProblems, buttons, readable } from '../helpers/harness.ts';
import { AT, invoiceRow } from '../helpers/rows.ts';

const TODAY = '2026-11-24';

describe('invoice lines', () => {
  it('say open, part-paid, paid or overdue, and how late', () => {
    expect(invoiceLine(invoiceRow({ dueDate: '2026-11-24' }), TODAY)).toMatch(/due 2026-11-24 · open$/);
    expect(invoiceLine(invoiceRow({ dueDate: '2026-12-01', paidMinor: 40_000 }), TODAY)).toMatch(/· part-paid · paid €400.00, owes €600.00$/);
    expect(invoiceLine(invoiceRow({ dueDate: '2026-11-23' }), TODAY)).toMatch(/· overdue · \*1 day late\*$/);
    expect(invoiceLine(invoiceRow({ paidMinor: 100_000, paidDate: '2026-11-01' }), TODAY)).toMatch(/· paid$/);
  });

  it('a payment receipt says what is still owed, or that the deal is won', () => {
    expect(paymentRecorded(invoiceRow({ paidMinor: 40_000 }), 40_000, false, false).text).toContain('€600.00 is still owed');
    expect(paymentRecorded(invoiceRow({ paidMinor: 100_000 }), 60_000, true, true).text).toContain('*paid in full*. The deal is *won*.');
  });
});

describe('dunning step', () => {
  it('has Contacted, Promised and No answer, each naming the invoice and rung', () => {
    const m = dunningStep(invoiceRow({ id: 5 }), 2, 'tell-manager', 'U0MANAGER', TODAY);
    expect(buttons(m).map((b) => b.action_id)).toEqual([ACTION.dunningContacted, ACTION.dunningPromised, ACTION.dunningNoAnswer]);
    for (const b of buttons(m)) expect(parseRung(b.value)).toEqual({ invoiceId: 5, rung: 2 });
    expect(m.text).toContain('€1,000.00 owed, due 2026-10-31 (24 days late)');
  });

  it('sent to the sales channel, it addresses the owner’s manager', () => {
    expect(dunningStep(invoiceRow(), 2, 'tell-manager', null, TODAY).text).toMatch(/^:bell: <@U0SELLER>'s manager: Invoice #5/);
    expect(dunningStep(invoiceRow(), 0, 'remind-owner', 'U0SELLER', TODAY).text).toMatch(/^:bell: Invoice #5/);
  });
});

describe('claim pack', () => {
  const claim = (over: Partial<ClaimRow> = {}): ClaimRow => ({ id: 3, clientId: 7, status: 'offered', offeredAt: AT, decidedBy: null, decidedAt: null, outcome: null, ...over });
  const log: DunningRow[] = [
    { id: 1, invoiceId: 5, event: 'sent', rung: 0, action: 'remind-owner', outcome: null, promiseDate: null, userId: 'U0SELLER', note: null, day: '2026-11-01', at: AT },
    { id: 2, invoiceId: 5, event: 'logged', rung: 0, action: null, outcome: 'promised', promiseDate: '2026-11-10', userId: 'U0SELLER', note: null, day: '2026-11-02', at: AT },
  ];
  const pack = (c: ClaimRow, clientEik: string | null = null) => claimPackMessage({ claim: c, clientName: 'Acme Ltd', clientEik, ownerId: 'U0SELLER', invoices: [invoiceRow(), invoiceRow({ id: 6, number: 'INV-000006', currency: 'BGN', amountMinor: 50_000 })], log, contracts: [], today: TODAY });

  it('offers legal Open claim and Send back, with the claim’s id, the total per currency and the whole log', () => {
    const m = pack(claim());
    expect(buttons(m).map((b) => [b.action_id, parseNumericId(b.value)])).toEqual([
      [ACTION.claimOpen, 3],
      [ACTION.claimReturn, 3],
    ]);
    const text = readable(m);
    // The BGN invoice (500.00 BGN, from before the euro) is owed in EUR since the changeover: €255.65, summed with the EUR one (SPEC §5).
    expect(text).toMatch(/\*Claim #3: Acme Ltd\* — €1,255\.65 overdue · owner <@U0SELLER>/);
    expect(text).toMatch(/BGN\s500\.00 \(€255\.65\)/);
    expect(text).toContain('2026-11-02 · <@U0SELLER> logged *promised* (promise 2026-11-10)');
  });

  it('names the client’s ЕИК for legal when it has one, and no ЕИК line when not (SPEC §5)', () => {
    expect(readable(pack(claim(), '175074752'))).toMatch(/\*Claim #3: Acme Ltd\*[^\n]*\nЕИК: 175074752\n/);
    expect(readable(pack(claim()))).not.toContain('ЕИК');
  });

  it('shows each invoice’s statutory interest as of the claim’s day, the figures of /invoice interest, or names what is missing (SPEC §5)', () => {
    const r = statutoryInterest({ principalMinor: 1_000_000, currency: 'EUR', due: '2026-01-15', payments: [{ date: '2026-02-01', minor: 400_000 }], asOf: '2026-03-01', rates: DEFAULT_INTEREST_RATES });
    if (!r.ok) throw new Error('the SPEC example computes');
    const m = claimPackMessage({
      claim: claim(),
      clientName: 'Acme Ltd',
      clientEik: null,
      ownerId: 'U0SELLER',
      invoices: [invoiceRow({ amountMinor: 1_000_000, dueDate: '2026-01-15' }), invoiceRow({ id: 6, number: 'INV-000006' })],
      interest: { asOf: '2026-03-01', byInvoice: { 5: r, 6: { ok: false, problem: { kind: 'no-rate', day: '2026-07-01', halfYear: '2026-07-01' } } } },
      log,
      contracts: [],
      today: TODAY,
    });
    const text = readable(m);
    expect(text).toContain('*Statutory interest* as of 2026-03-01\n_#5 INV-000005_\n• 2026-01-16 – 2026-03-01 · 45 days (16 days on €10,000.00, 29 days on €6,000.00) · 10.15 % a year · €94.17');
    expect(text).toContain('*Interest:* €94.17\n*Recovery compensation:* €40.00 (policy, Directive 2011/7/EU art. 6)\n*Total beyond the principal:* €134.17');
    expect(text).toContain('_#6 INV-000006_: The policy has no statutory interest rate for the half-year from 2026-07-01');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('once decided, says by whom and has no buttons', () => {
    const m = pack(claim({ status: 'returned', decidedBy: 'U0LEGAL', outcome: 'call them once more' }));
    expect(buttons(m)).toEqual([]);
    expect(readable(m)).toContain('*Sent back to sales* by <@U0LEGAL>: _call them once more_.');
  });
});

describe('overdue digest', () => {
  it('groups by aging bucket with totals per currency, and keeps within Block Kit’s limits', () => {
    const rows = [invoiceRow({ dueDate: '2026-11-20' }), invoiceRow({ id: 6, dueDate: '2026-09-01', currency: 'USD' }), ...Array.from({ length: 300 }, (_, i) => invoiceRow({ id: 100 + i, dueDate: '2026-06-01' }))];
    const m = overdueByBucket(rows, TODAY, 'Overdue invoices');
    const text = readable(m);
    expect(text).toContain('*1–30 days late* — €1,000.00');
    expect(text).toContain('*61–90 days late* — $1,000.00');
    expect(text).toContain('*90+ days late* — €300,000.00');
    expect(text).toContain('_…and 275 more in this bucket._');
    expect(text).toContain('*Total overdue:* €301,000.00 + $1,000.00');
    expect(blockKitProblems(m)).toEqual([]);
    expect(overdueByBucket([], TODAY, 'x').text).toBe('No overdue invoices.');
  });
});

describe('dunning digest (issue 15)', () => {
  const items = (n: number, name = 'Acme Ltd') =>
    Array.from({ length: n }, (_, k) => ({ kind: 'step' as const, invoice: invoiceRow({ id: k + 1, number: `INV-${String(k + 1).padStart(6, '0')}`, clientName: `${name} ${k}`, dueDate: k % 3 === 0 ? '2026-11-10' : '2026-11-17' }), rung: k % 3 === 0 ? 1 : 0, action: k % 3 === 0 ? ('call-client' as const) : ('remind-owner' as const) }));

  it('pages any number of invoices into at most DIGEST_PAGES messages within Block Kit limits, the rest counted for App Home', () => {
    for (const n of [1, 23, 24, 47, 70, 500]) {
      const pages = dunningDigest(items(n, 'Клиент с много дълго име '.repeat(20)), 'person', TODAY);
      expect(pages.length).toBeLessThanOrEqual(DIGEST_PAGES);
      for (const p of pages) expect(blockKitProblems(p)).toEqual([]);
      const shown = pages.flatMap((p) => buttons(p)).filter((b) => b.action_id === ACTION.dunningContacted).length;
      // A message holds 23 invoices (a section and a row of buttons each, a heading, within 50 blocks).
      if (n <= 23) expect(shown).toBe(n);
      else expect(shown).toBeGreaterThanOrEqual(Math.min(n, 23 * DIGEST_PAGES - DIGEST_PAGES));
      const more = n - shown;
      if (more > 0) expect(readable(pages.at(-1)!)).toContain(`${more} more on your Home tab`);
      else expect(readable(pages.at(-1)!)).not.toContain('more on your Home tab');
      expect(shown + more).toBe(n);
    }
    // The most escalated rung first.
    const t = readable(dunningDigest(items(6), 'person', TODAY)[0]!);
    expect(t.indexOf('A week overdue: please call the client')).toBeLessThan(t.indexOf('Overdue: please remind the client'));
  });

  it('in a channel points to /invoice list overdue, and names the owner on a manager’s rung; broken promises come first', () => {
    const many = items(200).map((x) => ({ ...x, rung: 2, action: 'tell-manager' as const }));
    const pages = dunningDigest([{ kind: 'promise-broken', invoice: invoiceRow({ id: 999 }), promised: '2026-11-20' }, ...many], 'channel', TODAY);
    expect(readable(pages[0]!).indexOf('Promises to pay broken')).toBeLessThan(readable(pages[0]!).indexOf("as the owner's manager"));
    expect(readable(pages[0]!)).toContain('owner <@U0SELLER>');
    expect(readable(pages.at(-1)!)).toMatch(/\d+ more: `\/invoice list overdue`/);
  });
});
