import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { blockKitProblems, buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';
import { signedContract } from './helpers/contracts.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterEach(() => {
  for (const c of h.emu.calls.filter((c) => ['chat.postMessage', 'chat.update', 'views.open'].includes(c.method))) {
    expect(blockKitProblems(c.args), `${c.method} ${JSON.stringify(c.args).slice(0, 200)}`).toEqual([]);
  }
});
afterAll(async () => {
  await h?.close();
});

const cmd = (command: string, text: string, user_id: string = USERS.seller) => h.emu.slashCommand({ command, text, user_id });
const say = async (command: string, text: string, user_id: string = USERS.seller) => readable((await cmd(command, text, user_id)).body);
const day = (iso: string) => {
  h.clock.ms = Date.parse(`${iso}T10:00:00Z`);
};
const idOf = (text: string) => Number(/#(\d+)/.exec(text)![1]);
/** Until the outbox has delivered everything (jobs run in the analytics process; the bot's sender polls). */
const settle = async () => {
  const undelivered = async () => Number((await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n);
  for (let i = 0; i < 100 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
};

describe('invoices and payments over the wire', () => {
  it('an invoice due in the past is overdue; the digest tells finance and DMs the owner; payments take it off', async () => {
    day('2026-11-27');
    await say('/client', 'add Late Payer OOD');
    const issued = await say('/invoice', 'add Late Payer OOD 500 EUR due:2026-11-20');
    expect(issued).toContain('€500.00');
    const id = idOf(issued.split('invoice *')[1]!);
    const overdue = await say('/invoice', 'list overdue');
    expect(overdue).toContain('1–30 days late');
    expect(overdue).toContain('Late Payer OOD');
    expect(overdue).toContain('7 days late');

    await say('/dealdesk', 'digest overdue', USERS.admin);
    // The digest runs in the analytics process, whose first start (tsx compiling it) can take seconds on a loaded machine.
    const fin = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes('Late Payer OOD'), 20_000);
    expect(readable(fin.args)).toContain('Overdue invoices');
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('Your overdue invoices'), 20_000);
    expect(readable(dm.args)).toContain('€500.00');

    expect(await say('/invoice', `pay #${id} 600`)).toContain('€500.00 is owed');
    const part = await say('/invoice', `pay #${id} 200 ref:BNK-1187`);
    expect(part).toContain('€300.00 is still owed');
    expect(await say('/invoice', 'list overdue')).toContain('owes €300.00');
    expect(await say('/client', 'Late Payer OOD')).toContain('Overdue:* €300.00');
    const full = await say('/invoice', `pay #${id} 300`);
    expect(full).toContain('paid in full');
    expect(await say('/invoice', 'list overdue Late Payer OOD')).toContain('No overdue invoices');
    expect(await say('/client', 'history Late Payer OOD')).toContain('ref BNK-1187');
  });

  it('answers malformed amounts, dates and ids with usage', async () => {
    const cases: [string, RegExp][] = [
      ['add Late Payer OOD 12,5,0 EUR', /not an amount/],
      ['add Late Payer OOD 100 XYZ', /not an ISO 4217/],
      ['add Late Payer OOD 100', /amount and currency/],
      ['add Late Payer OOD 100 EUR due:2026-02-30', /not a date/],
      ['add Late Payer OOD 100 EUR due:2026-12-01 net:30', /either `due:` or `net:`/],
      ['add Nobody At All 100 EUR', /couldn't find a client/],
      ['pay twelve 100', /Which invoice/],
      ['pay #999999 100', /no invoice #999999/],
      ['promise #1 tomorrow', /not a date/],
      ['refund #1', /don't know/],
      ['', /Usage/],
    ];
    for (const [text, expected] of cases) expect(await say('/invoice', text), text).toMatch(expected);
    await say('/client', 'add Amount Check Ltd');
    const i = idOf((await say('/invoice', 'add Amount Check Ltd 100 EUR net:30')).split('invoice *')[1]!);
    expect(await say('/invoice', `pay #${i} 1.234`)).toMatch(/EUR has 2 decimal places/);
    expect(await say('/invoice', `pay #${i} abc`)).toMatch(/not an amount/);
    expect(await say('/invoice', `pay #${i} 10 date:2099-01-01`)).toMatch(/after today/);
  });
});

describe('invoicing a client whose name ends in a number', () => {
  it('reads the amount and currency from the right, and settles an ambiguous split by the known client', async () => {
    day('2026-11-27');
    for (const name of ['Studio 54', 'Строй 2000 ООД', 'Агенция 21']) await say('/client', `add ${name}`);
    for (const [text, name, amount] of [
      ['add Studio 54 100 EUR net:30', 'Studio 54', '€100.00'],
      ['add Строй 2000 ООД 12 500,50 EUR', 'Строй 2000 ООД', '€12,500.50'],
      ['add Агенция 21 1 500 EUR', 'Агенция 21', '€1,500.00'],
      // `Studio 54 12 500,50` could be Studio 54 12 for 500,50 or Studio 54 for 12 500,50: only one of them is a client.
      ['add Studio 54 12 500,50 EUR', 'Studio 54', '€12,500.50'],
    ]) {
      const answer = await say('/invoice', text!);
      expect(answer, text).toContain(`*${name}*`);
      expect(answer, text).toContain(amount);
    }
    const id = idOf((await say('/client', 'Studio 54')).split('(')[1]!);
    const byId = await say('/invoice', `add #${id} 54 100 EUR`);
    expect(byId).toContain('€54,100.00');
  });

  it('names every reading it tried when none is a client, and asks when more than one is', async () => {
    const none = await say('/invoice', 'add Nobody 54 100 EUR');
    expect(none).toContain('*Nobody 54*');
    expect(none).toContain('*Nobody*');
    expect(none).toContain('100 EUR');
    expect(none).toContain('54 100 EUR');
    await say('/client', 'add Twin');
    await say('/client', 'add Twin 7');
    const both = await say('/invoice', 'add Twin 7 100 EUR');
    expect(both).toMatch(/\*Twin 7\* \(#\d+\)/);
    expect(both).toMatch(/\*Twin\* \(#\d+\)/);
    expect(both).toContain('#id');
    expect(await say('/invoice', 'list Twin')).toContain('no invoices');
    expect(await say('/invoice', 'list Twin 7')).toContain('no invoices');
  });
});

describe('delivery and the deal through to won', () => {
  it('signing creates the checklist; only the responsible service ticks; the invoice moves the deal to payment, payment to won', async () => {
    day('2026-11-27');
    await say('/client', 'add Full Cycle AD');
    const contractId = await signedContract(h, 'Full Cycle AD', 'amount:1000 EUR net:14 kind:goods subject:Pallets');
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.finance && readable(c.args).includes('Delivery checklist'));
    expect(readable(dm.args)).toContain('Invoice');

    const list = await cmd('/delivery', `#${contractId}`);
    const text = readable(list.body);
    for (const t of ['Dispatch and logistics', 'Delivery note', 'Acceptance by the buyer', 'Invoice']) expect(text).toContain(t);
    const done = list.body.blocks.filter((b: any) => b.accessory?.action_id === ACTION.taskDone);
    expect(done).toHaveLength(4);
    const invoiceTask = done.find((b: any) => b.text.text.includes('Invoice'))!.accessory.value;
    const dispatch = done.find((b: any) => b.text.text.includes('Dispatch'))!.accessory.value;

    const byLegal = await h.emu.blockAction({ action_id: ACTION.taskDone, value: dispatch, user_id: USERS.legal, channel_id: USERS.legal });
    expect(readable((await h.emu.waitForResponse((p) => p.id === byLegal.responseUrlId)).body)).toContain('Only sales can tick');
    const bySeller = await h.emu.blockAction({ action_id: ACTION.taskDone, value: dispatch, user_id: USERS.seller, channel_id: USERS.seller });
    const ticked = await h.emu.waitForResponse((p) => p.id === bySeller.responseUrlId);
    expect(readable(ticked.body)).toContain(`done by <@${USERS.seller}>`);
    expect(await say('/client', 'Full Cycle AD')).toContain('Open delivery tasks* (3)');

    const inv = await say('/invoice', `add Full Cycle AD 1000 EUR contract:#${contractId} margin:250 line:pallets`, USERS.finance);
    expect(inv).toContain('due 2026-12-11');
    expect(inv).toContain('moves to *payment*');
    expect(await say('/client', 'Full Cycle AD')).toContain('Stage: payment');
    expect(await say('/delivery', `#${contractId}`)).toMatch(/~Invoice~/);
    const again = await h.emu.blockAction({ action_id: ACTION.taskDone, value: invoiceTask, user_id: USERS.finance, channel_id: USERS.finance });
    expect(readable((await h.emu.waitForResponse((p) => p.id === again.responseUrlId)).body)).toContain('already ticked');

    const invoiceId = idOf(inv.split('invoice *')[1]!);
    expect(await say('/invoice', `pay #${invoiceId} 1000`)).toContain('The deal is *won*');
    expect(await say('/client', 'Full Cycle AD')).toContain('Stage: won');
  });
});

describe('a won deal is announced in the sales channel', () => {
  it('once, when the last invoice of its contract is paid in full: client, deal, value and owner', async () => {
    day('2026-11-27');
    await say('/client', 'add Winner Takes OOD owner:<@U0SELLER2|maria>');
    const contractId = await signedContract(h, 'Winner Takes OOD', 'amount:1000 EUR net:14 kind:services subject:Audit');
    const first = idOf((await say('/invoice', `add Winner Takes OOD 600 EUR contract:#${contractId}`, USERS.finance)).split('invoice *')[1]!);
    const second = idOf((await say('/invoice', `add Winner Takes OOD 400 EUR contract:#${contractId}`, USERS.finance)).split('invoice *')[1]!);
    const announced = () => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.sales && readable(c.args).includes('Winner Takes OOD') && /won/i.test(readable(c.args)));

    expect(await say('/invoice', `pay #${first} 600`, USERS.finance)).toContain('paid in full');
    await settle();
    expect(announced()).toHaveLength(0);
    expect(await say('/invoice', `pay #${second} 400`, USERS.finance)).toContain('The deal is *won*');
    await settle();
    const [post, ...more] = announced();
    expect(more).toHaveLength(0);
    const text = readable(post!.args);
    const dealId = /deal #(\d+)/.exec(await say('/client', 'history Winner Takes OOD'))![1];
    expect(text).toContain(`deal #${dealId}`);
    expect(text).toContain('€1,000.00');
    expect(text).toContain(`<@${USERS.seller2}>`);
    // A payment that changes nothing (the invoice is already paid) announces nothing again.
    expect(await say('/invoice', `pay #${second} 1`, USERS.finance)).toContain('already paid');
    await settle();
    expect(announced()).toHaveLength(1);
  });
});

describe('the dunning ladder, walked day by day', () => {
  it('reminds, calls, tells the manager, pauses on a promise, resumes when broken, and only then offers legal a claim', async () => {
    day('2026-11-27');
    await say('/client', 'add Ladder Walk EOOD');
    const inv = idOf((await say('/invoice', 'add Ladder Walk EOOD 900 BGN issued:2025-12-31 due:2026-11-27')).split('invoice *')[1]!);
    const dunningDms = () => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && readable(c.args).includes(`Invoice #${inv} `));
    const claims = () => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.legal && readable(c.args).includes('Ladder Walk EOOD') && readable(c.args).includes('Claim #'));
    const seen: string[] = [];
    let promised = false;
    for (let d = 28; d <= 30 + 31; d++) {
      const date = new Date(Date.UTC(2026, 10, d)).toISOString().slice(0, 10);
      day(date);
      await h.bot.scheduler.catchUp();
      await settle();
      const dms = dunningDms();
      if (dms.length > seen.length) {
        const m = dms[dms.length - 1]!;
        const t = readable(m.args);
        seen.push(`${date}:${t.includes('remind') ? 'remind' : t.includes('call') ? 'call' : t.includes('manager') ? 'manager' : '?'}:${m.args.channel}`);
        if (t.includes('call the client')) {
          // The owner logs the call; the client promises to pay within three days.
          const v = buttons(m.args).find((b) => b.action_id === ACTION.dunningPromised)!.value;
          await h.emu.blockAction({ action_id: ACTION.dunningPromised, value: v, user_id: USERS.seller, channel_id: USERS.seller });
          const open = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.promiseDate && c.args.view.private_metadata.includes(`"${inv}:`));
          const promiseDay = new Date(Date.UTC(2026, 10, d + 3)).toISOString().slice(0, 10);
          const r = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.promiseDate, private_metadata: open.args.view.private_metadata, state_values: { [BLOCK.promiseDate]: { [INPUT.value]: { type: 'datepicker', selected_date: promiseDay } } } });
          expect(r.status).toBe(200);
          promised = true;
        }
      }
      if (claims().length > 0) {
        seen.push(`${date}:claim`);
        break;
      }
    }
    expect(promised).toBe(true);
    // Order never skips a sales rung: remind (day 1), call (day 7), manager (day 14 or later), then the claim.
    expect(seen.map((s) => s.split(':')[1])).toEqual(['remind', 'call', 'manager', 'claim']);
    expect(seen[0]!.startsWith('2026-11-28')).toBe(true);
    expect(seen[1]!.startsWith('2026-12-04')).toBe(true);
    // No manager configured for the owner: the manager rung goes to the sales channel.
    expect(seen[2]!.endsWith(CHANNELS.sales)).toBe(true);
    // The promise (2026-12-07) was broken on the 8th, and the owner was told.
    const broken = h.emu.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === USERS.seller && readable(c.args).includes('The dunning ladder resumes'));
    expect(broken).toBeDefined();
    // Legal's claim comes at day 30 at the earliest, with the whole log.
    const claimDate = seen[3]!.split(':')[0]!;
    expect(claimDate >= '2026-12-27').toBe(true);
    const pack = readable(claims()[0]!.args);
    expect(pack).toContain('BGN');
    expect(pack).toContain('promise to pay');
    expect(pack).toContain('logged *promised*');
    // Statutory interest as of the claim's day: the default policy has no rate for the second half of 2026, so it is named, not guessed.
    expect(pack).toContain(`Statutory interest* as of ${claimDate}`);
    expect(pack).toContain('no statutory interest rate for the half-year from 2026-07-01');
    const open = buttons(claims()[0]!.args).find((b) => b.action_id === ACTION.claimOpen)!;
    const bySeller = await h.emu.blockAction({ action_id: ACTION.claimOpen, value: open.value, user_id: USERS.seller, channel_id: CHANNELS.legal });
    expect(readable((await h.emu.waitForResponse((p) => p.id === bySeller.responseUrlId)).body)).toContain('Only legal approvers');
    await h.emu.blockAction({ action_id: ACTION.claimOpen, value: open.value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    await h.emu.waitFor('chat.update', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes('Claim *opened*'));
    const hist = await say('/client', 'history Ladder Walk EOOD');
    expect(hist).toContain('offered claim');
    expect(hist).toContain('opened claim');
  }, 120_000);

  it('a digest run twice in one period posts once', async () => {
    day('2027-01-05');
    const before = h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.finance).length;
    await h.bot.scheduler.catchUp();
    await settle();
    const after1 = h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.finance).length;
    await h.bot.scheduler.catchUp();
    await settle();
    expect(h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.finance).length).toBe(after1);
    expect(after1).toBeGreaterThanOrEqual(before);
  });
});

