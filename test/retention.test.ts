/**
 * SPEC §7 over the wire: attributes and fit on the card, reviews by cadence, the reviews digest
 * with a client gone quiet (alerted once per spell; a new invoice ends the spell), the App Home,
 * `/abc profile`, `/client list sort:fit` and repeat business in `/funnel`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, cliEnv, readable, runCli, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

/** The answer to a command, waiting for the response_url when it runs in the analytics process. */
async function ask(command: string, text: string, user_id: string = USERS.seller): Promise<string> {
  const r = await h.emu.slashCommand({ command, text, user_id });
  if (r.body?.text && !String(r.body.text).includes(':hourglass')) return readable(r.body);
  const p = await h.emu.waitForResponse((x) => x.id === r.responseUrlId && !readable(x.body).includes(':hourglass'), 20_000);
  return readable(p.body);
}

const posts = (channel: string, has: string) => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && readable(c.args).includes(has));
const at = (iso: string) => (h.clock.ms = Date.parse(iso));
const LOGISTICS = 'industry:logistics region:Sofia size:small';

describe('retention and look-alikes (SPEC §7) over the wire', () => {
  beforeAll(async () => {
    at('2026-11-27T09:00:00Z');
    // Five look-alike A clients (equal sales, 19.8 % each) and five small retail ones (C).
    await ask('/client', `add Quiet Steel ${LOGISTICS}`);
    for (const d of ['2026-06-01', '2026-07-01', '2026-08-01']) expect(await ask('/invoice', `add Quiet Steel 4000 EUR issued:${d}`)).toContain('invoice *#');
    for (const n of ['Two', 'Three', 'Four', 'Five']) {
      await ask('/client', `add Logistik ${n} ${LOGISTICS}`);
      await ask('/invoice', `add Logistik ${n} 12000 EUR`);
    }
    for (const n of [1, 2, 3, 4, 5]) {
      await ask('/client', `add Retail Shop ${n} industry:retail region:Plovdiv size:large`);
      await ask('/invoice', `add Retail Shop ${n} 100 EUR`);
    }
    await ask('/client', 'add New Logistik');
    await ask('/client', 'add New Retail');
  });

  it('sets industry, region and size, and answers a bad size with the usage', async () => {
    const set = await ask('/client', `set New Logistik ${LOGISTICS}`);
    expect(set).toContain('industry – → logistics, region – → Sofia, size – → small');
    expect(set).toContain('Industry: logistics · region: Sofia · size: small');
    expect(await ask('/client', 'set New Retail industry:retail size:large')).toContain('size – → large');
    const bad = await ask('/client', 'set New Retail size:huge');
    expect(bad).toContain('`size:huge` is not a size');
    expect(bad).toContain('Usage');
    expect(bad).toContain('[size:micro|small|medium|large]');
    expect(await ask('/client', 'set New Retail industry:')).toContain('`industry:` is empty');
    expect(await ask('/client', 'list sort:vibes')).toContain('`sort:vibes` is not an order');
  });

  it('says there are not enough A clients before segments exist, then scores leads by how much they look like A', { timeout: 90_000 }, async () => {
    expect(await ask('/client', 'New Logistik')).toContain('Fit: not enough A clients yet (0 of 5)');
    const abc = await ask('/abc', '');
    expect(abc).toMatch(/\*A\* · 5 clients/);
    // /abc also sends its chart to the asker's DM; the outbox delivers in order, so let it go first.
    await h.emu.waitFor('files.completeUploadExternal', () => true, 60_000);
    const card = await ask('/client', 'New Logistik');
    const fit = Number(/Fit: (\d+) \(industry: logistics ↑, region: Sofia ↑, size: small ↑\)/.exec(card)?.[1]);
    expect(fit).toBeGreaterThan(90);
    const retail = Number(/Fit: (\d+) \(/.exec(await ask('/client', 'New Retail'))?.[1]);
    expect(retail).toBeLessThan(10);
    // Ranked: the look-alike first among the leads, the retail lead after it.
    const list = await ask('/client', 'list stage:lead sort:fit');
    expect(list).toContain('sort:fit');
    expect(list.indexOf('New Logistik')).toBeGreaterThan(-1);
    expect(list.indexOf('New Logistik')).toBeLessThan(list.indexOf('New Retail'));
    expect(list).toMatch(/New Logistik\* #\d+ — lead · segment C · <@U0SELLER> · Fit: 100/);
  });

  it('shows A against the rest in /abc profile', async () => {
    const p = await ask('/abc', 'profile');
    expect(p).toContain('*Segment A against the rest* · 5 A clients');
    expect(p).toContain('• A: logistics 100 %');
    // The rest: the five retail clients and the two leads (C without sales), one of them a look-alike.
    expect(p).toContain('• rest: retail 86 %, logistics 14 %');
    expect(p).toContain('*Usual payment terms* · A: net 30 days');
    expect(p).toContain('*Median invoice* · A: €12,000.00');
  });

  it('logs a review with its note: the card counts the next one from it, the history keeps it', async () => {
    const card = await ask('/client', 'Quiet Steel');
    expect(card).toContain('Last review: none yet');
    expect(card).toContain('Next review: 2027-02-25 · in 90 days (A clients every 90 days)');
    expect(await ask('/client', 'review Quiet Steel')).toContain('Say what the review found after the name: `/client review Quiet Steel <note>`');
    expect(await ask('/client', 'review Nobody Here all good')).toContain("I couldn't find a client called");

    at('2027-01-15T09:00:00Z');
    const r = await ask('/client', 'review Quiet Steel orders paused for the winter, call in March');
    expect(r).toContain(`<@${USERS.seller}> logged a review of *#`);
    expect(r).toContain('Last review: 2027-01-15 by <@U0SELLER> — _orders paused for the winter, call in March_');
    expect(r).toContain('Next review: 2027-04-15 · in 90 days (A clients every 90 days)');
    expect(await ask('/client', 'history Quiet Steel')).toContain('logged a review: _orders paused for the winter, call in March_');
    const rows = await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM client_reviews`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('the reviews digest sends each owner the reviews due and the quiet client, once per spell; a new invoice ends the spell', async () => {
    at('2027-03-01T09:00:00Z');
    await h.emu.event({ type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER' });
    const home = readable((await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller && readable(c.args.view).includes('gone quiet'))).args.view);
    expect(home).toContain('Your client reviews due');
    expect(home).toMatch(/• \*Logistik Two\* \(#\d+, A\) · due 2027-02-25, \*4 days overdue\* · never reviewed/);
    expect(home).toMatch(/• \*Quiet Steel\* \(#\d+, A\) · no invoice for 212 days; usually every 30.5 days · last invoice 2026-08-01/);
    expect(home).not.toMatch(/Quiet Steel\* \(#\d+, A\) · due/);

    const ran = await ask('/dealdesk', 'digest reviews', USERS.admin);
    expect(ran).toContain('reviews: 4 client reviews due sent to 1 owner; 1 client newly gone quiet reported');
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('client reviews due'));
    const text = readable(dm.args);
    expect(text).toContain('*client reviews due* (4)');
    expect(text).toMatch(/• \*Logistik Five\* \(#\d+, A\) — due 2027-02-25, \*4 days overdue\* · never reviewed/);
    expect(text).not.toContain('*Quiet Steel* (#1, A) — due');
    expect(text).toContain(':zzz: *Gone quiet* (1)');
    expect(text).toMatch(/\*Quiet Steel\* \(#\d+, A\) — no invoice for 212 days; it usually buys every 30.5 days/);
    const alert = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.sales && readable(c.args).includes('has gone quiet'));
    expect(readable(alert.args)).toContain('last 12 months: €12,000.00');
    expect(readable(alert.args)).toContain(`owner <@${USERS.seller}>`);

    // Again the same day (a retried job, a second instance): the reviews again, the quiet spell not.
    expect(await ask('/dealdesk', 'digest reviews', USERS.admin)).toContain('0 clients newly gone quiet');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('client reviews due') && c !== dm);
    expect(posts(CHANNELS.sales, 'has gone quiet')).toHaveLength(1);
    expect(posts(USERS.seller, 'Gone quiet')).toHaveLength(1);
    expect((await h.rows<{ spell: string }>(sql`SELECT spell_from AS spell FROM quiet_alerts`)).map((r) => r.spell)).toEqual(['2026-08-01']);

    // A new invoice ends the spell: active again, no alert.
    await ask('/invoice', 'add Quiet Steel 4000 EUR');
    await ask('/dealdesk', 'digest reviews', USERS.admin);
    expect(posts(CHANNELS.sales, 'has gone quiet')).toHaveLength(1);
    await h.emu.event({ type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER' });
    const after = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller && readable(c.args.view).includes('None gone quiet'));
    expect(readable(after.args.view)).not.toContain('no invoice for');

    // Silent again well past its rhythm (median gap now 31 days): a new spell, alerted once more.
    at('2027-05-20T09:00:00Z');
    expect(await ask('/dealdesk', 'digest reviews', USERS.admin)).toContain('1 client newly gone quiet');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.sales && readable(c.args).includes('no invoice for 80 days'));
    expect(posts(CHANNELS.sales, 'has gone quiet')).toHaveLength(2);
    expect((await h.rows<{ spell: string }>(sql`SELECT spell_from AS spell FROM quiet_alerts ORDER BY spell_from`)).map((r) => r.spell)).toEqual(['2026-08-01', '2027-03-01']);
  }, 90_000);

  it('runs from the command line too: npm run digest -- reviews', async () => {
    const r = await runCli('src/cli/digest.ts', ['reviews', '--as-of', '2027-05-20T10:00'], cliEnv(h));
    expect(r.stderr).toBe('');
    // Quiet Steel's review of 2027-01-15 fell due on 2027-04-15; its second spell was alerted already.
    expect(r.stdout).toContain('reviews: 5 client reviews due sent to 1 owner; 0 clients newly gone quiet reported');
    expect(r.status).toBe(0);
  }, 90_000);

  it('shows repeat business in /funnel: clients kept per segment from the previous period', async () => {
    const f = await ask('/funnel', 'period:year');
    expect(f).toContain('*Repeat business* · no deals won in the period');
    // 2027 so far against 2026: of the five A clients with sales in 2026, Quiet Steel bought again.
    expect(f).toContain('• A: 1 of 5 clients kept (20.0 %)');
    expect(f).toContain('• C: 0 of 5 clients kept (0.0 %)');
  }, 30_000);
});
