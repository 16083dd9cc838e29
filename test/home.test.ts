import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../src/slack/ids.ts';
import { buttons, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

const say = async (command: string, text: string, user_id: string = USERS.seller) => readable((await h.emu.slashCommand({ command, text, user_id })).body);
const homes = (user: string) => h.emu.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === user);

describe('App Home', () => {
  it('publishes each user their dashboard on app_home_opened, and refreshes it when their data changes', async () => {
    h.clock.ms = Date.parse('2026-11-27T10:00:00Z');
    await say('/client', 'add Home Client One');
    await say('/client', 'move Home Client One qualified');
    await say('/invoice', 'add Home Client One 750 EUR due:2026-11-10');

    await h.emu.event({ type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER' });
    const seller = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller);
    const text = readable(seller.args.view);
    expect(seller.args.view.type).toBe('home');
    expect(text).toContain('Your clients by stage');
    expect(text).toMatch(/\*qualified\*\n1 client/);
    expect(text).toContain('Home Client One');
    expect(text).toContain('€750.00 owed');
    expect(text).toContain('17 days late');
    expect(buttons(seller.args.view).map((b) => b.action_id)).toEqual([ACTION.homeNewContract, ACTION.homeRefresh]);

    await h.emu.event({ type: 'app_home_opened', user: USERS.legal, tab: 'home', channel: 'D0LEGAL' });
    const legalBefore = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.legal);
    expect(readable(legalBefore.args.view)).toContain('Nothing waits for you');

    // A contract for legal to decide: legal's home refreshes without being opened again.
    await say('/contract', 'new Home Client One amount:900 EUR net:30 kind:services subject:Audit');
    const legalAfter = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.legal && readable(c.args.view).includes('Waiting for your decision') && readable(c.args.view).includes('Audit'));
    expect(readable(legalAfter.args.view)).toContain('Contract #');
    // Someone who never opened the Home tab is not published to.
    expect(homes(USERS.finance)).toHaveLength(0);

    // The New contract button opens the contract form.
    await h.emu.blockAction({ action_id: ACTION.homeNewContract, value: 'new', user_id: USERS.seller, container: { type: 'view', view_id: 'VHOME' } });
    await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft);
  });
});