describe('invoice numbers and issue dates (SPEC §5)', () => {
  it('number: takes the number from the books, unique, leading zeros kept; without it the counter numbers it', async () => {
    day('2026-11-27');
    await say('/client', 'add Books Keeper EOOD');
    const own = await say('/invoice', 'add Books Keeper EOOD 100 EUR number:0000001234');
    expect(own).toContain('(0000001234)');
    const first = idOf(own.split('invoice *')[1]!);
    const again = await say('/invoice', 'add Books Keeper EOOD 200 EUR number:0000001234');
    expect(again).toContain(`already used by invoice #${first}`);
    expect(again).toContain('Nothing recorded');
    expect(await say('/invoice', 'list Books Keeper EOOD')).not.toContain('€200.00');
    expect(await say('/invoice', 'add Books Keeper EOOD 200 EUR number:12-34')).toMatch(/not an invoice number: .*10 digits/);
    expect(await say('/invoice', 'add Books Keeper EOOD 200 EUR number:123456789')).toMatch(/10 digits/);
    expect(await say('/invoice', 'add Books Keeper EOOD 300 EUR')).toMatch(/\(INV-\d{6}\)/);
  });

  it('a new BGN invoice issued on or after the euro changeover is refused; one issued before it is still recorded (SPEC §5)', async () => {
    day('2026-11-27');
    await say('/client', 'add Lev Books OOD');
    const today = await say('/invoice', 'add Lev Books OOD 1000 BGN');
    expect(today).toContain('Bulgaria has used the euro since 01.01.2026');
    expect(today).toContain('issued 27.11.2026 cannot be in BGN; write the amount in EUR');
    expect(today).toContain('Nothing recorded');
    expect(await say('/invoice', 'add Lev Books OOD 1000 BGN issued:2026-01-01')).toContain('Bulgaria has used the euro since 01.01.2026');
    expect(await say('/invoice', 'list Lev Books OOD')).not.toMatch(/BGN/);
    const before = await say('/invoice', 'add Lev Books OOD 1000 BGN issued:31.12.2025 net:30');
    expect(before).toContain('issued 2025-12-31, due 2026-01-30');
    expect(before).toMatch(/BGN\s?1,000\.00/);
    expect(await say('/invoice', 'add Lev Books OOD 511.29 EUR')).toContain('€511.29');
  });

  it('issued: records an older invoice, due from issued + net days; never in the future', async () => {
    day('2026-11-27');
    await say('/client', 'add Old Books OOD');
    const old = await say('/invoice', 'add Old Books OOD 100 EUR issued:2026-01-10 net:5');
    expect(old).toContain('issued 2026-01-10, due 2026-01-15');
    // The policy's default terms (30 days) count from the issue date too; DD.MM.YYYY reads as SPEC §3 says.
    expect(await say('/invoice', 'add Old Books OOD 100 EUR issued:01.03.2026')).toContain('issued 2026-03-01, due 2026-03-31');
    expect(await say('/invoice', 'add Old Books OOD 100 EUR issued:2026-02-01 due:10.02.2026')).toContain('due 2026-02-10');
    expect(await say('/invoice', 'add Old Books OOD 100 EUR issued:2026-11-28')).toContain('issue date 2026-11-28 is after today (2026-11-27)');
    expect(await say('/invoice', 'add Old Books OOD 100 EUR issued:31.02.2026')).toMatch(/`issued:31.02.2026` is not a date/);
    expect(await say('/invoice', 'list overdue Old Books OOD')).toContain('due 2026-01-15');
    // Payment and promise dates read DD.MM.YYYY too (SPEC §3).
    const id = idOf(old.split('invoice *')[1]!);
    expect(await say('/invoice', `pay #${id} 10 date:20.11.2026`)).toContain('€90.00 is still owed');
    expect(await say('/invoice', `pay #${id} 10 date:28.11.2026`)).toContain('The payment date 2026-11-28 is after today');
    expect(await say('/invoice', `promise #${id} 15.12.2026`)).toContain('by 2026-12-15');
    expect(await say('/invoice', `promise #${id} 32.12.2026`)).toMatch(/not a date: write it as YYYY-MM-DD or DD.MM.YYYY/);
  });
});

