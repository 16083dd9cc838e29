/** 5. The floor of a card: a bare Bolt app (scripts/bare-bolt.ts) answering the same requests, and the card's ratio to it. */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../bot-env.ts';
import type { Run } from './card.ts';
import { freePort, startChild, stopChild, waitHttp } from './children.ts';
import { drive, sender, type Names } from './load.ts';
import { line, median, ms, pct } from './report.ts';

export async function bareBolt(emu: SlackEmulator, names: Names, card: Run): Promise<void> {
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
  line('bare bolt sequential p50', ms(median(bs.lat)));
  line('bare bolt sequential p99', `${ms(pct(bs.lat, 99))} (${bs.errors} errors)`);
  line('bare bolt 50-concurrent p50', ms(median(bc.lat)));
  line('bare bolt 50-concurrent p99', `${ms(pct(bc.lat, 99))} (${bc.errors} errors, ${(bc.lat.length / bc.seconds).toFixed(0)} req/s)`);
  const rs = median(card.seq.lat) / median(bs.lat);
  const rc = median(card.con.lat) / median(bc.lat);
  line('card/bare p50 sequential', `${rs.toFixed(1)}×`, { pass: rs <= 3, target: '≤ 3×' });
  line('card/bare p50 50-concurrent', `${rc.toFixed(1)}×`, { pass: rc <= 3, target: '≤ 3×' });
}
