/** A person's DM with dealdesk as the emulator holds it: the bot's messages, waiting for one, clicking its buttons. */
import { buttons, readable, type Harness } from './harness.ts';

/** The bot's messages in a person's DM, oldest first. */
const botMessages = (h: Harness, user: string) => h.emu.messages(user).filter((m) => m.user === 'UBOT');

/** The first bot message in `user`'s DM whose text `pred` accepts, waiting for it up to `timeoutMs`. */
async function waitForBot(h: Harness, user: string, pred: (text: string) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = botMessages(h, user).find((x) => pred(readable(x)));
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no bot message in ${user}'s DM matching; they have: ${botMessages(h, user).map((x) => readable(x)).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The same, bound to a harness that a test file starts later (`get` is called at each use). */
export function dmHelpers(get: () => Harness) {
  const dm = (user: string) => `D${user}`;
  /** A click on the message's button `actionId`, by `user` in their DM. */
  const click = (user: string, msg: { ts: string }, actionId: string) => {
    const b = buttons(msg).find((x) => x.action_id === actionId)!;
    return get().emu.blockAction({ action_id: actionId, value: b.value, user_id: user, channel_id: dm(user), message_ts: msg.ts, message: msg });
  };
  return {
    dm,
    botMessages: (user: string) => botMessages(get(), user),
    waitForBot: (user: string, pred: (text: string) => boolean, timeoutMs?: number) => waitForBot(get(), user, pred, timeoutMs),
    click,
  };
}