describe('statutory interest (SPEC §5)', () => {
  const add = async (text: string) => idOf((await say('/invoice', text)).split('invoice *')[1]!);

  it('reproduces the SPEC examples through /invoice interest, a line per half-year, with the recovery compensation', async () => {
    day('2026-11-27');
    await say('/client', 'add Interest Due EOOD');
    const unpaid = await add('add Interest Due EOOD 10000 EUR issued:2026-01-01 due:2026-01-15');
    const one = await say('/invoice', `interest #${unpaid} date:2026-03-01`);
    expect(one).toContain('as of 2026-03-01');
    expect(one).toContain('2026-01-16 – 2026-03-01 · 45 days on €10,000.00 · 10.15 % a year · €126.88');
    expect(one).toContain('*Interest:* €126.88');
    expect(one).toContain('*Recovery compensation:* €40.00');
    expect(one).toContain('*Total beyond the principal:* €166.88');
    // DD.MM.YYYY reads the same.
    expect(await say('/invoice', `interest #${unpaid} date:01.03.2026`)).toContain('*Interest:* €126.88');

    const part = await add('add Interest Due EOOD 10000 EUR issued:2026-01-01 due:2026-01-15');
    expect(await say('/invoice', `pay #${part} 4000 date:2026-02-01`)).toContain('€6,000.00 is still owed');
    const two = await say('/invoice', `interest #${part} date:2026-03-01`);
    expect(two).toContain('45 days (16 days on €10,000.00, 29 days on €6,000.00) · 10.15 % a year · €94.17');
    expect(two).toContain('*Interest:* €94.17');

    const across = await add('add Interest Due EOOD 1000 EUR issued:2025-11-01 due:2025-12-01');
    const three = await say('/invoice', `interest #${across} date:2026-01-31`);
    expect(three).toContain('2025-12-02 – 2025-12-31 · 30 days on €1,000.00 · 11.91 % a year');
    expect(three).toContain('2026-01-01 – 2026-01-31 · 31 days on €1,000.00 · 10.15 % a year');
    expect(three).toContain('*Interest:* €18.67');
  });

  it('refuses an unknown invoice, a day before accrual starts and a half-year without a rate, in words', async () => {
    day('2026-11-27');
    await say('/client', 'add Interest Edge OOD');
    const id = await add('add Interest Edge OOD 500 EUR issued:2026-01-01 due:2026-01-15');
    expect(await say('/invoice', 'interest #999999')).toContain('no invoice #999999');
    expect(await say('/invoice', `interest #${id} date:2026-01-15`)).toContain('nothing accrues before the day after the due date');
    const noRate = await say('/invoice', `interest #${id}`);
    expect(noRate).toContain('no statutory interest rate for the half-year from 2026-07-01');
    expect(noRate).toContain('2026-07-01');
    expect(await say('/invoice', `interest #${id} date:2026-13-01`)).toMatch(/not a date[\s\S]*Usage/);
    expect(await say('/invoice', 'interest')).toMatch(/Which invoice[\s\S]*\/invoice interest <#id> \[date:<date>\]/);
    const paid = await add('add Interest Edge OOD 100 EUR issued:2026-01-01 due:2026-01-15');
    await say('/invoice', `pay #${paid} 100 date:2026-01-10`);
    expect(await say('/invoice', `interest #${paid} date:2026-03-01`)).toContain('paid in full on 2026-01-10, by its due date 2026-01-15');
  });
});

describe('a BGN invoice from before the euro, after the changeover (SPEC §5)', () => {
  it('keeps its BGN figures with the EUR equivalent, owes its balance in EUR, is paid in EUR to the cent, accrues interest on the EUR balance', async () => {
    day('2026-11-27');
    await say('/client', 'add Lev Payer OOD');
    const added = await say('/invoice', 'add Lev Payer OOD 1000 BGN issued:2025-12-15 due:2026-01-14');
    expect(added).toMatch(/BGN\s?1,000\.00 \(€511\.29\)/);
    const id = idOf(added.split('invoice *')[1]!);
    expect(await say('/invoice', 'list Lev Payer OOD')).toContain('owes €511.29');
    expect(await say('/client', 'Lev Payer OOD')).toContain('Overdue:* €511.29');

    // From the changeover the balance is owed in EUR: BGN is refused, more than is owed too.
    const inLev = await say('/invoice', `pay #${id} 100 BGN`);
    expect(inLev).toContain('Since 01.01.2026 invoice');
    expect(inLev).toContain('is owed in EUR');
    expect(inLev).toContain('Nothing recorded');
    expect(await say('/invoice', `pay #${id} 511.30 EUR`)).toContain('€511.29 is owed');
    expect(await say('/invoice', `pay #${id} 100 XYZ`)).toContain('`XYZ` is not an ISO 4217 currency code');

    const part = await say('/invoice', `pay #${id} 100 EUR ref:EUR-1`);
    expect(part).toMatch(/Recorded €100\.00 \(BGN\s?195\.5\d\)/);
    expect(part).toContain('€411.29 is still owed');
    expect(await say('/invoice', 'list overdue Lev Payer OOD')).toContain('owes €411.29');
    expect(await say('/client', 'Lev Payer OOD')).toContain('Overdue:* €411.29');

    // Interest from the day after the due date on the EUR balance: 46 days × 511.29 × 10.15 % / 360 = 6.63.
    const interest = await say('/invoice', `interest #${id} date:2026-03-01`);
    expect(interest).toContain('on €511.29');
    expect(interest).toContain('*Interest:* €6.63');
    expect(interest).toContain('*Total beyond the principal:* €46.63');

    // The rest, without a currency: EUR is what it is owed in. Paid in full, to the stotinka.
    expect(await say('/invoice', `pay #${id} 411.29`)).toContain('paid in full');
    const [inv] = await h.rows<{ amountMinor: number; paidMinor: number; paidDate: string | null }>(sql`SELECT amount_minor AS "amountMinor", paid_minor AS "paidMinor", paid_date AS "paidDate" FROM invoices WHERE id = ${id}`);
    expect(Number(inv!.paidMinor)).toBe(Number(inv!.amountMinor));
    expect(inv!.paidDate).toBe('2026-11-27');
    const pays = await h.rows<{ amountMinor: number; receivedMinor: number; receivedCurrency: string }>(sql`SELECT amount_minor AS "amountMinor", received_minor AS "receivedMinor", received_currency AS "receivedCurrency" FROM payments WHERE invoice_id = ${id} ORDER BY id`);
    expect(pays.map((p) => [Number(p.receivedMinor), p.receivedCurrency])).toEqual([
      [10_000, 'EUR'],
      [41_129, 'EUR'],
    ]);
    expect(pays.reduce((n, p) => n + Number(p.amountMinor), 0)).toBe(100_000);
    expect(await say('/invoice', `pay #${id} 0.01 EUR`)).toContain('already paid');
    expect(await say('/client', 'history Lev Payer OOD')).toContain('ref EUR-1');
  });
});
