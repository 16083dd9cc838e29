import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vegaLiteToSvg } from '../src/charts/render.ts';
import { chartSpecOf } from '../src/charts/spec.ts';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { buttons, CHANNELS, cliEnv, readable, runCli, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

const say = async (command: string, text: string, user_id: string = USERS.seller) => readable((await h.emu.slashCommand({ command, text, user_id })).body);
/** A command that answers later through its response_url (analytics run in a worker). */
async function later(command: string, text: string, user_id: string = USERS.seller): Promise<string> {
  const r = await h.emu.slashCommand({ command, text, user_id });
  const posts = () => h.emu.responseUrlPosts.filter((p) => p.id === r.responseUrlId && !readable(p.body).includes(':hourglass'));
  if (r.body?.text && !String(r.body.text).includes(':hourglass')) return readable(r.body);
  await h.emu.waitForResponse((p) => p.id === r.responseUrlId, 15_000);
  for (let i = 0; i < 100 && posts().length === 0; i++) await new Promise((res) => setTimeout(res, 50));
  return readable(posts()[0]!.body);
}

const PARETO = [
  ['Alpha Steel', 5000],
  ['Бета Строй', 2000],
  ['Gamma Trade', 1000],
  ['Delta Parts', 600],
  ['Epsilon Co', 400],
  ['Zeta Ltd', 300],
  ['Eta OOD', 300],
  ['Theta AD', 200],
  ['Iota Bros', 100],
  ['Kappa Mini', 100],
] as const;

describe('ABC, loyalty and the funnel over the wire', () => {
  beforeAll(async () => {
    h.clock.ms = Date.parse('2026-11-27T10:00:00Z');
    for (const [name, amount] of PARETO) {
      await say('/client', `add ${name}`);
      const inv = await say('/invoice', `add ${name} ${amount} EUR due:2026-10-01 line:${name.length % 2 ? 'steel' : 'tools'}`);
      const id = /invoice \*#(\d+)\*/.exec(inv)![1];
      expect(await say('/invoice', `pay #${id} ${amount} date:2026-09-30`)).toContain('paid in full');
    }
    await say('/client', 'add No Sales Yet');
  });

  it('ranks a Pareto-shaped set: the biggest is A and the smallest C on their cards; /abc shows three segments', async () => {
    const table = await later('/abc', '');
    expect(table).toMatch(/\*A\* · \d+ clients/);
    expect(table).toMatch(/\*B\* · \d+ clients/);
    expect(table).toMatch(/\*C\* · \d+ clients/);
    expect(table).toContain('Alpha Steel');
    const big = await say('/client', 'Alpha Steel');
    expect(big).toContain('Segment: A');
    expect(big).toMatch(/by revenue, .*revenue €5,000.00/);
    expect(big).toContain('Terms (A)');
    expect(await say('/client', 'Kappa Mini')).toContain('Segment: C');
    expect(await say('/client', 'No Sales Yet')).toContain('Segment: C');
    const combined = await later('/abc', 'by:combined');
    expect(combined).toContain('ABC by combined score');
  });

  /** The chart the bot shared in a person's DM after `since` calls: its upload and its SVG text. */
  async function chartInDm(user: string, since: number, title: string): Promise<string> {
    const done = await h.emu.waitFor('files.completeUploadExternal', (c) => h.emu.calls.indexOf(c) >= since && JSON.stringify(c.args.files).includes(title), 10_000);
    // Slack takes a conversation id here, never a user id: the DM was opened first.
    expect(done.args.channel_id).toBe(`D${user}`);
    const opened = h.emu.calls.find((c) => c.method === 'conversations.open' && c.args.users === user);
    expect(opened).toBeDefined();
    const file = h.emu.messages(user).flatMap((m) => m.files ?? []).find((f) => f.id === done.args.files[0].id);
    expect(file).toMatchObject({ mimetype: 'image/png', title });
    expect([...h.emu.uploads.get(file!.id)!.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const row = (await h.rows<{ payload: string }>(sql`SELECT payload FROM outbox WHERE op = 'upload' AND channel = ${user} ORDER BY id DESC LIMIT 1`))[0]!.payload;
    return vegaLiteToSvg(chartSpecOf(JSON.parse(row).chart));
  }

  it('/abc answers with the table and sends the same chart to the asker\'s DM', async () => {
    const since = h.emu.calls.length;
    const table = await later('/abc', 'by:assortment', USERS.seller2);
    expect(table).toContain('ABC by assortment');
    const svg = await chartInDm(USERS.seller2, since, 'Pareto: clients by assortment');
    for (const seg of ['A', 'B', 'C']) {
      const n = new RegExp(`\\*${seg}\\* · (\\d+) clients?`).exec(table)![1];
      expect(svg).toMatch(new RegExp(`${seg} — ${n} clients?,`));
    }
  }, 30_000);

  it('/funnel answers with the figures and sends the funnel chart to the asker\'s DM', async () => {
    const since = h.emu.calls.length;
    const f = await later('/funnel', 'period:quarter', USERS.admin);
    const lead = /\*lead\* — reached (\d+)/.exec(f)![1]!;
    const svg = await chartInDm(USERS.admin, since, 'Sales funnel');
    expect(svg).toContain('Sales funnel, Q4 2026 so far');
    expect(svg).toContain(lead);
  }, 30_000);

  it('answers an unknown criterion with usage', async () => {
    expect(await say('/abc', 'by:vibes')).toMatch(/`vibes` is not a criterion[\s\S]*Usage/);
    expect(await say('/funnel', 'period:decade')).toMatch(/not a period/);
    expect(await say('/funnel', 'owner:bob')).toMatch(/not a Slack user/);
  });

  it('alerts a change of segment to the sales channel and the owner, with the figures', async () => {
    const inv = await say('/invoice', 'add Kappa Mini 20000 EUR due:2026-11-01');
    const id = /invoice \*#(\d+)\*/.exec(inv)![1];
    await say('/invoice', `pay #${id} 20000 date:2026-11-01`);
    await later('/abc', 'by:revenue');
    const alert = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.sales && readable(c.args).includes('Segment changes'));
    expect(readable(alert.args)).toMatch(/Kappa Mini\*: C → \*A\*/);
    expect(readable(alert.args)).toContain('revenue €20,100.00');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('Segment changes among your clients'));
  });

  it('shows the funnel with stage counts', async () => {
    const f = await later('/funnel', 'period:quarter');
    for (const s of ['lead', 'qualified', 'proposal', 'contract', 'won']) expect(f).toContain(`*${s}*`);
    expect(f).toMatch(/\*lead\* — reached \d+/);
    expect(f).toContain('Cash-in forecast');
  });

  it("places a deal's stated value in its stage and, weighted by the stage, in its close month's forecast", async () => {
    await say('/client', 'add Forecast Deal OOD');
    expect(await say('/client', 'move Forecast Deal OOD proposal value:10000 EUR close:2027-01-15')).toContain('Stage: proposal');
    const f = await later('/funnel', 'period:quarter');
    expect(f).toMatch(/\*proposal\* — reached \d+.* · now 1 worth €10,000\.00/);
    // The policy's default probability for proposal weighs the 10,000 in January's forecast.
    expect(f).toMatch(/• 2027-01: deals €[1-9][\d,]*\.\d\d \(weighted\)/);
  });

  it('forecasts an invoiced deal by its open invoice alone, not again as a weighted deal', async () => {
    await say('/client', 'add Invoiced Deal EOOD');
    await say('/client', 'move Invoiced Deal EOOD proposal value:10000 EUR close:2027-03-15');
    const sub = await say('/contract', 'new Invoiced Deal EOOD amount:10000 EUR net:30 kind:goods subject:Steel');
    const contractId = /Contract \*#(\d+)\*/.exec(sub)![1];
    for (const [fn, who] of [['legal', USERS.legal], ['finance', USERS.finance]] as const) {
      const m = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS[fn] && readable(c.args).includes(`Contract #${contractId} `));
      await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(m.args)[0]!.value, user_id: who, channel_id: CHANNELS[fn] });
    }
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`#${contractId}`) && readable(c.args).includes('(finance) approved'));
    expect(await say('/contract', `sign #${contractId}`)).toContain('is signed');
    const inv = await say('/invoice', `add Invoiced Deal EOOD 10000 EUR contract:#${contractId} due:2027-02-10`, USERS.finance);
    expect(inv).toContain('moves to *payment*');
    const id = /invoice \*#(\d+)\*/.exec(inv)![1];
    expect(await say('/invoice', `pay #${id} 2500`)).toContain('€2,500.00');
    const f = await later('/funnel', 'period:quarter');
    expect(f).toMatch(/• 2027-02: deals €0\.00 \(weighted\) \+ invoices €7,500\.00/);
    // Its close month holds nothing of it: the whole value is on the invoice.
    expect(f).not.toMatch(/• 2027-03: deals €[1-9]/);
  });

  it('`npm run digest -- abc` posts the table and a real PNG Pareto chart to the sales channel', async () => {
    const r = await runCli('src/cli/digest.ts', ['abc'], cliEnv(h));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('abc: posted');
    const table = h.emu.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.sales && readable(c.args).includes('ABC by sales volume'));
    expect(table).toBeDefined();
    const complete = h.emu.calls.find((c) => c.method === 'files.completeUploadExternal' && JSON.stringify(c.args).includes(CHANNELS.sales));
    expect(complete).toBeDefined();
    const pngs = [...h.emu.uploads.values()].filter((b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
    expect(pngs.length).toBeGreaterThan(0);
    expect(pngs[0]!.length).toBeGreaterThan(10_000);
  }, 60_000);

  it("the digest's chart counts each segment's clients as its table does, clients without sales in C", async () => {
    const table = readable(h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.sales && readable(c.args).includes('ABC by sales volume')).at(-1)!.args);
    const row = (await h.rows<{ payload: string }>(sql`SELECT payload FROM outbox WHERE op = 'upload' AND channel = ${CHANNELS.sales} ORDER BY id DESC LIMIT 1`))[0]!.payload;
    const svg = await vegaLiteToSvg(chartSpecOf(JSON.parse(row).chart));
    for (const seg of ['A', 'B', 'C']) {
      const n = new RegExp(`\\*${seg}\\* · (\\d+) clients?`).exec(table)![1];
      expect(svg).toMatch(new RegExp(`${seg} — ${n} clients?,`));
    }
    // "No Sales Yet" is C in the table and on the chart's count, though it has no bar.
    expect(Number(/\*C\* · (\d+) clients?/.exec(table)![1])).toBeGreaterThan(0);
  });

  it('flags a contract beyond the loyalty policy to finance, which approves only by confirming each exception', async () => {
    await say('/client', 'add Discount Hunter');
    const sub = await say('/contract', 'new Discount Hunter amount:25000 EUR net:60 kind:goods subject:Big order discount:5');
    expect(sub).toContain('Beyond the loyalty policy');
    expect(sub).toContain('requires prepayment');
    const id = /Contract \*#(\d+)\*/.exec(sub)![1];
    const fin = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    const text = readable(fin.args);
    expect(text).toContain('discount 5 % is above');
    expect(text).toContain('net 60 days are longer');
    expect(text).toContain('above the credit limit');
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(fin.args)[0]!.value, user_id: USERS.finance, channel_id: CHANNELS.finance });
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.confirmExceptions);
    const options = form.args.view.blocks.find((b: any) => b.block_id === BLOCK.confirmExceptions).element.options;
    expect(options.map((o: any) => o.value).sort()).toEqual(['credit-limit', 'discount', 'net-days']);
    const partial = await h.emu.viewSubmission({
      user_id: USERS.finance,
      callback_id: VIEW.confirmExceptions,
      private_metadata: form.args.view.private_metadata,
      state_values: { [BLOCK.confirmExceptions]: { [INPUT.value]: { type: 'checkboxes', selected_options: options.slice(0, 1) } } },
    });
    expect(partial.body.response_action).toBe('errors');
    const all = await h.emu.viewSubmission({
      user_id: USERS.finance,
      callback_id: VIEW.confirmExceptions,
      private_metadata: form.args.view.private_metadata,
      state_values: { [BLOCK.confirmExceptions]: { [INPUT.value]: { type: 'checkboxes', selected_options: options } } },
    });
    expect(all.body).toBe('');
    await h.emu.waitFor('chat.update', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes('approved by <@U0FINANCE>'));
  });
});

