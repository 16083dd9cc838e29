import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { dunningLog } from '../../src/repos/invoices.ts';
import { addClient } from '../../src/services/clients.ts';
import { decideClaim, logDunningOutcome, runDunning } from '../../src/services/dunning.ts';
import { addInvoice, payInvoice } from '../../src/services/invoices.ts';
import type { Notice } from '../../src/services/notices.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { CHANNELS, USERS } from '../helpers/harness.ts';

const DUE = '2026-11-23';
const MANAGER = 'U0MANAGER';

let w: ServiceWorld;
beforeEach(async () => {
  w = serviceWorld({ at: '2026-11-24T07:30:00Z', policy: { dunning: { managers: { [USERS.seller]: MANAGER } } } });
  value(await addClient(w.ctx(USERS.seller), { name: 'Acme' }));
  value(await addClient(w.ctx(USERS.seller2), { name: 'Beta' }));
});
afterEach(() => w.close());

/** 09:30 in Sofia on the n-th day after the due date (the policy's dunning run). */
function day(n: number): void {
  w.clock.ms = Date.parse(`${addDays(DUE, n)}T07:30:00Z`);
}

const invoice = async (client: string, amountMinor = 100_000) => value(await addInvoice(w.ctx(USERS.finance), { readings: [{ client: { name: client }, amount: String(amountMinor), amountMinor }], currency: 'EUR', due: DUE })).invoice;

/** One dunning run; returns its totals and the notices it produced. */
async function run() {
  const before = w.notices.length;
  const totals = await runDunning(w.ctx('system'));
  return { totals, notices: w.notices.slice(before).filter((n) => n.kind !== 'home') };
}

/** The rungs a run sent, from its digests (one per recipient and run, issue 15). */
const steps = (notices: Notice[]) => notices.flatMap((n) => (n.kind === 'dunning-digest' ? n.items.flatMap((i) => (i.kind === 'step' ? [[i.invoice.number, i.action, n.to]] : [])) : []));

