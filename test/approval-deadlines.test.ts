import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { buttons, CHANNELS, cliEnv, readable, runCli, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const lists = (channel: string) => h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && !c.args.thread_ts && readable(c.args).includes('past their deadline'));
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('approval deadlines (24 working hours, Mon–Fri 09:00–17:00 Europe/Sofia)', () => {
  it('reminds in the thread and lists in each channel once per slot, and catches up a slot missed while down', async () => {
    // Friday 2026-11-27 11:00 in Sofia.
    await h.emu.slashCommand({ command: '/client', text: 'add Slow Approvals Ltd', user_id: USERS.seller });
    const r = await h.emu.slashCommand({ command: '/contract', text: 'new Slow Approvals Ltd amount:900 EUR net:14 kind:services subject:Audit', user_id: USERS.seller });
    const id = /Contract \*#(\d+)\*/.exec(readable(r.body))![1];
    const legal = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    expect(readable(legal.args)).toContain('due 2026-12-02 11:00');

    // Wednesday 09:00 slot, 10:59: not yet late.
    h.clock.ms = Date.parse('2026-12-02T08:59:00Z');
    expect(await h.bot.scheduler.catchUp()).toContain('approvals');
    await settle();
    expect(lists(CHANNELS.legal)).toHaveLength(0);

    // Wednesday 14:00 slot, 14:30: late; a reminder in each thread and one list per channel.
    h.clock.ms = Date.parse('2026-12-02T12:30:00Z');
    expect(await h.bot.scheduler.catchUp()).toContain('approvals');
    const reminder = await h.emu.waitFor('chat.postMessage', (c) => c.args.thread_ts === legal.response.ts && readable(c.args).includes('Reminder'));
    expect(readable(reminder.args)).toContain(`<@${USERS.legal}>`);
    await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes('past their deadline'));
    expect(lists(CHANNELS.legal)).toHaveLength(1);
    expect(readable(lists(CHANNELS.legal)[0]!.args)).toContain(`Contract #${id}`);

    // The same slot again (a second process, a retry): nothing more.
    expect(await h.bot.scheduler.catchUp()).not.toContain('approvals');
    await settle();
    expect(lists(CHANNELS.legal)).toHaveLength(1);

    // Down over Thursday 09:00; back at 10:00: the missed slot runs once at start.
    await h.bot.stop();
    h.clock.ms = Date.parse('2026-12-03T08:00:00Z');
    await h.restart();
    await h.emu.waitFor('chat.postMessage', () => lists(CHANNELS.legal).length === 2);
    await settle();
    expect(lists(CHANNELS.legal)).toHaveLength(2);
    expect(lists(CHANNELS.finance)).toHaveLength(2);
  });

  it('`npm run digest -- approvals` runs now, delivers to Slack and exits 0; a bad name exits 2 with usage', async () => {
    const env = cliEnv(h);
    const before = lists(CHANNELS.legal).length;
    // Asynchronously: the emulator answering the CLI's Web API calls lives in this process.
    const ok = await runCli('src/cli/digest.ts', ['approvals', '--as-of', '2026-12-04T10:00:00Z'], env);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('reminded 1 legal and 1 finance');
    expect(lists(CHANNELS.legal).length).toBe(before + 1);
    const bad = await runCli('src/cli/digest.ts', ['weekly'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage: npm run digest');
  });

  it('a rejected contract is decided: the half nobody gave is not reminded about', async () => {
    await h.emu.slashCommand({ command: '/client', text: 'add Turned Down Ltd', user_id: USERS.seller });
    const r = await h.emu.slashCommand({ command: '/contract', text: 'new Turned Down Ltd amount:700 EUR net:14 kind:services subject:Review', user_id: USERS.seller });
    const id = /Contract \*#(\d+)\*/.exec(readable(r.body))![1];
    const legal = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    const finance = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    const reject = buttons(legal.args).find((b) => b.action_id === ACTION.reject)!;
    await h.emu.blockAction({ action_id: ACTION.reject, value: reject.value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    const form = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.decisionReason && c.args.view.private_metadata.includes(`"contractId":${id}`));
    await h.emu.viewSubmission({
      user_id: USERS.legal,
      callback_id: VIEW.decisionReason,
      private_metadata: form.args.view.private_metadata,
      state_values: { [BLOCK.decisionReason]: { [INPUT.value]: { type: 'plain_text_input', value: 'Not our kind of work' } } },
    });
    await h.emu.waitFor('chat.update', (c) => c.args.ts === finance.response.ts && readable(c.args).includes('rejected by'));

    // A week later, long past finance's deadline: the digest lists the first test's contract, not this one.
    const before = lists(CHANNELS.finance).length;
    h.clock.ms = Date.parse('2026-12-10T12:30:00Z');
    expect(await h.bot.scheduler.catchUp()).toContain('approvals');
    await h.emu.waitFor('chat.postMessage', () => lists(CHANNELS.finance).length === before + 1);
    await settle();
    expect(readable(lists(CHANNELS.finance).at(-1)!.args)).not.toContain(`Contract #${id} `);
    expect(h.emu.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === finance.response.ts && readable(c.args).includes('Reminder'))).toHaveLength(0);
  });
});
