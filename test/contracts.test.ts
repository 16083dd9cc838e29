import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { blockKitProblems, buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  // Every message, update and modal the bot sent stays within Block Kit's limits.
  for (const c of h.emu.calls.filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open'].includes(c.method))) {
    expect(blockKitProblems(c.args), `${c.method} ${JSON.stringify(c.args).slice(0, 200)}`).toEqual([]);
  }
});
afterAll(async () => {
  await h?.close();
});

const cmd = (command: string, text: string, user_id: string = USERS.seller) => h.emu.slashCommand({ command, text, user_id });

/** Submit a complete contract at once and return its id and the two channel messages. */
async function submit(client: string, extra = '') {
  await cmd('/client', `add ${client}`);
  const r = await cmd('/contract', `new ${client} amount:12,500.50 EUR net:30 kind:goods subject:Steel beams, 40 t ${extra}`);
  const id = Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]);
  expect(id, readable(r.body)).toBeGreaterThan(0);
  const legal = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
  const finance = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
  return { id, legal, finance, reply: r };
}

/** The latest content of a channel message: its post, or the last chat.update of it. */
function latest(channel: string, ts: string): any {
  const updates = h.emu.calls.filter((c) => c.method === 'chat.update' && c.args.channel === channel && c.args.ts === ts && !c.failed);
  if (updates.length > 0) return updates[updates.length - 1]!.args;
  return h.emu.calls.find((c) => c.method === 'chat.postMessage' && c.response?.ts === ts)?.args;
}

async function click(action_id: string, value: string, user_id: string, channel_id: string) {
  return h.emu.blockAction({ action_id, value, user_id, channel_id });
}

const threadReplies = (channel: string, ts: string) => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts === ts);