describe('counts of one read in the singular', () => {
  let solo: Harness;
  beforeAll(async () => {
    solo = await startHarness({ DEALDESK_TZ: 'UTC' });
  });
  afterAll(async () => {
    await solo?.close();
  });
  const ask = async (command: string, text: string, user_id: string = USERS.seller): Promise<string> => {
    const r = await solo.emu.slashCommand({ command, text, user_id });
    if (r.body?.text && !String(r.body.text).includes(':hourglass')) return readable(r.body);
    const p = await solo.emu.waitForResponse((x) => x.id === r.responseUrlId && !readable(x.body).includes(':hourglass'), 15_000);
    return readable(p.body);
  };

  it('one client, one open deal without a value, one overdue invoice, one dunning step', async () => {
    await ask('/client', 'add Solo Trade OOD');
    await ask('/invoice', 'add Solo Trade OOD 500 EUR due:2026-11-20 line:steel');
    const f = await ask('/funnel', 'period:quarter');
    expect(f).toContain('· 1 deal without a value');
    expect(f).toContain('_1 open deal has no value or expected close date and is not placed._');
    const abc = await ask('/abc', '');
    expect(abc).toContain('· 1 client with sales');
    expect(abc).toMatch(/\*A\* · 1 client · /);
    expect(await ask('/invoice', 'list overdue')).toContain('1 overdue invoice:');
    expect(await ask('/dealdesk', 'digest overdue', USERS.admin)).toContain('overdue: 1 overdue invoice reported');
    const dunning = await ask('/dealdesk', 'digest dunning', USERS.admin);
    expect(dunning).toMatch(/dunning: 1 step sent, 0 broken promises, 0 claims offered/);
  }, 60_000);
});
