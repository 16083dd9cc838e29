/** A contract taken through both approvals and signed over the wire, for tests that need a deal at delivery. */
import { expect } from 'vitest';
import { ACTION } from '../../src/slack/ids.ts';
import { buttons, CHANNELS, readable, USERS, type Harness } from './harness.ts';

/** `/contract new <client> <terms>` by the seller, approved by legal and finance, signed; its id. */
export async function signedContract(h: Harness, client: string, terms: string): Promise<number> {
  const say = async (command: string, text: string) => readable((await h.emu.slashCommand({ command, text, user_id: USERS.seller })).body);
  const sub = await say('/contract', `new ${client} ${terms}`);
  const contractId = Number(/Contract \*#(\d+)\*/.exec(sub)![1]);
  for (const [fn, user] of [
    ['legal', USERS.legal],
    ['finance', USERS.finance],
  ] as const) {
    const m = await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === CHANNELS[fn] && readable(c.args).includes(`Contract #${contractId} `));
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(m.args)[0]!.value, user_id: user, channel_id: CHANNELS[fn] });
  }
  await h.emu.waitFor('chat.postMessage', (c) => c.args.channel === USERS.seller && readable(c.args).includes(`(finance) approved your contract #${contractId} `));
  expect(await say('/contract', `sign #${contractId}`)).toContain('is signed');
  return contractId;
}
