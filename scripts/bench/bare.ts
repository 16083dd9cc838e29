/**
 * The floor of a card: a bare Bolt app (scripts/bare-bolt.ts) answering the same requests right
 * after the card runs, under the same load, and the card's ratios to it (issues 13 and 18): the
 * sequential p50 within 1.5× the bare app's, the 50-concurrent p99 within 2× the bare app's p99
 * in the same burst.
 */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../bot-env.ts';
import type { Run } from './card.ts';
import { freePort, startChild, stopChild, waitHttp } from './children.ts';
import { drive, sender, type Names } from './load.ts';
import { line, median, ms, pct } from './report.ts';

export async function bareBolt(emu: SlackEmulator, names: Names, card: Run, on = ''): Promise<void> {
  const barePort = await freePort();
  const bare = startChild('bare bolt', ['--import', 'tsx', 'scripts/bare-bolt.ts'], {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: emu.apiUrl,
    PORT: String(barePort),
  });
  await waitHttp(`http://127.0.0.1:${barePort}/healthz`, 60_000, bare);
  const ok = sender(emu, `http://127.0.0.1:${barePort}/slack/events`, '/client', (t) => t.includes('ok'));
  const { seq: bs, con: bc } = await drive(ok, names);
  await stopChild(bare);
  line(`bare bolt sequential p50${on}`, ms(median(bs.lat)));
  line(`bare bolt sequential p99${on}`, `${ms(pct(bs.lat, 99))} (${bs.errors} errors)`);
  line(`bare bolt 50-concurrent p50${on}`, ms(median(bc.lat)));
  line(`bare bolt 50-concurrent p99${on}`, `${ms(pct(bc.lat, 99))} (${bc.errors} errors, ${(bc.lat.length / bc.seconds).toFixed(0)} req/s)`);
  const rs = median(card.seq.lat) / median(bs.lat);
  const rc = median(card.con.lat) / median(bc.lat);
  const rp = pct(card.con.lat, 99) / pct(bc.lat, 99);
  line(`card/bare p50 sequential${on}`, `${rs.toFixed(2)}×`, { pass: rs <= 1.5, target: '≤ 1.5×' });
  // The ratio in two: the bot's plumbing that every answer pays (help ÷ bare), and the card's own
  // reading and rendering on top of it (card ÷ help).
  const hb = median(card.help.lat) / median(bs.lat);
  line(`card/bare p50 sequential, split${on}`, `/client help ÷ bare ${hb.toFixed(2)}×, card ÷ /client help ${(median(card.seq.lat) / median(card.help.lat)).toFixed(2)}×`);
  line(`card/bare p50 50-concurrent${on}`, `${rc.toFixed(2)}×`);
  line(`card/bare p99 50-concurrent${on}`, `${rp.toFixed(2)}× (the bare app's burst right after the card's)`, { pass: rp <= 2, target: '≤ 2×' });
}