describe('contract approval over the wire', () => {
  it('routes a complete contract to legal and finance with the three buttons; the deal moves to contract', async () => {
    const { id, legal, finance, reply } = await submit('Routed Ltd');
    expect(readable(reply.body)).toContain('submitted to legal and finance');
    for (const m of [legal, finance]) {
      const text = readable(m.args);
      expect(text).toContain('Routed Ltd');
      expect(text).toContain('Steel beams, 40 t');
      expect(text).toContain('€12,500.50');
      expect(text).toContain('net 30 days');
      expect(text).toContain(`<@${USERS.seller}>`);
      expect(buttons(m.args).map((b) => b.text)).toEqual(['Approve', 'Request changes', 'Reject']);
    }
    expect(readable((await cmd('/client', 'Routed Ltd')).body)).toContain('Stage: contract');
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('waiting for approval');
  });

  it('refuses a non-approver, and the submitter approving their own; nothing changes', async () => {
    const { id, legal } = await submit('Guarded Ltd');
    const approve = buttons(legal.args).find((b) => b.action_id === ACTION.approve)!;
    const byStranger = await click(ACTION.approve, approve.value, USERS.seller2, CHANNELS.legal);
    const refusal = await h.emu.waitForResponse((p) => p.id === byStranger.responseUrlId);
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(readable(refusal.body)).toContain('Only legal approvers can decide this');
    const byFinance = await click(ACTION.approve, approve.value, USERS.finance, CHANNELS.legal);
    expect(readable((await h.emu.waitForResponse((p) => p.id === byFinance.responseUrlId)).body)).toContain('Only legal approvers');
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('Legal: :hourglass_flowing_sand: waiting');
  });

  it('legal alone leaves it pending; legal and finance approve it; the submitter hears each decision; it can be signed', async () => {
    const { id, legal, finance } = await submit('Approved Ltd');
    const legalTs = legal.response.ts;
    await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.legal, CHANNELS.legal);
    await h.emu.waitFor('chat.update', (c) => c.args.ts === legalTs && readable(c.args).includes('approved by <@U0LEGAL>'));
    expect(buttons(latest(CHANNELS.legal, legalTs))).toEqual([]);
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('waiting for approval');
    expect(readable((await cmd('/contract', `sign #${id}`)).body)).toContain('waiting for finance');
    const dm1 = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`contract #${id}`));
    expect(readable(dm1.args)).toContain('(legal) approved your contract');

    await click(ACTION.approve, buttons(finance.args)[0]!.value, USERS.finance, CHANNELS.finance);
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === finance.response.ts && readable(c.args).includes('is *approved*'));
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === legalTs && readable(c.args).includes('is *approved*'));
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('approved by legal and finance');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('(finance) approved your contract'));

    const signed = await cmd('/contract', `sign #${id}`);
    expect(readable(signed.body)).toContain('is signed');
    expect(readable((await cmd('/client', 'Approved Ltd')).body)).toContain('Stage: delivery');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === legalTs && readable(c.args).includes('signed contract'));
    const hist = readable((await cmd('/client', 'history Approved Ltd')).body);
    expect(hist).toContain(`approved contract #${id} v1 for legal`);
    expect(hist).toContain(`approved contract #${id} v1 for finance`);
    expect(hist).toContain(`signed contract #${id}`);
  });

  it('a rejection with a reason reaches the thread, the submitter and the card', async () => {
    const { id, finance } = await submit('Rejected Ltd');
    const reject = buttons(finance.args).find((b) => b.action_id === ACTION.reject)!;
    await click(ACTION.reject, reject.value, USERS.finance, CHANNELS.finance);
    const open = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.decisionReason && c.args.view.private_metadata.includes(`"contractId":${id}`));
    const empty = await h.emu.viewSubmission({
      user_id: USERS.finance,
      callback_id: VIEW.decisionReason,
      private_metadata: open.args.view.private_metadata,
      state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: '' } } },
    });
    expect(empty.body.response_action).toBe('errors');
    const ok = await h.emu.viewSubmission({
      user_id: USERS.finance,
      callback_id: VIEW.decisionReason,
      private_metadata: open.args.view.private_metadata,
      state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: 'Credit limit exceeded' } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === finance.response.ts && readable(c.args).includes('Credit limit exceeded'));
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('rejected your contract'));
    expect(readable(dm.args)).toContain('Credit limit exceeded');
    const card = readable((await cmd('/client', 'Rejected Ltd')).body);
    expect(card).toContain('rejected');
    expect(card).toContain('Credit limit exceeded');
  });

  it('a change request, an edit and a resubmission give version 2 with both approvals reset, in the same threads', async () => {
    const { id, legal, finance } = await submit('Versioned Ltd');
    await click(ACTION.approve, buttons(finance.args)[0]!.value, USERS.finance, CHANNELS.finance);
    await h.emu.waitFor('chat.update', (c) => c.args.ts === finance.response.ts && readable(c.args).includes('approved by <@U0FINANCE>'));
    await click(ACTION.requestChanges, buttons(legal.args)[1]!.value, USERS.legal, CHANNELS.legal);
    const open = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.decisionReason && c.args.view.private_metadata.includes(`"contractId":${id}`));
    await h.emu.viewSubmission({
      user_id: USERS.legal,
      callback_id: VIEW.decisionReason,
      private_metadata: open.args.view.private_metadata,
      state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: 'Add a penalty clause' } } },
    });
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes('requested changes to your contract'));
    const edit = buttons(dm.args).find((b) => b.action_id === ACTION.contractEdit)!;
    expect(edit).toBeDefined();

    // The Edit button and /contract edit both open the form prefilled with version 1.
    await h.emu.blockAction({ action_id: ACTION.contractEdit, value: edit.value, user_id: USERS.seller, channel_id: USERS.seller });
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && c.args.view.private_metadata.includes(`"contractId":${id}`));
    const block = (id: string) => form.args.view.blocks.find((b: any) => b.block_id === id);
    expect(block(BLOCK.contract.amount).element.initial_value).toBe('12500.50');
    expect(block(BLOCK.contract.kind).element.initial_option.value).toBe('goods');

    const values: Record<string, any> = {};
    for (const b of form.args.view.blocks.filter((b: any) => b.type === 'input')) {
      values[b.block_id] = { [INPUT.value]: b.element.type === 'static_select' ? { selected_option: b.element.initial_option } : { value: b.element.initial_value ?? null } };
    }
    values[BLOCK.contract.special] = { [INPUT.value]: { value: 'Penalty 0.1% per day of delay' } };
    values[BLOCK.contract.amount] = { [INPUT.value]: { value: 'abc' } };
    const bad = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(bad.body.response_action).toBe('errors');
    expect(Object.keys(bad.body.errors)).toEqual([BLOCK.contract.amount]);
    values[BLOCK.contract.amount] = { [INPUT.value]: { value: '12500.50' } };
    const good = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(good.body.response_action).toBe('update');

    const reply = await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === legal.response.ts && readable(c.args).includes('version 2'));
    expect(readable(reply.args)).toContain('Penalty 0.1% per day of delay');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === finance.response.ts && readable(c.args).includes('version 2'));
    const root = await h.emu.waitFor('chat.update', (c) => c.args.ts === finance.response.ts && readable(c.args).includes('v2'));
    expect(buttons(root.args).map((b) => b.text)).toEqual(['Approve', 'Request changes', 'Reject']);
    const detail = readable((await cmd('/contract', `#${id}`)).body);
    expect(detail).toContain('Versions* (2)');
    expect(detail).toContain('waiting for approval');

    // A click on version 1's button (an old copy of the message) changes nothing.
    const old = await click(ACTION.approve, buttons(finance.args)[0]!.value, USERS.finance, CHANNELS.finance);
    expect(readable((await h.emu.waitForResponse((p) => p.id === old.responseUrlId)).body)).toContain('version 2 replaced it');
  });

  it('20 concurrent Approve clicks record exactly one decision', async () => {
    const { id, legal } = await submit('Concurrent Ltd');
    const value = buttons(legal.args)[0]!.value;
    const clicks = await Promise.all(Array.from({ length: 20 }, () => click(ACTION.approve, value, USERS.legal, CHANNELS.legal)));
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    const refusals = await Promise.all(clicks.map((c) => h.emu.waitForResponse((p) => p.id === c.responseUrlId, 1500).catch(() => undefined)));
    expect(refusals.filter((r) => r && readable(r.body).includes('already approved'))).toHaveLength(19);
    const hist = readable({ blocks: (await cmd('/client', 'history Concurrent Ltd')).body.blocks });
    expect(hist.match(new RegExp(`approved contract #${id} v1 for legal`, 'g'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(threadReplies(CHANNELS.legal, legal.response.ts).filter((c) => readable(c.args).includes('approved version 1'))).toHaveLength(1);
  });

  it('a new BGN contract dated on or after the euro changeover is refused, by command and in the modal (SPEC §5)', async () => {
    await cmd('/client', 'add Lev Contracts OOD');
    const r = readable((await cmd('/contract', 'new Lev Contracts OOD amount:5000 BGN net:30 kind:goods subject:Steel beams')).body);
    expect(r).toContain('Bulgaria has used the euro since 01.01.2026');
    expect(r).toContain('a new contract dated 27.11.2026 cannot be in BGN; write the amount in EUR');
    expect(readable((await cmd('/contract', 'list pending')).body)).not.toContain('Lev Contracts OOD');

    // The modal, opened with the subject missing, then filled in: the refusal sits on the currency field.
    await cmd('/contract', 'new Lev Contracts OOD amount:5000 BGN net:30 kind:goods');
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && JSON.stringify(c.args.view).includes('Lev Contracts OOD'));
    const values: Record<string, any> = {};
    for (const b of form.args.view.blocks.filter((b: any) => b.type === 'input')) {
      values[b.block_id] = { [INPUT.value]: b.element.type === 'static_select' ? { selected_option: b.element.initial_option } : { value: b.element.initial_value ?? null } };
    }
    values[BLOCK.contract.subject] = { [INPUT.value]: { value: 'Steel beams' } };
    const bad = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(bad.body.response_action).toBe('errors');
    expect(Object.keys(bad.body.errors)).toEqual([BLOCK.contract.currency]);
    expect(bad.body.errors[BLOCK.contract.currency]).toContain('Bulgaria has used the euro since 01.01.2026');
    values[BLOCK.contract.currency] = { [INPUT.value]: { value: 'EUR' } };
    values[BLOCK.contract.amount] = { [INPUT.value]: { value: '2556.46' } };
    const good = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(good.body.response_action).toBe('update');
  });

  it('opens a prefilled modal when fields are missing, and answers bad input with usage', async () => {
    await cmd('/client', 'add Modal Co');
    const r = await cmd('/contract', 'new Modal Co amount:5000 USD');
    expect(r.status).toBe(200);
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && JSON.stringify(c.args.view).includes('Modal Co'));
    const block = (id: string) => form.args.view.blocks.find((b: any) => b.block_id === id);
    expect(block(BLOCK.contract.amount).element.initial_value).toBe('5000.00');
    expect(block(BLOCK.contract.currency).element.initial_value).toBe('USD');
    expect(block(BLOCK.contract.subject).element.initial_value).toBeUndefined();

    const cases: [string, RegExp][] = [
      ['', /Usage/],
      ['new Nobody Ltd amount:1 EUR net:1 kind:goods subject:x', /couldn't find a client/],
      ['new Modal Co amount:12 net:30', /needs a currency/],
      ['new Modal Co amount:12 XYZ', /not an ISO 4217/],
      ['new Modal Co amount:1.234 EUR', /EUR has 2 decimal places/],
      ['new Modal Co net:400', /0 to 365/],
      ['new Modal Co discount:150', /percentage from 0 to 100/],
      ['new Modal Co kind:software', /goods.*services/],
      ['sign twelve', /not a contract number/],
      ['#999999', /no contract #999999/],
      ['list weird', /not a contract status/],
      ['frobnicate', /don't know/],
    ];
    for (const [text, expected] of cases) {
      const res = await cmd('/contract', text);
      expect(res.status, text).toBe(200);
      expect(readable(res.body), text).toMatch(expected);
    }
  });
});

/** Reject (or request changes) through the button and the reason modal. */
async function decideWithReason(root: any, action: string, user_id: string, channel_id: string, id: number, reason: string) {
  const b = buttons(root.args).find((x) => x.action_id === action)!;
  await click(action, b.value, user_id, channel_id);
  const open = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.decisionReason && c.args.view.private_metadata.includes(`"contractId":${id}`) && c.args.view.private_metadata.includes(`"fn":"${channel_id === CHANNELS.legal ? 'legal' : 'finance'}"`));
  const r = await h.emu.viewSubmission({
    user_id,
    callback_id: VIEW.decisionReason,
    private_metadata: open.args.view.private_metadata,
    state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: reason } } },
  });
  expect(r.body).toBe('');
}

