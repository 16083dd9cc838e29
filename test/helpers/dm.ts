/** The bot's messages in a person's DM in the emulator, and waiting for one. */
import { readable, type Harness } from './harness.ts';

/** The bot's messages in a person's DM, oldest first. */
export const botMessages = (h: Harness, user: string) => h.emu.messages(user).filter((m) => m.user === 'UBOT');

/** The first bot message in `user`'s DM whose text `pred` accepts, waiting for it up to `timeoutMs`. */
export async function waitForBot(h: Harness, user: string, pred: (text: string) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = botMessages(h, user).find((x) => pred(readable(x)));
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no bot message in ${user}'s DM matching; they have: ${botMessages(h, user).map((x) => readable(x)).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