describe('dunning service on a migrated database', () => {
  it('sends the first rung to the owner the day after the due date, once however often it runs', async () => {
    const inv = await invoice('Acme');
    day(0);
    expect((await run()).totals.sent).toBe(0);
    day(1);
    const first = await run();
    expect(first.totals).toEqual({ sent: 1, broken: 0, claims: 0, paused: 0 });
    expect(steps(first.notices)).toEqual([[inv.number, 'remind-owner', USERS.seller]]);
    expect((await run()).totals.sent).toBe(0);
    const dm = (await w.outbox()).filter((r) => r.channel === USERS.seller && JSON.stringify(r.payload).includes('dunning.contacted'));
    expect(dm).toHaveLength(1);
  });

  it('walks the ladder in order after downtime, one rung a day, the manager’s rung to the manager', async () => {
    const inv = await invoice('Acme');
    day(20);
    expect(steps((await run()).notices)).toEqual([[inv.number, 'remind-owner', USERS.seller]]);
    day(21);
    expect(steps((await run()).notices)).toEqual([[inv.number, 'call-client', USERS.seller]]);
    day(22);
    expect(steps((await run()).notices)).toEqual([[inv.number, 'tell-manager', MANAGER]]);
  });

  it('sends the manager’s rung of an owner with no manager to the sales channel', async () => {
    const inv = await invoice('Beta');
    for (const n of [1, 7, 14]) {
      day(n);
      await run();
    }
    const digest = w.notices.filter((n) => n.kind === 'dunning-digest').at(-1)!;
    expect(digest).toMatchObject({ to: null, items: [{ kind: 'step', action: 'tell-manager', invoice: { id: inv.id } }] });
    expect((await w.outbox()).some((r) => r.channel === CHANNELS.sales && JSON.stringify(r.payload).includes(inv.number))).toBe(true);
  });

  it('pauses for a promise, announces it broken the day after, once, and then resumes', async () => {
    const inv = await invoice('Acme');
    day(1);
    await run();
    value(await logDunningOutcome(w.ctx(USERS.seller), inv.id, 0, 'promised', addDays(DUE, 10)));
    for (const n of [7, 10]) {
      day(n);
      expect((await run()).totals).toMatchObject({ sent: 0, paused: 1 });
    }
    day(11);
    const broken = await run();
    expect(broken.totals).toMatchObject({ sent: 0, broken: 1 });
    expect(broken.notices).toEqual([expect.objectContaining({ kind: 'dunning-digest', to: USERS.seller, items: [expect.objectContaining({ kind: 'promise-broken', promised: addDays(DUE, 10) })] })]);
    day(12);
    const resumed = await run();
    expect(resumed.totals).toMatchObject({ broken: 0, sent: 1 });
    expect(steps(resumed.notices)).toEqual([[inv.number, 'call-client', USERS.seller]]);
  });

  it('sends nothing more when it runs again the same day', async () => {
    // /dealdesk digest dunning and `npm run digest dunning` run the job outside the scheduler's
    // once-a-day run key. After downtime several rungs are due at once; the ladder must still
    // give one a day, so a second run on the same day has to send nothing.
    await invoice('Acme');
    day(20);
    expect((await run()).totals.sent).toBe(1);
    expect((await run()).totals.sent).toBe(0);
  });

  it('counts one rung a day by the date in the workspace’s zone (Sofia), not UTC’s', async () => {
    const inv = await invoice('Acme');
    // 23:50 and 00:10 in Sofia are the same UTC date, but two days there: a rung each.
    w.clock.ms = Date.parse('2026-12-12T21:50:00Z');
    expect(steps((await run()).notices)).toEqual([[inv.number, 'remind-owner', USERS.seller]]);
    w.clock.ms = Date.parse('2026-12-12T22:10:00Z');
    expect(steps((await run()).notices)).toEqual([[inv.number, 'call-client', USERS.seller]]);
    // 23:30 in Sofia on that second day, another UTC date: nothing more.
    w.clock.ms = Date.parse('2026-12-13T21:30:00Z');
    expect((await run()).totals.sent).toBe(0);
    w.clock.ms = Date.parse('2026-12-13T22:30:00Z');
    expect(steps((await run()).notices)).toEqual([[inv.number, 'tell-manager', MANAGER]]);
  });

  it('offers one claim per client with the invoices that passed the gate, only when each sales rung was logged or lapsed', async () => {
    const a1 = await invoice('Acme');
    const a2 = await invoice('Acme', 250_000);
    for (const n of [1, 7, 14]) {
      day(n);
      await run();
    }
    // Day 30: every sales rung sent; the owner logged tell-manager on a2 only, and a1's was sent on day 14, long lapsed.
    day(29);
    value(await logDunningOutcome(w.ctx(MANAGER), a2.id, 2, 'no-answer'));
    day(30);
    const offered = await run();
    expect(offered.totals.claims).toBe(1);
    const claim = offered.notices.find((n) => n.kind === 'claim-offered');
    expect(claim).toMatchObject({ kind: 'claim-offered', clientName: 'Acme', ownerId: USERS.seller });
    expect(claim?.kind === 'claim-offered' && claim.invoices.map((i) => i.id).sort()).toEqual([a1.id, a2.id].sort());
    expect((await w.outbox()).filter((r) => r.channel === CHANNELS.legal && r.messageKey?.startsWith('claim'))).toHaveLength(1);
    day(31);
    expect((await run()).totals.claims).toBe(0);
  });

  it('holds the claim back while the last rung is neither logged nor lapsed', async () => {
    await invoice('Acme');
    for (const n of [1, 7, 29]) {
      day(n);
      await run();
    }
    day(30);
    expect((await run()).totals.claims).toBe(0);
    day(31);
    expect((await run()).totals.claims).toBe(0);
    day(32);
    expect((await run()).totals.claims).toBe(1);
  });

  it('lets only legal decide a claim, once; a claim sent back waits for a new sales step', async () => {
    const inv = await invoice('Acme');
    for (const n of [1, 7, 14, 30]) {
      day(n);
      await run();
    }
    const offered = w.notices.find((n) => n.kind === 'claim-offered');
    const claimId = offered?.kind === 'claim-offered' ? offered.claim.id : -1;
    expect(await decideClaim(w.ctx(USERS.seller), claimId, 'opened', null, false)).toEqual({ ok: false, refusal: { kind: 'not-legal' } });
    expect(value(await decideClaim(w.ctx(USERS.legal), claimId, 'returned', 'call them once more', true))).toMatchObject({ status: 'returned', decidedBy: USERS.legal });
    expect(await decideClaim(w.ctx(USERS.legal), claimId, 'opened', null, true)).toEqual({ ok: false, refusal: { kind: 'claim-decided', id: claimId, status: 'returned', by: USERS.legal } });
    day(35);
    expect((await run()).totals.claims).toBe(0);
    value(await logDunningOutcome(w.ctx(USERS.seller), inv.id, 1, 'contacted'));
    day(36);
    expect((await run()).totals.claims).toBe(1);
    expect((await dunningLog(w.db, [inv.id])).map((e) => e.event)).toEqual(['sent', 'sent', 'sent', 'claim-offered', 'claim-returned', 'logged', 'claim-offered']);
  });

  it('lets the owner, their manager, finance or an admin log an outcome; nobody else, and not on a paid invoice', async () => {
    const inv = await invoice('Acme');
    expect(await logDunningOutcome(w.ctx(USERS.seller2), inv.id, 0, 'contacted')).toEqual({ ok: false, refusal: { kind: 'not-owner', invoice: inv.number, ownerId: USERS.seller } });
    for (const who of [USERS.seller, MANAGER, USERS.finance, USERS.admin]) expect((await logDunningOutcome(w.ctx(who), inv.id, 0, 'contacted')).ok).toBe(true);
    value(await payInvoice(w.ctx(USERS.finance), { invoiceId: inv.id, amount: '1000' }));
    expect(await logDunningOutcome(w.ctx(USERS.seller), inv.id, 0, 'contacted')).toEqual({ ok: false, refusal: { kind: 'invoice-paid', invoice: inv.number } });
  });

  it('stops dunning an invoice once it is paid', async () => {
    const inv = await invoice('Acme');
    day(1);
    await run();
    value(await payInvoice(w.ctx(USERS.finance), { invoiceId: inv.id, amount: '1000' }));
    day(7);
    expect((await run()).totals).toEqual({ sent: 0, broken: 0, claims: 0, paused: 0 });
  });
});
