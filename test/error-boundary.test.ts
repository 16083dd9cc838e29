import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, INPUT, VIEW } from '../src/slack/ids.ts';
import { buttons, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

// An unexpected error (here: a table another process renamed away) must reach the person as a
// short answer with a reference, and the log line must carry the same reference.
let h: Harness;
let card: any;
beforeAll(async () => {
  h = await startHarness();
  card = (await h.emu.slashCommand({ command: '/client', text: 'add Broken Base Ltd', user_id: USERS.seller })).body;
});
afterAll(async () => {
  await h?.close();
});

/** Break the database under the bot (on either backend) so the next request that needs the table fails. */
async function renameTable(from: string, to: string): Promise<void> {
  await h.exec(sql.raw(`ALTER TABLE ${from} RENAME TO ${to}`));
}

const REF = /reference `([0-9a-f]{8})`/;

function loggedWith(ref: string, what: RegExp): void {
  const line = h.logs.find((l) => l.includes(`ref ${ref}`));
  expect(line, `a log line with ref ${ref}`).toBeDefined();
  expect(line).toMatch(what);
  expect(line).toContain(USERS.seller);
}

describe('one error boundary for commands, actions, views and events', () => {
  it('a command that fails before its ack answers with a reference the log carries', async () => {
    await renameTable('audit_events', 'audit_events_gone');
    try {
      const r = await h.emu.slashCommand({ command: '/client', text: 'history Broken Base Ltd', user_id: USERS.seller });
      expect(r.status).toBe(200);
      expect(r.body.response_type).toBe('ephemeral');
      const ref = REF.exec(readable(r.body))?.[1];
      expect(ref).toBeDefined();
      loggedWith(ref!, /command \/client/);
    } finally {
      await renameTable('audit_events_gone', 'audit_events');
    }
  });

  it('a click that fails after its ack answers through its response_url', async () => {
    const hist = buttons(card).find((b) => b.action_id === ACTION.clientHistory)!;
    await renameTable('audit_events', 'audit_events_gone');
    try {
      const click = await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientHistory, value: hist.value });
      expect(click.status).toBe(200);
      const answer = await h.emu.waitForResponse((p) => p.id === click.responseUrlId);
      const ref = REF.exec(readable(answer.body))?.[1];
      expect(ref).toBeDefined();
      loggedWith(ref!, new RegExp(`action ${ACTION.clientHistory.replace('.', '\\.')}`));
    } finally {
      await renameTable('audit_events_gone', 'audit_events');
    }
  });

  it('a modal that fails on submit keeps the modal open with the reference on its field', async () => {
    const lost = buttons(card).find((b) => b.action_id === ACTION.clientLost)!;
    await h.emu.blockAction({ user_id: USERS.seller, action_id: ACTION.clientLost, value: lost.value });
    const open = await h.emu.waitFor('views.open', (c) => c.args.view.callback_id === VIEW.clientLost);
    await renameTable('audit_events', 'audit_events_gone');
    try {
      const r = await h.emu.viewSubmission({
        user_id: USERS.seller,
        callback_id: VIEW.clientLost,
        private_metadata: open.args.view.private_metadata,
        blocks: open.args.view.blocks,
        state_values: { [BLOCK.lostReason]: { [INPUT.lostReason]: { type: 'plain_text_input', value: 'budget frozen' } } },
      });
      expect(r.body.response_action).toBe('errors');
      const ref = /reference ([0-9a-f]{8})/.exec(r.body.errors[BLOCK.lostReason])?.[1];
      expect(ref).toBeDefined();
      loggedWith(ref!, new RegExp(`view ${VIEW.clientLost.replace('.', '\\.')}`));
    } finally {
      await renameTable('audit_events_gone', 'audit_events');
    }
  });

  it('an event that fails tells the person in their DM', async () => {
    await renameTable('home_users', 'home_users_gone');
    try {
      const before = h.emu.callsTo('chat.postMessage').length;
      const r = await h.emu.event({ type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER' });
      expect(r.status).toBe(200);
      const dm = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && REF.test(c.args.text));
      expect(h.emu.callsTo('chat.postMessage').length).toBeGreaterThan(before);
      const ref = REF.exec(dm.args.text)![1]!;
      loggedWith(ref, /event app_home_opened/);
    } finally {
      await renameTable('home_users_gone', 'home_users');
    }
  });
});
