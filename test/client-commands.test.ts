import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { blocksText, buttons, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const client = (text: string, user_id: string = USERS.seller) => h.emu.slashCommand({ command: '/client', text, user_id });

describe('/client over the wire', () => {
  it('adds a client with a Cyrillic name and shows its card with Stage and Segment', async () => {
    const r = await client('add Елит Строй ЕООД contact:Иван Петров +359 88 123 4567');
    expect(r.status).toBe(200);
    expect(r.body.response_type).toBe('ephemeral');
    const text = readable(r.body);
    expect(text).toMatch(/Added client \*#(\d+) Елит Строй ЕООД\*/);
    expect(text).toContain('Stage: lead');
    expect(text).toContain('Segment: –');
    expect(text).toContain(`Owner: <@${USERS.seller}>`);

    const card = await client('елит строй еоод');
    expect(readable(card.body)).toContain('Stage: lead');
    expect(readable(card.body)).toContain('Contact: Иван Петров +359 88 123 4567');
  });

  it('refuses a duplicate name regardless of case and spacing', async () => {
    await client('add Acme Ltd owner:<@U0SELLER2|maria>');
    const r = await client('add   ACME   ltd');
    expect(readable(r.body)).toMatch(/already a client called \*Acme Ltd\* \(#\d+\)/);
    const list = await client('list owner:<@U0SELLER2>');
    expect(blocksText(list.body).match(/Acme Ltd/g)).toHaveLength(1);
  });

  it('finds a client by #id and moves it through the manual stages', async () => {
    const added = await client('add Nordwind GmbH');
    const id = /#(\d+)/.exec(readable(added.body))![1];
    const moved = await client(`move #${id} qualified`);
    expect(readable(moved.body)).toContain('Stage: qualified');
    const byName = await client('move Nordwind GmbH proposal');
    expect(readable(byName.body)).toContain('Stage: proposal');
    expect(readable((await client(`#${id}`)).body)).toContain('Stage: proposal');
  });

  it("sets a deal's expected value and close date with a move, or alone at its stage; bad ones get the usage", async () => {
    await client('add Valued Deals OOD');
    const moved = readable((await client('move Valued Deals OOD qualified value:12,000.50 EUR close:2027-01-31')).body);
    expect(moved).toContain('Stage: qualified');
    expect(moved).toContain('(value €12,000.50, expected close 2027-01-31)');
    expect(moved).toMatch(/— qualified · €12,000\.50 · close 2027-01-31/);
    const set = readable((await client('move Valued Deals OOD qualified value:15000 BGN')).body);
    expect(set).toMatch(/set deal #\d+'s value BGN\s?15,000\.00/);
    expect(set).toContain('Stage: qualified');
    expect(set).toContain('close 2027-01-31');
    for (const [text, problem] of [
      ['value:lots', 'is not an amount with its currency'],
      ['value:100 XYZ', '`XYZ` is not an ISO 4217 currency code'],
      ['value:0 EUR', 'more than zero'],
      ['close:31.02.2027', 'is not a date'],
      ['value:1 EUR value:2 EUR', 'given twice'],
    ]) {
      const r = readable((await client(`move Valued Deals OOD proposal ${text}`)).body);
      expect(r).toContain(problem);
      expect(r).toContain('/client move <name | #id> <stage> [value:<amount> <CUR>] [close:<YYYY-MM-DD>]');
    }
    const card = readable((await client('Valued Deals OOD')).body);
    expect(card).toContain('Stage: qualified');
    const history = blocksText((await client('history Valued Deals OOD')).body);
    expect(history).toMatch(/from \*lead\* to \*qualified\* · €12,000\.50 · close 2027-01-31/);
    expect(history).toMatch(/set deal #\d+: BGN\s?15,000\.00/);
  });

  it('refuses to skip into delivery, payment or won by hand, and changes nothing', async () => {
    await client('add Skipper AD');
    for (const stage of ['delivery', 'payment', 'won']) {
      const r = await client(`move Skipper AD ${stage}`);
      expect(readable(r.body)).toContain(`can't be moved to *${stage}* by hand`);
    }
    expect(readable((await client('move Skipper AD contract')).body)).toContain('/contract new');
    expect(readable((await client('Skipper AD')).body)).toContain('Stage: lead');
  });

  it('marks lost only with a reason, keeps it, and lists it in history', async () => {
    await client('add Lost Cause OOD');
    const noReason = await client('lost Lost Cause OOD');
    expect(readable(noReason.body)).toContain('Say why it was lost');
    const r = await client('lost Lost Cause OOD went with a competitor on price');
    const text = readable(r.body);
    expect(text).toContain('Stage: lost');
    expect(text).toContain('went with a competitor on price');
    const hist = readable((await client('history lost cause ood')).body);
    expect(hist).toContain('added the client');
    expect(hist).toContain('marked deal');
    expect(hist).toContain('went with a competitor on price');
    // A lost client can be worked again: a move opens a new deal.
    const again = await client('move Lost Cause OOD qualified');
    expect(readable(again.body)).toContain('opened a new deal');
    expect(readable(again.body)).toContain('Stage: qualified');
  });

  it('lists with filters', async () => {
    await client('add Filter One');
    await client('add Filter Two');
    await client('move Filter Two qualified');
    const r = readable((await client('list stage:qualified')).body);
    expect(r).toContain('Filter Two');
    expect(r).not.toContain('Filter One');
    const mine = readable((await client('list owner:me', USERS.seller2)).body);
    expect(mine).toContain('Acme Ltd');
    expect(mine).not.toContain('Filter One');
    expect(readable((await client('list segment:A')).body)).toContain('No clients match segment:A');
  });

  it("labels each listed client with its own stage, the one its stage: filter matches", async () => {
    await client('add List Alpha');
    await client('add List Beta');
    await client('move List Beta qualified');
    const line = (text: string, name: string) => text.split('\n').find((l) => l.includes(`*${name}*`));
    const all = blocksText((await client('list')).body);
    expect(line(all, 'List Alpha')).toMatch(/ — lead · /);
    expect(line(all, 'List Beta')).toMatch(/ — qualified · /);
    const leads = blocksText((await client('list stage:lead')).body);
    expect(line(leads, 'List Alpha')).toMatch(/ — lead · /);
    expect(leads).not.toContain('List Beta');
    const qualified = blocksText((await client('list stage:qualified')).body);
    expect(line(qualified, 'List Beta')).toMatch(/ — qualified · /);
    expect(qualified).not.toContain('List Alpha');
  });

  it('answers bad input with what was wrong and the usage, never a crash', async () => {
    const cases: [string, RegExp][] = [
      ['', /Usage/],
      ['list stage:nowhere', /`nowhere` is not a stage/],
      ['list segment:Z', /not a segment/],
      ['list colour:red', /don't know the filter/],
      ['move Acme Ltd', /Which stage|not a stage/],
      ['move Acme Ltd flying', /`flying` is not a stage/],
      ['add', /needs a name/],
      [`add ${'Я'.repeat(5000)}`, /at most 4000|at most 100/],
      ['add <@U123|bob>', /can't contain/],
      ['add *bold* name', /can't contain/],
      ['add "Quoted Name Ltd"', /Added client \*#\d+ Quoted Name Ltd\*/],
      ['add Foo owner:bob', /not a Slack user/],
      ['Nobody Such', /couldn't find a client called \*Nobody Such\*/],
      ['#999999', /couldn't find a client called \*#999999\*/],
      ['history', /Which client/],
      ['add #12 Ltd', /can't start with `#`/],
      ['add &lt;script&gt;', /can't contain/],
    ];
    for (const [text, expected] of cases) {
      const started = Date.now();
      const r = await client(text);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(r.status, text).toBe(200);
      expect(readable(r.body), text).toMatch(expected);
      expect(r.body.response_type, text).toBe('ephemeral');
    }
  });

  it('`/client set` fixes the owner and contact, says what changed, keeps before and after in history', async () => {
    const added = readable((await client('add Fix Me Ltd contact:wrong@fixme.bg')).body);
    const id = /Added client \*#(\d+)/.exec(added)![1]!;
    const set = readable((await client('set Fix Me Ltd owner:<@U0SELLER2|maria> contact:Maria Ivanova +359 2 123 4567')).body);
    expect(set).toContain(`#${id} Fix Me Ltd`);
    expect(set).toContain(`owner <@${USERS.seller}> → <@${USERS.seller2}>`);
    expect(set).toContain('contact wrong@fixme.bg → Maria Ivanova +359 2 123 4567');
    expect(set).toContain(`Owner: <@${USERS.seller2}>`);
    expect(set).toContain('Contact: Maria Ivanova +359 2 123 4567');
    // The open deal follows the client to its new owner (the funnel counts deals by owner).
    expect(set).toMatch(/deal #\d+ moves to <@U0SELLER2> too/);
    expect(readable((await client('list owner:<@U0SELLER2>')).body)).toContain('Fix Me Ltd');

    const byId = readable((await client(`set #${id} owner:me`)).body);
    expect(byId).toContain(`owner <@${USERS.seller2}> → <@${USERS.seller}>`);
    expect(byId).not.toContain('contact ');

    const same = readable((await client(`set #${id} owner:<@${USERS.seller}> contact:Maria Ivanova +359 2 123 4567`)).body);
    expect(same).toContain('Nothing to change');
    expect(same).toContain(`#${id}`);

    const history = blocksText((await client(`history #${id}`)).body);
    expect(history).toContain(`changed owner from <@${USERS.seller}> to <@${USERS.seller2}>, contact from wrong@fixme.bg to Maria Ivanova +359 2 123 4567`);
    expect(history).toContain(`changed owner from <@${USERS.seller2}> to <@${USERS.seller}>`);
    expect(history).toMatch(/gave deal #\d+ to <@U0SELLER2>/);

    const usage = '/client set <name | #id> [owner:@user] [contact:<text>] [eik:<ЕИК>] [vat:<BG…>]';
    for (const [text, problem] of [
      ['set Fix Me Ltd', 'Say what to change'],
      ['set Fix Me Ltd eik:123456789', '`eik:123456789` is not a valid ЕИК'],
      ['set owner:me', 'Which client'],
      ['set Fix Me Ltd owner:bob', 'not a Slack user'],
      ['set Fix Me Ltd contact:', '`contact:` is empty'],
      ['set Fix Me Ltd owner:me owner:me', 'given twice'],
    ]) {
      const r = readable((await client(text!)).body);
      expect(r, text).toContain(problem!);
      expect(r, text).toContain(usage);
    }
    expect(readable((await client('set Nobody Such owner:me')).body)).toContain("couldn't find a client called *Nobody Such*");
  });

  it('keeps a client’s ЕИК and VAT number: on add and set, on the card, and `/client eik:` opens it (SPEC §5)', async () => {
    const added = readable((await client('add Тракия Трейд ООД eik:175 074 752 vat:bg175074752')).body);
    const id = /Added client \*#(\d+)/.exec(added)![1]!;
    expect(added).toContain('ЕИК: 175074752');
    expect(added).toContain('VAT: BG175074752');
    const card = readable((await client('eik:175074752')).body);
    expect(card).toContain(`Тракия Трейд ООД (#${id})`);
    expect(card).toContain('ЕИК: 175074752');
    expect(card).toContain('VAT: BG175074752');
    expect(readable((await client('show eik:175074752')).body)).toContain(`Тракия Трейд ООД (#${id})`);
    // A client without them has no such lines.
    await client('add No Identity Ltd');
    const plain = readable((await client('No Identity Ltd')).body);
    expect(plain).not.toContain('ЕИК:');
    expect(plain).not.toContain('VAT:');

    const set = readable((await client('set No Identity Ltd eik:831641791 vat:BG7501020018')).body);
    expect(set).toContain('ЕИК – → 831641791');
    expect(set).toContain('VAT – → BG7501020018');
    expect(readable((await client('eik:831641791')).body)).toContain('No Identity Ltd');
    expect(blocksText((await client('history No Identity Ltd')).body)).toContain('changed ЕИК from – to 831641791, VAT from – to BG7501020018');
    expect(readable((await client('eik:121858220')).body)).toContain("couldn't find a client called *eik:121858220*");
  });

  it('an ЕИК belongs to one client: adding or setting one already used names the other client, and changes nothing', async () => {
    const first = readable((await client('add First Holder AD eik:121858220')).body);
    const id = /Added client \*#(\d+)/.exec(first)![1]!;
    const dup = readable((await client('add Second Holder AD eik:121858220')).body);
    expect(dup).toContain(`ЕИК 121858220 already belongs to *First Holder AD* (#${id})`);
    expect(readable((await client('Second Holder AD')).body)).toContain("couldn't find a client called *Second Holder AD*");

    await client('add Second Holder AD');
    const set = readable((await client('set Second Holder AD eik:121858220 contact:someone')).body);
    expect(set).toContain(`ЕИК 121858220 already belongs to *First Holder AD* (#${id})`);
    expect(set).toContain('Nothing changed');
    const second = readable((await client('Second Holder AD')).body);
    expect(second).not.toContain('ЕИК:');
    expect(second).not.toContain('Contact:');
    // Setting a client's own ЕИК again is no clash, just nothing to change.
    expect(readable((await client(`set #${id} eik:121858220`)).body)).toContain('Nothing to change');
    expect(readable((await client('eik:121858220')).body)).toContain('First Holder AD');
  });

  it('refuses an ЕИК or VAT number whose checksum fails, naming the field, with the usage', async () => {
    const addUsage = '/client add <name> [owner:@user] [contact:<text>] [eik:<ЕИК>] [vat:<BG…>]';
    for (const [text, problem, usage] of [
      ['add Bad Check Ltd eik:123456788', '`eik:123456788` is not a valid ЕИК: its check digit does not match (9 or 13 digits).', addUsage],
      ['add Bad Check Ltd eik:12345', '`eik:12345` is not a valid ЕИК: it has 5 digits; an ЕИК has 9 or 13.', addUsage],
      ['add Bad Check Ltd eik:12345678x', '`eik:12345678x` is not a valid ЕИК: an ЕИК is digits only', addUsage],
      ['add Bad Check Ltd vat:BG123456789', '`vat:BG123456789` is not a valid VAT number: its check digit does not match', addUsage],
      ['add Bad Check Ltd vat:175074752', '`vat:175074752` is not a valid VAT number: a Bulgarian VAT number starts with `BG`', addUsage],
      ['set Fix Me Ltd vat:BG12', '`vat:BG12` is not a valid VAT number: it has 2 digits after `BG`', '/client set <name | #id>'],
      ['eik:123456788', '`eik:123456788` is not a valid ЕИК: its check digit does not match', '/client <name | #id | eik:<ЕИК>>'],
    ]) {
      const r = readable((await client(text!)).body);
      expect(r, text).toContain(problem!);
      expect(r, text).toContain(usage!);
    }
    expect(readable((await client('Bad Check Ltd')).body)).toContain("couldn't find a client called *Bad Check Ltd*");
  });

  it('history shows the latest changes when there are more than fit, so a fix to a busy client is seen', async () => {
    await client('add Busy Bee OOD');
    for (let i = 1; i <= 40; i++) await h.emu.slashCommand({ command: '/invoice', text: `add Busy Bee OOD ${i} EUR`, user_id: USERS.seller });
    await client('set Busy Bee OOD contact:Queen Bee');
    const history = blocksText((await client('history Busy Bee OOD')).body);
    expect(history).toContain('changed contact from – to Queen Bee');
    expect(history).toContain('the latest 40 of 43 changes are shown');
    expect(history).not.toContain('added the client');
  });

  it('shows help', async () => {
    const r = readable((await client('help')).body);
    for (const sub of ['/client add', '/client set', '/client list', '/client move', '/client lost', '/client history']) expect(r).toContain(sub);
  });
});

describe('client card buttons', () => {
  it('advances the stage from the card and refuses a stale click', async () => {
    const added = await client('add Button Co');
    const adv = buttons(added.body).find((b) => b.action_id === ACTION.clientMove)!;
    expect(adv.text).toBe('Advance to qualified');
    const click = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientMove, value: adv.value });
    expect(click.status).toBe(200);
    const updated = await h.emu.waitForResponse((p) => p.id === click.responseUrlId);
    expect(updated.body.replace_original).toBe(true);
    expect(readable(updated.body)).toContain('Stage: qualified');
    // The same click again (an old card, or a double click) changes nothing and says so.
    const again = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientMove, value: adv.value });
    const stale = await h.emu.waitForResponse((p) => p.id === again.responseUrlId);
    expect(readable(stale.body)).toContain('Nothing changed');
    expect(readable((await client('Button Co')).body)).toContain('Stage: qualified');
    expect(blocksText((await client('history Button Co')).body).match(/moved deal/g)).toHaveLength(1);
  });

  it('marks lost through the reason modal and shows history', async () => {
    const added = await client('add Modal Lost Ltd');
    const lost = buttons(added.body).find((b) => b.action_id === ACTION.clientLost)!;
    const click = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientLost, value: lost.value });
    const open = await h.emu.waitFor('views.open');
    expect(open.args.view.callback_id).toBe(VIEW.clientLost);

    const empty = await h.emu.viewSubmission({
      user_id: USERS.seller,
      callback_id: VIEW.clientLost,
      private_metadata: open.args.view.private_metadata,
      state_values: { [BLOCK.lostReason]: { [INPUT.lostReason]: { type: 'plain_text_input', value: '  ' } } },
    });
    expect(empty.body.response_action).toBe('errors');
    expect(empty.body.errors[BLOCK.lostReason]).toContain('Say why');

    const ok = await h.emu.viewSubmission({
      user_id: USERS.seller,
      callback_id: VIEW.clientLost,
      private_metadata: open.args.view.private_metadata,
      state_values: { [BLOCK.lostReason]: { [INPUT.lostReason]: { type: 'plain_text_input', value: 'budget frozen' } } },
    });
    expect(ok.status).toBe(200);
    const card = await h.emu.waitForResponse((p) => p.id === click.responseUrlId);
    expect(readable(card.body)).toContain('Stage: lost');
    expect(readable(card.body)).toContain('budget frozen');

    const histBtn = buttons(added.body).find((b) => b.action_id === ACTION.clientHistory)!;
    const hclick = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientHistory, value: histBtn.value });
    const hist = await h.emu.waitForResponse((p) => p.id === hclick.responseUrlId);
    expect(readable(hist.body)).toContain('budget frozen');
  });

  it('a forged button value changes nothing', async () => {
    const click = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientMove, value: '1:1:lead:won' });
    const r = await h.emu.waitForResponse((p) => p.id === click.responseUrlId);
    expect(readable(r.body)).toMatch(/Nothing changed|can't be moved/);
  });
});
