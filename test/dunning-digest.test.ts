/**
 * Dunning that scales (issue 15): a run tells each person once, in one digest paged within
 * Block Kit's limits, the rest waiting on their App Home; the dunning events are recorded per
 * invoice as before.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../src/slack/ids.ts';
import { DIGEST_PAGES } from '../src/slack/ui/messages/invoice.ts';
import { HOME_DUNNING } from '../src/services/home.ts';
import { blockKitProblems, buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterEach(() => {
  for (const c of h.emu.calls.filter((c) => ['chat.postMessage', 'chat.update', 'views.open', 'views.publish'].includes(c.method))) {
    expect(blockKitProblems(c.args), `${c.method} ${JSON.stringify(c.args).slice(0, 200)}`).toEqual([]);
  }
});
afterAll(async () => {
  await h?.close();
});

const say = async (command: string, text: string, user_id: string = USERS.seller) => {
  const r = await h.emu.slashCommand({ command, text, user_id });
  if (r.body?.text && !String(r.body.text).includes(':hourglass')) return readable(r.body);
  const p = await h.emu.waitForResponse((x) => x.id === r.responseUrlId && !readable(x.body).includes(':hourglass'), 30_000);
  return readable(p.body);
};
const day = (iso: string) => {
  h.clock.ms = Date.parse(`${iso}T10:00:00Z`);
};
const settle = async () => {
  const undelivered = async () => Number((await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n);
  for (let i = 0; i < 200 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
};
const dmsTo = (user: string, since: number) => h.emu.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.args.channel === user);

describe('one dunning digest per person per run', () => {
  it('90 invoices due at once: a few messages within Block Kit limits, every button the DM had, the rest on App Home; the log per invoice as before', async () => {
    day('2026-11-27');
    await say('/client', 'add Many Debts OOD');
    const [client] = await h.rows<{ id: number }>(sql`SELECT id FROM clients WHERE name = 'Many Debts OOD'`);
    const N = 90;
    for (let k = 1; k <= N; k++) {
      await h.exec(sql`INSERT INTO invoices (number, client_id, amount_minor, currency, issue_date, due_date, paid_minor, created_by, created_at)
                       VALUES (${`MD-${String(k).padStart(4, '0')}`}, ${Number(client!.id)}, ${10_000 + k}, 'EUR', '2026-10-01', ${k % 2 === 0 ? '2026-11-20' : '2026-11-25'}, 0, ${USERS.finance}, ${h.clock.ms})`);
    }
    const since = h.emu.calls.length;
    expect(await say('/dealdesk', 'digest dunning', USERS.admin)).toMatch(new RegExp(`dunning: ${N} steps sent`));
    await settle();

    // Each invoice's rung is recorded as before: one `sent` event each, to the owner.
    const sent = await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM dunning_events e JOIN invoices i ON i.id = e.invoice_id WHERE e.event = 'sent' AND i.number LIKE 'MD-%' AND e.user_id = ${USERS.seller}`);
    expect(Number(sent[0]!.n)).toBe(N);

    const dms = dmsTo(USERS.seller, since).filter((c) => readable(c.args).includes('Dunning for'));
    // Not 90 DMs: DIGEST_PAGES messages of one digest.
    expect(dms).toHaveLength(DIGEST_PAGES);
    expect(dmsTo(USERS.seller, since)).toHaveLength(DIGEST_PAGES);
    dms.forEach((m, k) => {
      expect(m.args.blocks.length).toBeLessThanOrEqual(50);
      expect(readable(m.args)).toContain(`message ${k + 1} of ${DIGEST_PAGES}`);
      expect(readable(m.args)).toContain(`${N} invoices to act on`);
    });
    const shown = dms.flatMap((m) => buttons(m.args));
    const invoicesShown = new Set(shown.map((b) => b.value));
    // Each invoice shown has the three buttons of the old per-invoice DM.
    for (const id of [ACTION.dunningContacted, ACTION.dunningPromised, ACTION.dunningNoAnswer]) expect(shown.filter((b) => b.action_id === id)).toHaveLength(invoicesShown.size);
    expect(invoicesShown.size).toBeGreaterThan(40);
    expect(invoicesShown.size).toBeLessThan(N);
    const more = N - invoicesShown.size;
    expect(readable(dms.at(-1)!.args)).toContain(`${more} more on your Home tab`);
    // Grouped by rung, the most late first: the first invoice shown is 7 days late.
    expect(readable(dms[0]!.args)).toContain('Overdue: please remind the client');
    expect(readable(dms[0]!.args)).toContain('7 days late');
    expect(readable(dms[0]!.args)).not.toContain('2 days late');
    expect(readable(dms.at(-1)!.args)).toContain('2 days late');

    // App Home lists the rungs still to act on, with the same buttons.
    await h.emu.event({ type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER' });
    const home = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller && readable(c.args.view).includes('Dunning: to act on'));
    expect(readable(home.args.view)).toContain(`Dunning: to act on* (${N})`);
    expect(readable(home.args.view)).toContain(`and ${N - HOME_DUNNING} more`);
    const homeButtons = buttons(home.args.view);
    expect(homeButtons.filter((b) => b.action_id === ACTION.dunningContacted)).toHaveLength(HOME_DUNNING);

    // Logging from Home (no response_url there) records the outcome and takes it off the list.
    const first = homeButtons.find((b) => b.action_id === ACTION.dunningContacted)!;
    const publishes = h.emu.calls.filter((c) => c.method === 'views.publish').length;
    await h.emu.blockAction({ action_id: ACTION.dunningContacted, value: first.value, user_id: USERS.seller, container: { type: 'view', view_id: 'VHOME' } });
    const after = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller && readable(c.args.view).includes(`Dunning: to act on* (${N - 1})`));
    expect(h.emu.calls.filter((c) => c.method === 'views.publish').length).toBeGreaterThan(publishes);
    expect(buttons(after.args.view).some((b) => b.value === first.value)).toBe(false);
    const logged = await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM dunning_events WHERE event = 'logged' AND invoice_id = ${Number(first.value.split(':')[0])}`);
    expect(Number(logged[0]!.n)).toBe(1);

    // The same day again: nothing more is sent.
    const again = h.emu.calls.length;
    expect(await say('/dealdesk', 'digest dunning', USERS.admin)).toMatch(/dunning: 0 steps sent/);
    await settle();
    expect(dmsTo(USERS.seller, again)).toHaveLength(0);
    expect(h.emu.calls.slice(again).filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.sales)).toHaveLength(0);
  }, 120_000);
});