/** The values a person would submit from a form: what it was prefilled with, then `changes`. */
function formValues(view: any, changes: Record<string, string> = {}): Record<string, any> {
  const values: Record<string, any> = {};
  for (const b of view.blocks.filter((b: any) => b.type === 'input')) {
    values[b.block_id] = { [INPUT.value]: b.element.type === 'static_select' ? { selected_option: b.element.initial_option ?? null } : { value: b.element.initial_value ?? null } };
  }
  for (const [block, value] of Object.entries(changes)) {
    values[block] = { [INPUT.value]: block === BLOCK.contract.kind ? { selected_option: { value } } : { value } };
  }
  return values;
}

describe('after a decision: the deal, the card and the next step (issue 11)', () => {
  it('a rejection sends the deal back to proposal, in its history; the decided contract waits for no one; a new contract follows', async () => {
    const { id, legal, finance } = await submit('Bounced Ltd');
    await decideWithReason(legal, ACTION.reject, USERS.legal, CHANNELS.legal, id, 'Wrong legal entity');
    await h.emu.waitFor('chat.update', (c) => c.args.ts === finance.response.ts && readable(c.args).includes('rejected by <@U0LEGAL>'));

    const card = readable((await cmd('/client', 'Bounced Ltd')).body);
    expect(card).toContain('Stage: proposal');
    expect(card).not.toMatch(/Finance: :hourglass_flowing_sand: waiting/);
    expect(card).toContain('Finance: not needed (rejected by legal)');
    const detail = readable((await cmd('/contract', `#${id}`)).body);
    expect(detail).not.toContain('waiting (due');
    // The finance channel's message of the rejected contract no longer shows finance as due.
    expect(readable(latest(CHANNELS.finance, finance.response.ts))).not.toContain('waiting (due');

    const hist = readable((await cmd('/client', 'history Bounced Ltd')).body);
    expect(hist).toMatch(new RegExp(`<@${USERS.legal}> moved deal #\\d+ from \\*contract\\* to \\*proposal\\*`));
    expect(readable((await cmd('/client', 'move Bounced Ltd proposal')).body)).toContain('already at *proposal*');
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`contract #${id} `) && readable(c.args).includes('rejected your contract'));
    expect(buttons(dm.args).map((b) => b.action_id)).toEqual([ACTION.clientNewContract]);

    const again = await cmd('/contract', 'new Bounced Ltd amount:9000 EUR net:30 kind:goods subject:Steel beams, the right entity');
    const next = Number(/Contract \*#(\d+)\*/.exec(readable(again.body))?.[1]);
    expect(next, readable(again.body)).toBeGreaterThan(id);
    expect(readable((await cmd('/client', 'Bounced Ltd')).body)).toContain('Stage: contract');
  });

  it('a change request leaves the other function not needed on that version, not waiting', async () => {
    const { id, finance } = await submit('Changes First Ltd');
    await decideWithReason(finance, ACTION.requestChanges, USERS.finance, CHANNELS.finance, id, 'Net 14, not 30');
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`contract #${id} `) && readable(c.args).includes('requested changes'));
    expect(readable(dm.args)).toContain('Legal: not needed (changes requested by finance)');
    expect(buttons(dm.args).map((b) => b.action_id)).toEqual([ACTION.contractEdit]);
  });

  it('all the contract form’s field errors come back on the first submit', async () => {
    await cmd('/client', 'add Many Typos Ltd');
    await cmd('/contract', 'new Many Typos Ltd');
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && JSON.stringify(c.args.view).includes('Many Typos Ltd'));
    const values = formValues(form.args.view, {
      [BLOCK.contract.subject]: 'Cables',
      [BLOCK.contract.amount]: 'abc',
      [BLOCK.contract.currency]: 'EURO',
      [BLOCK.contract.netDays]: '400',
      [BLOCK.contract.discount]: '150',
      [BLOCK.contract.kind]: 'goods',
    });
    const bad = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(bad.body.response_action).toBe('errors');
    expect(Object.keys(bad.body.errors).sort()).toEqual([BLOCK.contract.amount, BLOCK.contract.currency, BLOCK.contract.discount, BLOCK.contract.netDays].sort());
    // An unknown client is one more bad field, reported with the others.
    values[BLOCK.contract.client] = { [INPUT.value]: { value: 'Nobody Such Ltd' } };
    const worse = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(Object.keys(worse.body.errors)).toContain(BLOCK.contract.client);
    expect(Object.keys(worse.body.errors)).toContain(BLOCK.contract.amount);
  });

  it('the card of a client at proposal has New contract, which opens the contract form for that client', async () => {
    await cmd('/client', 'add Button Buyer Ltd');
    expect(buttons((await cmd('/client', 'Button Buyer Ltd')).body).map((b) => b.action_id)).not.toContain(ACTION.clientNewContract);
    const card = await cmd('/client', 'move Button Buyer Ltd proposal');
    expect(readable(card.body)).toContain('Stage: proposal');
    const b = buttons(card.body).find((x) => x.action_id === ACTION.clientNewContract);
    expect(b?.text).toBe('New contract');
    await click(ACTION.clientNewContract, b!.value, USERS.seller, 'C0SOMEWHERE');
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.contractDraft && JSON.stringify(c.args.view).includes('Button Buyer Ltd'));
    const block = (id: string) => form.args.view.blocks.find((x: any) => x.block_id === id);
    expect(block(BLOCK.contract.client).element.initial_value).toBe('Button Buyer Ltd');
    expect(form.args.view.private_metadata).toBe('{}');
    const values = formValues(form.args.view, {
      [BLOCK.contract.subject]: 'Fittings',
      [BLOCK.contract.amount]: '4000',
      [BLOCK.contract.currency]: 'EUR',
      [BLOCK.contract.netDays]: '30',
      [BLOCK.contract.kind]: 'goods',
    });
    const done = await h.emu.viewSubmission({ user_id: USERS.seller, callback_id: VIEW.contractDraft, private_metadata: form.args.view.private_metadata, state_values: values });
    expect(done.body.response_action).toBe('update');
    expect(readable((await cmd('/client', 'Button Buyer Ltd')).body)).toContain('Stage: contract');
    // A stale or forged click answers, and changes nothing.
    const stale = await click(ACTION.clientNewContract, '999999', USERS.seller, 'C0SOMEWHERE');
    expect(readable((await h.emu.waitForResponse((p) => p.id === stale.responseUrlId)).body)).toContain("couldn't find");
  });

  it('the approved-by-both DM has Sign: it signs like /contract sign, only for the allowed people, and once', async () => {
    const { id, legal, finance } = await submit('Sign Here Ltd');
    await click(ACTION.approve, buttons(legal.args)[0]!.value, USERS.legal, CHANNELS.legal);
    const first = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`contract #${id} `) && readable(c.args).includes('(legal) approved'));
    expect(buttons(first.args).map((b) => b.action_id)).not.toContain(ACTION.contractSign);
    await click(ACTION.approve, buttons(finance.args)[0]!.value, USERS.finance, CHANNELS.finance);
    const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`contract #${id} `) && readable(c.args).includes('(finance) approved'));
    const sign = buttons(dm.args).find((b) => b.action_id === ACTION.contractSign);
    expect(sign?.text).toBe('Sign');

    const byStranger = await click(ACTION.contractSign, sign!.value, USERS.seller2, USERS.seller2);
    expect(readable((await h.emu.waitForResponse((p) => p.id === byStranger.responseUrlId)).body)).toContain('Only <@U0SELLER>');
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('ready to sign');

    const signed = await click(ACTION.contractSign, sign!.value, USERS.seller, USERS.seller);
    expect(readable((await h.emu.waitForResponse((p) => p.id === signed.responseUrlId)).body)).toContain('is signed');
    expect(readable((await cmd('/client', 'Sign Here Ltd')).body)).toContain('Stage: delivery');
    await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === legal.response.ts && readable(c.args).includes('signed contract'));

    const again = await click(ACTION.contractSign, sign!.value, USERS.seller, USERS.seller);
    expect(readable((await h.emu.waitForResponse((p) => p.id === again.responseUrlId)).body)).toContain('already signed');
    const hist = readable({ blocks: (await cmd('/client', 'history Sign Here Ltd')).body.blocks });
    expect(hist.match(new RegExp(`signed contract #${id}`, 'g'))).toHaveLength(1);
    // The command follows the same rule.
    expect(readable((await cmd('/contract', `sign #${id}`, USERS.seller2)).body)).toContain('already signed');
  });

  it('tells an approver who clicks again that they already decided', async () => {
    const { id, legal } = await submit('Twice Clicked Ltd');
    const value = buttons(legal.args)[0]!.value;
    await click(ACTION.approve, value, USERS.legal, CHANNELS.legal);
    await h.emu.waitFor('chat.update', (c) => c.args.ts === legal.response.ts && readable(c.args).includes('approved by <@U0LEGAL>'));
    const again = await click(ACTION.approve, value, USERS.legal, CHANNELS.legal);
    const text = readable((await h.emu.waitForResponse((p) => p.id === again.responseUrlId)).body);
    expect(text).toContain(`You already approved contract #${id} for legal`);
    expect(text).not.toContain('<@U0LEGAL>');
  });

  it('the exceptions form shows each exception once', async () => {
    await cmd('/client', 'add Exception Once Ltd');
    const sub = readable((await cmd('/contract', 'new Exception Once Ltd amount:25000 EUR net:60 kind:goods subject:Big order discount:5')).body);
    const id = /Contract \*#(\d+)\*/.exec(sub)![1];
    const fin = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    await click(ACTION.approve, buttons(fin.args)[0]!.value, USERS.finance, CHANNELS.finance);
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.confirmExceptions && c.args.view.private_metadata.startsWith(`${id}:`));
    const options = form.args.view.blocks.find((b: any) => b.block_id === BLOCK.confirmExceptions).element.options;
    expect(options).toHaveLength(3);
    const text = readable(form.args.view);
    for (const o of options) {
      expect(o.description).toBeUndefined();
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.text.text).not.toMatch(/…$/);
      expect(text.split(o.text.text).length - 1, o.text.text).toBe(1);
    }
    expect(options.map((o: any) => o.text.text).join('\n')).toMatch(/discount 5 %/i);
  });

  it('payment terms over the statutory 60 days are an exception finance must tick to approve (SPEC §5)', async () => {
    await cmd('/client', 'add Long Terms Ltd');
    const sub = readable((await cmd('/contract', 'new Long Terms Ltd amount:1000 EUR net:90 kind:goods subject:Slow payer')).body);
    const id = /Contract \*#(\d+)\*/.exec(sub)![1];
    expect(sub).toContain('net 90 days are longer than the 60 days the law allows between businesses');
    const fin = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    expect(readable(fin.args)).toContain('• payment terms net 90 days are longer than the 60 days the law allows between businesses (Commerce Act art. 303a)');
    const legal = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    expect(readable(legal.args)).not.toContain('the law allows');
    await click(ACTION.approve, buttons(fin.args)[0]!.value, USERS.finance, CHANNELS.finance);
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.confirmExceptions && c.args.view.private_metadata.startsWith(`${id}:`));
    const options = form.args.view.blocks.find((b: any) => b.block_id === BLOCK.confirmExceptions).element.options;
    const statutory = options.find((o: any) => o.value === 'statutory-net-days');
    expect(statutory?.text.text).toBe('Payment terms net 90 days (the law allows 60 days between businesses)');
    const submit = (selected: unknown[]) =>
      h.emu.viewSubmission({
        user_id: USERS.finance,
        callback_id: VIEW.confirmExceptions,
        private_metadata: form.args.view.private_metadata,
        state_values: { [BLOCK.confirmExceptions]: { [INPUT.value]: { type: 'checkboxes', selected_options: selected } } },
      });
    // Every other exception ticked, not the statutory one: not approved.
    const partial = await submit(options.filter((o: any) => o !== statutory));
    expect(partial.body.response_action).toBe('errors');
    expect(readable((await cmd('/contract', `#${id}`)).body)).not.toContain('approved by <@U0FINANCE>');
    expect((await submit(options)).body).toBe('');
    await h.emu.waitFor('chat.update', (c) => c.args.channel === CHANNELS.finance && c.args.ts === fin.response.ts && readable(c.args).includes('approved by <@U0FINANCE>'));
  });

  it('payment terms of exactly 60 days are no statutory exception', async () => {
    await cmd('/client', 'add Sixty Days Ltd');
    const sub = readable((await cmd('/contract', 'new Sixty Days Ltd amount:1000 EUR net:60 kind:goods subject:On time')).body);
    const id = /Contract \*#(\d+)\*/.exec(sub)![1];
    const fin = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    expect(readable(fin.args)).toContain('net 60 days are longer than the segment');
    expect(readable(fin.args)).not.toContain('the law allows');
  });
});

