/**
 * A Bulgarian company's whole journey over the wire, in a workspace whose language is `bg`
 * (DEALDESK_LOCALE=bg): a client, a contract approved by legal and finance, signed, delivered,
 * invoiced, overdue, walked down the dunning ladder and handed to legal as a claim. Nothing any
 * person reads (command answers, clicks' answers, channel posts and updates, DMs, modals, Home
 * tabs, chart uploads) may hold an English sentence of the catalog or a code as stored.
 *
 * And, in an English workspace, a person who chose Bulgarian reads their own answers in it while
 * the approval request they click stays in the channel's language.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../../src/slack/ids.ts';
import { blockKitProblems, buttons, CHANNELS, readable, startHarness, USERS, type Harness } from '../helpers/harness.ts';
import { englishIn, englishPhrases } from '../helpers/bulgarian.ts';

/** Every surface a person reads, as the emulator saw it. */
const READ_METHODS = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.update', 'views.push', 'views.publish', 'files.completeUploadExternal'];

function harnessHelpers(get: () => Harness) {
  const answers: { what: string; body: unknown }[] = [];
  const cmd = async (command: string, text: string, user_id: string = USERS.seller) => {
    const r = await get().emu.slashCommand({ command, text, user_id });
    answers.push({ what: `${command} ${text}`, body: r.body });
    return readable(r.body);
  };
  const click = async (action_id: string, value: string, user_id: string, channel_id: string) => {
    const r = await get().emu.blockAction({ action_id, value, user_id, channel_id });
    return r;
  };
  const day = (iso: string) => {
    get().clock.ms = Date.parse(`${iso}T08:00:00Z`);
  };
  const settle = async () => {
    const undelivered = async () => Number((await get().rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n);
    for (let i = 0; i < 100 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
  };
  /** `/dealdesk digest <job>` as the admin, until its "done" answer came (the job runs after the ack). */
  const digest = async (job: string) => {
    const before = get().emu.responseUrlPosts.length;
    await cmd('/dealdesk', `digest ${job}`, USERS.admin);
    await get().emu.waitForResponse((p) => get().emu.responseUrlPosts.indexOf(p) >= before, 20_000);
    await settle();
  };
  const posted = (channel: string, has: string) => get().emu.waitFor('chat.postMessage', (c) => c.args.channel === channel && readable(c.args).includes(has));
  return { answers, cmd, click, day, settle, posted, digest };
}

describe('the journey in Bulgarian, over the wire', () => {
  let h: Harness;
  const { answers, cmd, click, day, settle, posted, digest } = harnessHelpers(() => h);
  beforeAll(async () => {
    h = await startHarness({ DEALDESK_LOCALE: 'bg' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('client → contract approved by both → signed → delivered → invoiced → overdue → claim, with no English and no code anywhere', async () => {
    const NAME = 'Строй Елит ООД';
    day('2026-11-27');
    expect(await cmd('/client', `add ${NAME} eik:175074752 contact:Иван Петров +359 88 123 4567`)).toContain(NAME);
    expect(await cmd('/client', NAME)).toContain('Етап: потенциален');
    // A mistake gets its answer and usage in Bulgarian too.
    expect(await cmd('/client', `move ${NAME} нещо`)).toContain('не е етап');
    const notStatus = await cmd('/contract', 'list нещо');
    expect(notStatus).toContain('Употреба');
    expect(notStatus).toContain('Използвайте чакащи, одобрени, за промени, отхвърлени или подписани.');
    expect(notStatus).toContain('/contract list [чакащи|одобрени|за промени|отхвърлени|подписани]');
    expect(await cmd('/invoice', 'pay')).toContain('Коя фактура');
    expect(await cmd('/dealdesk', 'помощ')).toContain('/dealdesk language');

    const submitted = await cmd('/contract', `new ${NAME} amount:12 500,50 EUR net:30 kind:goods subject:Стоманени греди, 40 т`);
    expect(submitted).toContain('изпратен за одобрение');
    const id = Number(/#(\d+)/.exec(submitted)![1]);
    const legal = await posted(CHANNELS.legal, `#${id}`);
    const finance = await posted(CHANNELS.finance, `#${id}`);
    expect(buttons(legal.args).map((b) => b.text)).toEqual(['Одобри', 'Поискай промени', 'Отхвърли']);

    // A stranger's click is refused, in Bulgarian, to the stranger only.
    const byStranger = await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.seller2, CHANNELS.legal);
    expect(readable((await h.emu.waitForResponse((p) => p.id === byStranger.responseUrlId)).body)).not.toBe('');
    // Request changes opens the reason form; an empty reason is refused on its field.
    await click(ACTION.requestChanges, buttons(legal.args)[1]!.value, USERS.legal, CHANNELS.legal);
    const reasonForm = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.decisionReason);
    const empty = await h.emu.viewSubmission({ user_id: USERS.legal, callback_id: VIEW.decisionReason, private_metadata: reasonForm.args.view.private_metadata, state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: ' ' } } } });
    answers.push({ what: 'empty reason', body: empty.body });
    expect(JSON.stringify(empty.body)).toContain('Посочете какво трябва да се промени');

    await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.legal, CHANNELS.legal);
    await h.emu.waitFor('chat.update', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes('одобрен'));
    await click(ACTION.approve, buttons(finance.args)[0]!.value, USERS.finance, CHANNELS.finance);
    // Beyond the loyalty programme (a client without a segment pays in advance): finance confirms each exception.
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.confirmExceptions, 3000).catch(() => undefined);
    if (form) {
      const options = form.args.view.blocks.find((b: any) => b.block_id === BLOCK.confirmExceptions).element.options;
      const none = await h.emu.viewSubmission({ user_id: USERS.finance, callback_id: VIEW.confirmExceptions, private_metadata: form.args.view.private_metadata, state_values: { [BLOCK.confirmExceptions]: { [INPUT.value]: { type: 'checkboxes', selected_options: [] } } } });
      answers.push({ what: 'no exception ticked', body: none.body });
      const all = await h.emu.viewSubmission({ user_id: USERS.finance, callback_id: VIEW.confirmExceptions, private_metadata: form.args.view.private_metadata, state_values: { [BLOCK.confirmExceptions]: { [INPUT.value]: { type: 'checkboxes', selected_options: options } } } });
      answers.push({ what: 'every exception ticked', body: all.body });
    }
    await posted(USERS.seller, `#${id}`);
    expect(await cmd('/contract', `sign #${id}`)).toContain('подписан');

    // Delivery: the seller ticks their task from the checklist.
    const checklist = await cmd('/delivery', `#${id}`);
    expect(checklist).toContain('Експедиция и логистика');
    const list = answers[answers.length - 1]!.body as any;
    const task = list.blocks.find((b: any) => b.accessory?.action_id === ACTION.taskDone)!.accessory.value;
    const ticked = await click(ACTION.taskDone, task, USERS.seller, USERS.seller);
    await h.emu.waitForResponse((p) => p.id === ticked.responseUrlId);

    // Invoiced on signing day, net 14: due 11.12.2026.
    const invoice = await cmd('/invoice', `add ${NAME} 12 500,50 EUR contract:#${id} net:14`, USERS.finance);
    expect(invoice).toContain('11.12.2026');
    const inv = Number(/\*#(\d+)\*/.exec(invoice)![1]);

    // Five weeks later: overdue. The digest posts to finance and DMs the owner; the ladder walks a rung a day.
    day('2027-01-14');
    expect(await cmd('/invoice', 'list overdue')).toContain('Просрочени фактури');
    expect(await cmd('/invoice', `interest #${inv}`)).toContain('лихва');
    await digest('overdue');
    await posted(CHANNELS.finance, NAME);
    for (const date of ['2027-01-14', '2027-01-15', '2027-01-16']) {
      day(date);
      await digest('dunning');
      const step = h.emu.calls.filter((c) => c.method === 'chat.postMessage' && buttons(c.args).some((b) => b.action_id === ACTION.dunningContacted)).at(-1)!;
      const contacted = buttons(step.args).find((b) => b.action_id === ACTION.dunningContacted)!;
      const logged = await click(ACTION.dunningContacted, contacted.value, USERS.seller, step.args.channel);
      expect(readable((await h.emu.waitForResponse((p) => p.id === logged.responseUrlId)).body)).toContain('Записано');
    }
    // The promise form, opened from the last rung and closed unsent, reads in Bulgarian too.
    const last = h.emu.calls.filter((c) => c.method === 'chat.postMessage' && buttons(c.args).some((b) => b.action_id === ACTION.dunningPromised)).at(-1)!;
    await click(ACTION.dunningPromised, buttons(last.args).find((b) => b.action_id === ACTION.dunningPromised)!.value, USERS.seller, last.args.channel);
    await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.promiseDate);

    day('2027-01-17');
    await digest('dunning');
    const claim = await posted(CHANNELS.legal, 'Иск #');
    expect(buttons(claim.args).map((b) => b.text)).toEqual(['Заведи иск', 'Върни на търговската служба']);
    await click(ACTION.claimOpen, buttons(claim.args)[0]!.value, USERS.legal, CHANNELS.legal);
    await posted(USERS.seller, 'заведе иск');

    // Analytics: the seller's own answers and charts, and the digests in the sales channel.
    for (const [command, text] of [['/abc', ''], ['/abc', 'by:margin'], ['/funnel', 'period:quarter'], ['/abc', 'помощ'], ['/funnel', 'period:week']] as const) {
      const before = h.emu.responseUrlPosts.length;
      const ack = await cmd(command, text);
      if (ack.includes(':hourglass_flowing_sand:')) await h.emu.waitForResponse((p) => h.emu.responseUrlPosts.indexOf(p) >= before, 20_000);
    }
    for (const job of ['segments', 'abc', 'funnel']) await digest(job);
    expect(readable((await posted(CHANNELS.sales, 'ABC анализ')).args)).toContain('обем на продажбите');
    expect(readable((await posted(CHANNELS.sales, 'Фуния на продажбите')).args)).toContain('последните 90 дни');

    // Everyone's Home tab.
    for (const user of [USERS.seller, USERS.legal, USERS.finance]) {
      await h.emu.event({ type: 'app_home_opened', user, tab: 'home', channel: `D${user}` });
      await h.emu.waitFor('views.publish', (c) => c.args.user_id === user);
    }
    expect(await cmd('/client', `history ${NAME}`)).toContain('иск');

    // Now read everything anyone was shown.
    const phrases = englishPhrases();
    const seen = [
      ...answers.map((a) => [a.what, a.body] as const),
      ...h.emu.calls.filter((c) => READ_METHODS.includes(c.method)).map((c) => [`${c.method} ${c.args.channel ?? c.args.user_id ?? ''}`, c.method.startsWith('views.') ? c.args.view : c.args] as const),
      ...h.emu.responseUrlPosts.map((p) => ['response_url', p.body] as const),
    ];
    expect(seen.length).toBeGreaterThan(60);
    const english = seen.map(([what, body]) => [what, englishIn(body, phrases)] as const).filter(([, e]) => e.phrases.length + e.codes.length > 0);
    expect(english.map(([what, e]) => `${what}: ${[...e.phrases, ...e.codes].join(' | ')}`)).toEqual([]);
    for (const c of h.emu.calls.filter((x) => ['chat.postMessage', 'chat.update', 'views.open'].includes(x.method))) expect(blockKitProblems(c.args)).toEqual([]);
    // A whole journey with a dozen digests in the analytics process: longer than one command's test.
  }, 120_000);

  it('the lists, every help, /abc profile, the other digests, the card’s and Home tab’s buttons and their forms: no English, no code', async () => {
    const from = { calls: h.emu.calls.length, urls: h.emu.responseUrlPosts.length, answers: answers.length };
    const NAME = 'Строй Елит ООД';
    const OTHER = 'Бета Трейд ЕООД';
    await cmd('/client', `add ${OTHER} industry:логистика region:Пловдив size:small`);
    for (const [command, text] of [
      ['/contract', 'list'],
      ['/contract', 'list signed'],
      ['/contract', 'list pending'],
      ['/contract', '#1'],
      ['/client', 'list'],
      ['/client', 'list stage:плащане'],
      ['/client', 'list stage:lead sort:fit'],
      ['/client', OTHER],
      ['/invoice', 'list'],
      ['/invoice', `list ${NAME}`],
      ['/client', 'помощ'],
      ['/contract', 'help'],
      ['/invoice', 'помощ'],
      ['/delivery', 'помощ'],
      ['/funnel', 'помощ'],
      ['/dealdesk', 'language'],
      ['/client', `review ${OTHER} Доволни, искат по-бърза доставка`],
      ['/contract', `new ${OTHER}`],
    ] as const)
      await cmd(command, text);
    // The statuses in Bulgarian list what the English keywords do.
    expect(await cmd('/contract', 'list подписани')).toBe(await cmd('/contract', 'list signed'));
    expect(await cmd('/contract', 'list Чака одобрение')).toBe(await cmd('/contract', 'list pending'));
    // `/abc profile` answers when the analytics process is done.
    const before = h.emu.responseUrlPosts.length;
    expect(await cmd('/abc', 'profile')).toContain('сегмент A');
    expect(readable((await h.emu.waitForResponse((p) => h.emu.responseUrlPosts.indexOf(p) >= before, 20_000)).body)).toContain('Сегмент A спрямо останалите');
    for (const job of ['reviews', 'approvals', 'delivery']) await digest(job);

    // The card's buttons: the lost-deal form; the Home tab's: a new contract's form, and a refresh.
    const card = [...answers].reverse().find((a) => a.what === `/client ${OTHER}`)!.body as any;
    const lost = buttons(card).find((b) => b.action_id === ACTION.clientLost)!;
    await click(ACTION.clientLost, lost.value, USERS.seller, USERS.seller);
    await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.clientLost);
    await click(ACTION.homeNewContract, 'new', USERS.seller, `D${USERS.seller}`);
    await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && h.emu.calls.indexOf(c) >= from.calls);
    await click(ACTION.homeRefresh, 'refresh', USERS.seller, `D${USERS.seller}`);
    await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.seller && h.emu.calls.indexOf(c) >= from.calls);
    await settle();

    const phrases = englishPhrases();
    const seen = [
      ...answers.slice(from.answers).map((a) => [a.what, a.body] as const),
      ...h.emu.calls.slice(from.calls).filter((c) => READ_METHODS.includes(c.method)).map((c) => [`${c.method} ${c.args.channel ?? c.args.user_id ?? ''}`, c.method.startsWith('views.') ? c.args.view : c.args] as const),
      ...h.emu.responseUrlPosts.slice(from.urls).map((p) => ['response_url', p.body] as const),
    ];
    expect(seen.length).toBeGreaterThan(25);
    const english = seen.map(([what, body]) => [what, englishIn(body, phrases)] as const).filter(([, e]) => e.phrases.length + e.codes.length > 0);
    expect(english.map(([what, e]) => `${what}: ${[...e.phrases, ...e.codes].join(' | ')}`)).toEqual([]);
  }, 90_000);
});

