import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClient, clientHistory, HISTORY_LIMIT, listClients, loseClient, loseDeal, moveClient, moveFromCard, setClient, showClient } from '../../src/services/clients.ts';
import { serviceWorld, value, type ServiceWorld } from '../helpers/db.ts';
import { USERS } from '../helpers/harness.ts';

let w: ServiceWorld;
beforeEach(async () => {
  w = serviceWorld();
});
afterEach(() => w.close());

const seller = () => w.ctx(USERS.seller);

describe('clients service on a migrated database', () => {
  it('adds a client with a first deal at lead, owned by whoever added it', async () => {
    const v = value(await addClient(seller(), { name: '  Acme   Ltd ', contact: 'ops@acme.example' }));
    expect(v.client).toMatchObject({ name: 'Acme Ltd', ownerId: USERS.seller, contact: 'ops@acme.example', segment: null, createdAt: w.clock.ms });
    expect(v.stage).toBe('lead');
    expect(v.deals).toHaveLength(1);
    expect(v.current?.id).toBe(v.deals[0]!.id);
    // No segment yet: the card shows C terms.
    expect(v.loyalty).toMatchObject({ netDays: 30, prepayment: true });
    expect(w.notices).toEqual([{ kind: 'home', users: [USERS.seller] }]);
  });

  it('gives the client to the owner named, not the one typing', async () => {
    expect(value(await addClient(seller(), { name: 'Beta', owner: USERS.seller2 })).client.ownerId).toBe(USERS.seller2);
  });

  it('refuses a second client whose name differs only in case, width or spacing, naming the first', async () => {
    const first = value(await addClient(seller(), { name: 'Acme Ltd' }));
    expect(await addClient(seller(), { name: 'ＡＣＭＥ  ltd' })).toEqual({ ok: false, refusal: { kind: 'name-taken', name: 'Acme Ltd', id: first.client.id } });
    expect((await listClients(w.store, {})).total).toBe(1);
  });

  it('refuses a bad name with the reason and writes nothing', async () => {
    expect(await addClient(seller(), { name: '   ' })).toEqual({ ok: false, refusal: { kind: 'bad-name', refusal: { kind: 'empty' } } });
    expect((await listClients(w.store, {})).total).toBe(0);
  });

  it('finds a client by name or #id, and suggests close names for a typo', async () => {
    const id = value(await addClient(seller(), { name: 'Acme Ltd' })).client.id;
    expect(value(await showClient(w.store, { name: 'acme ltd' }, '2026-11-24', w.config.policy)).client.id).toBe(id);
    expect(value(await showClient(w.store, { id }, '2026-11-24', w.config.policy)).client.name).toBe('Acme Ltd');
    const miss = await showClient(w.store, { name: 'Acme' }, '2026-11-24', w.config.policy);
    expect(miss).toEqual({ ok: false, refusal: { kind: 'unknown-client', ref: 'Acme', suggestions: ['Acme Ltd'] } });
  });

  it('keeps the ЕИК with one client only, finds the client by it, and the unique index backs that up (SPEC §5)', async () => {
    const first = value(await addClient(seller(), { name: 'Acme Ltd', eik: '175074752', vat: 'BG175074752' }));
    expect(first.client).toMatchObject({ eik: '175074752', vat: 'BG175074752' });
    expect(value(await showClient(w.store, { eik: '175074752' }, '2026-11-24', w.config.policy)).client.id).toBe(first.client.id);
    expect(await showClient(w.store, { eik: '831641791' }, '2026-11-24', w.config.policy)).toEqual({ ok: false, refusal: { kind: 'unknown-client', ref: 'eik:831641791', suggestions: [] } });

    const taken = { ok: false, refusal: { kind: 'eik-taken', eik: '175074752', name: 'Acme Ltd', id: first.client.id } };
    expect(await addClient(seller(), { name: 'Beta', eik: '175074752' })).toEqual(taken);
    expect((await listClients(w.store, {})).total).toBe(1);
    const beta = value(await addClient(seller(), { name: 'Beta' }));
    expect(await setClient(seller(), { id: beta.client.id }, { eik: '175074752', contact: 'x' })).toEqual(taken);
    expect(value(await showClient(w.store, { id: beta.client.id }, '2026-11-24', w.config.policy)).client).toMatchObject({ eik: null, contact: null });
    expect(value(await setClient(seller(), { id: beta.client.id }, { eik: '831641791' })).view.client.eik).toBe('831641791');
    // Clients without an ЕИК are many; a second one written past the service still fails.
    value(await addClient(seller(), { name: 'Gamma' }));
    expect(() => w.db.$client.prepare("UPDATE clients SET eik = '175074752' WHERE name = 'Gamma'").run()).toThrow(/UNIQUE/);
  });

  it('moves the current deal between the manual stages and records who and when', async () => {
    value(await addClient(seller(), { name: 'Acme' }));
    w.clock.advance(60_000);
    const m = value(await moveClient(w.ctx(USERS.seller2), { name: 'Acme' }, 'proposal', { value: { minor: 1_200_000, currency: 'EUR' }, close: '2027-01-31' }));
    expect(m).toMatchObject({ from: 'lead', to: 'proposal', newDeal: false });
    expect(m.view.stage).toBe('proposal');
    expect(m.view.current).toMatchObject({ stage: 'proposal', valueMinor: 1_200_000, currency: 'EUR', expectedClose: '2027-01-31' });
    const h = value(await clientHistory(w.store, { name: 'Acme' }));
    expect(h.events.at(-1)).toMatchObject({ actor: USERS.seller2, action: 'stage-changed', before: { stage: 'lead' }, after: { stage: 'proposal' }, at: w.clock.ms });
  });

  it('sets value and close date alone when the deal is already at the stage named', async () => {
    value(await addClient(seller(), { name: 'Acme' }));
    const m = value(await moveClient(seller(), { name: 'Acme' }, 'lead', { close: '2027-03-01' }));
    expect(m).toMatchObject({ from: 'lead', to: 'lead', newDeal: false });
    expect(m.view.current?.expectedClose).toBe('2027-03-01');
    expect(await moveClient(seller(), { name: 'Acme' }, 'lead')).toMatchObject({ ok: false, refusal: { kind: 'move', refusal: { kind: 'same-stage', stage: 'lead' } } });
  });

  it('refuses moves into the stages the paperwork drives', async () => {
    value(await addClient(seller(), { name: 'Acme' }));
    for (const to of ['contract', 'delivery', 'payment', 'won'] as const)
      expect(await moveClient(seller(), { name: 'Acme' }, to)).toEqual({ ok: false, refusal: { kind: 'move', client: 'Acme', refusal: { kind: 'automatic-stage', to } } });
  });

  it('refuses a click on a card that shows a stage the deal has left', async () => {
    const v = value(await addClient(seller(), { name: 'Acme' }));
    const card = { clientId: v.client.id, dealId: v.current!.id, from: 'lead' as const, to: 'qualified' as const };
    expect(value(await moveFromCard(seller(), card)).to).toBe('qualified');
    expect(await moveFromCard(seller(), card)).toEqual({ ok: false, refusal: { kind: 'stale', client: 'Acme', now: 'qualified' } });
  });

  it('marks the current deal lost with its reason, and then opens a new deal on the next move', async () => {
    value(await addClient(seller(), { name: 'Acme Ltd' }));
    // `/client lost Acme Ltd went with a competitor`: the longest reading that names a client wins.
    const readings = [
      { ref: { name: 'Acme Ltd went' }, reason: 'with a competitor' },
      { ref: { name: 'Acme Ltd' }, reason: 'went with a competitor' },
      { ref: { name: 'Acme' }, reason: 'Ltd went with a competitor' },
    ];
    const lost = value(await loseClient(seller(), readings, { name: 'Acme Ltd went with a competitor' }));
    expect(lost).toMatchObject({ from: 'lead', reason: 'went with a competitor' });
    expect(lost.view.stage).toBe('lost');
    expect(lost.view.deals[0]).toMatchObject({ stage: 'lost', lostReason: 'went with a competitor' });
    expect(lost.view.current).toBeUndefined();
    const again = value(await moveClient(seller(), { name: 'Acme Ltd' }, 'qualified'));
    expect(again).toMatchObject({ from: null, newDeal: true });
    expect(again.view.deals.map((d) => d.stage).sort()).toEqual(['lost', 'qualified']);
  });

  it('asks for the reason when the whole text is a client’s name', async () => {
    value(await addClient(seller(), { name: 'Acme Ltd' }));
    expect(await loseClient(seller(), [{ ref: { name: 'Acme' }, reason: 'Ltd' }], { name: 'Acme Ltd' })).toEqual({
      ok: false,
      refusal: { kind: 'lost', client: 'Acme Ltd', refusal: { kind: 'reason-required' } },
    });
  });

  it('refuses a lost click pinned to a deal that is no longer current', async () => {
    const v = value(await addClient(seller(), { name: 'Acme' }));
    value(await loseDeal(seller(), v.client, v.current!.id, 'price'));
    value(await moveClient(seller(), { name: 'Acme' }, 'lead'));
    expect(await loseDeal(seller(), v.client, v.current!.id, 'price')).toMatchObject({ ok: false, refusal: { kind: 'stale', now: 'lead' } });
  });

  it('shows the latest changes, oldest of them first, and counts beyond what it shows', async () => {
    value(await addClient(seller(), { name: 'Acme' }));
    const stages = ['qualified', 'proposal'] as const;
    for (let i = 0; i < HISTORY_LIMIT; i++) {
      w.clock.advance(1000);
      value(await moveClient(seller(), { name: 'Acme' }, stages[i % 2]!));
    }
    const h = value(await clientHistory(w.store, { name: 'Acme' }));
    // created client + created deal + one per move
    expect(h.total).toBe(HISTORY_LIMIT + 2);
    expect(h.events).toHaveLength(HISTORY_LIMIT);
    // The two oldest (client and deal created) fall off; the last move is the last line.
    expect(h.events.every((e) => e.entity === 'deal' && e.action === 'stage-changed')).toBe(true);
    expect(h.events.at(-1)!.at).toBe(w.clock.ms);
    expect(h.events.map((e) => e.at)).toEqual([...h.events.map((e) => e.at)].sort((a, b) => a - b));
  });

  it('lists clients by stage, segment and owner', async () => {
    value(await addClient(seller(), { name: 'Acme' }));
    value(await addClient(seller(), { name: 'Beta', owner: USERS.seller2 }));
    value(await moveClient(seller(), { name: 'Beta' }, 'proposal'));
    expect((await listClients(w.store, { stage: 'proposal' })).rows.map((r) => r.name)).toEqual(['Beta']);
    expect((await listClients(w.store, { ownerId: USERS.seller })).rows.map((r) => r.name)).toEqual(['Acme']);
    expect((await listClients(w.store, { segment: 'A' })).total).toBe(0);
    expect((await listClients(w.store, {})).rows.map((r) => r.name)).toEqual(['Acme', 'Beta']);
  });

  it('shows each client’s own stage in the list', async () => {
    // In a single-table select drizzle writes columns unqualified, so the stage subquery's
    // `"client_id" = "id"` compares two columns of deals, not the deal's client with the row's.
    value(await addClient(seller(), { name: 'Acme' }));
    value(await addClient(seller(), { name: 'Beta' }));
    value(await moveClient(seller(), { name: 'Beta' }, 'proposal'));
    expect((await listClients(w.store, {})).rows.map((r) => [r.name, r.stage])).toEqual([
      ['Acme', 'lead'],
      ['Beta', 'proposal'],
    ]);
  });
});