describe('two legal approvers, and words that count (issue 11)', () => {
  let h2: Harness;
  beforeAll(async () => {
    h2 = await startHarness({ LEGAL_APPROVERS: `${USERS.legal},U0LEGAL2` });
  });
  afterAll(async () => {
    await h2?.close();
  });

  it('another approver hears who decided; one day and one contract are singular', async () => {
    await h2.emu.slashCommand({ command: '/client', text: 'add Singular Ltd', user_id: USERS.seller });
    const r = await h2.emu.slashCommand({ command: '/contract', text: 'new Singular Ltd amount:100 EUR net:1 kind:services subject:One-day audit', user_id: USERS.seller });
    const sub = readable(r.body);
    expect(sub).toContain('net 1 day ');
    expect(sub).not.toContain('net 1 days');
    const id = /Contract \*#(\d+)\*/.exec(sub)![1];
    const legal = await h2.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    expect(readable(legal.args)).not.toContain('net 1 days');
    const value = buttons(legal.args)[0]!.value;
    await h2.emu.blockAction({ action_id: ACTION.approve, value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    await h2.emu.waitFor('chat.update', (c) => c.args.ts === legal.response.ts && readable(c.args).includes('approved by <@U0LEGAL>'));
    const other = await h2.emu.blockAction({ action_id: ACTION.approve, value, user_id: 'U0LEGAL2', channel_id: CHANNELS.legal });
    expect(readable((await h2.emu.waitForResponse((p) => p.id === other.responseUrlId)).body)).toContain(`<@${USERS.legal}> already approved contract #${id} for legal`);
    const list = await h2.emu.slashCommand({ command: '/contract', text: 'list', user_id: USERS.seller });
    expect(readable(list.body)).not.toMatch(/\b1 contracts\b/);
    expect(readable((await h2.emu.slashCommand({ command: '/contract', text: `#${id}`, user_id: USERS.seller })).body)).not.toContain('net 1 days');
  });
});