describe('a person who chose Bulgarian, in an English workspace', () => {
  let h: Harness;
  const { cmd, click, posted } = harnessHelpers(() => h);
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reads their own answers, forms and Home tab in Bulgarian; the approval request they click stays in the channel’s English', async () => {
    expect(await cmd('/dealdesk', 'language', USERS.legal)).toContain("the workspace's language");
    expect(await cmd('/dealdesk', 'language bg', USERS.legal)).toContain('на български');
    expect(await cmd('/dealdesk', 'language', USERS.legal)).toContain('по ваш избор');
    expect(await cmd('/dealdesk', 'language fr', USERS.legal)).toContain('не е език');
    // Stored: the choice survives a restart.
    expect(await h.rows<{ locale: string }>(sql`SELECT locale FROM user_prefs WHERE user_id = ${USERS.legal}`)).toEqual([{ locale: 'bg' }]);

    await cmd('/client', 'add Mixed Tongues Ltd');
    const submitted = await cmd('/contract', 'new Mixed Tongues Ltd amount:1000 EUR net:30 kind:services subject:Audit');
    expect(submitted).toContain('submitted to legal and finance');
    const id = Number(/#(\d+)/.exec(submitted)![1]);
    const legal = await posted(CHANNELS.legal, `Contract #${id} `);
    await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.legal, CHANNELS.legal);
    const updated = await h.emu.waitFor('chat.update', (c) => c.args.channel === CHANNELS.legal && c.args.ts === legal.response.ts && readable(c.args).includes('approved by <@U0LEGAL>'));
    expect(readable(updated.args)).not.toMatch(/[а-я]{3,}/i);
    // A second click is refused to the clicker, in the clicker's language.
    const again = await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.legal, CHANNELS.legal);
    const refusal = readable((await h.emu.waitForResponse((p) => p.id === again.responseUrlId)).body);
    expect(refusal).toMatch(/[а-я]{3,}/i);
    expect(englishIn({ text: refusal }).phrases).toEqual([]);
    // The submitter, who chose nothing, hears of it in the workspace's English.
    expect(readable((await posted(USERS.seller, `#${id}`)).args)).toContain('approved your contract');

    await h.restart();
    expect(await cmd('/client', 'Mixed Tongues Ltd', USERS.legal)).toContain('Етап: договор');
    await h.emu.event({ type: 'app_home_opened', user: USERS.legal, tab: 'home', channel: 'D0LEGAL' });
    const home = await h.emu.waitFor('views.publish', (c) => c.args.user_id === USERS.legal);
    expect(englishIn(home.args.view)).toEqual({ phrases: [], codes: [] });
    expect(await cmd('/dealdesk', 'language en', USERS.legal)).toContain('English');
    expect(await cmd('/client', 'Mixed Tongues Ltd', USERS.legal)).toContain('Stage: contract');
  });
});
