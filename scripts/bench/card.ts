/** 4. Client cards over the wire: sequential and 50 in flight. */
import Database from 'better-sqlite3';
import { mulberry32 } from '../../src/seed/rng.ts';
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import type { Bot } from './bot.ts';
import { CLIENTS } from './config.ts';
import { drive, sender, sequential, type Names } from './load.ts';
import { line, median, ms, pct } from './report.ts';
import { sampleValue, type Sample } from '../../src/ops/prom-text.ts';
import { metrics } from './jobs.ts';

/** 920 client names drawn at random (the same every run): 20 to warm up, 300 sequential, 600 concurrent. */
export function clientNames(dbPath: string): Names {
  const db = new Database(dbPath, { readonly: true });
  const r = mulberry32(20261127);
  const get = db.prepare('SELECT name FROM clients WHERE id = ?');
  const names = Array.from({ length: 20 + 300 + 600 }, () => (get.get(1 + Math.floor(r() * CLIENTS)) as { name: string }).name);
  db.close();
  return { warmup: names.slice(0, 20), seq: names.slice(20, 320), con: names.slice(320) };
}

/** The cards, and `/client help` asked as many times as the sequential cards, right after the 50-concurrent ones. */
export type Run = Awaited<ReturnType<typeof drive>> & { help: { lat: number[]; errors: number } };

export async function cards(emu: SlackEmulator, bot: Bot, names: Names, on = ''): Promise<Run> {
  const card = sender(emu, bot.events, '/client', (t) => t.includes('Stage:'));
  // The bot's own time per card (its dealdesk_ack_duration_seconds, sum over count, between two
  // scrapes around the sequential cards): from the signature checked to the ack, without the
  // HTTP client, the emulator or the network that the latencies below carry.
  let before: Sample[] | undefined;
  let own: number | undefined;
  const ackOf = (s: Sample[]) => ({ sum: sampleValue(s, 'dealdesk_ack_duration_seconds_sum', { kind: 'command' }), count: sampleValue(s, 'dealdesk_ack_duration_seconds_count', { kind: 'command' }) });
  const run = await drive(card, names, async (at) => {
    const m = await metrics(bot);
    if (at === 'start') before = m;
    else if (m && before) {
      const [a, b] = [ackOf(before), ackOf(m)];
      if (b.count > a.count) own = ((b.sum - a.sum) / (b.count - a.count)) * 1000;
    }
  });
  // The same command with no database work: the bot's own plumbing per request (the request
  // ledger, the person's language, the error boundary, the metrics), which a card pays too.
  const help = await sequential(sender(emu, bot.events, '/client', (t) => t.includes('/client')), names.seq.map(() => 'help'));
  bot.notePhase('cards');
  const { seq: cs, con: cc } = run;
  const csP99 = pct(cs.lat, 99);
  const ccP99 = pct(cc.lat, 99);
  // The card is the ack's own body, so the ack and the answer arrive together: one figure each.
  line(`card sequential p50 (ack = answer)${on}`, `${ms(median(cs.lat))}${own === undefined ? '' : ` (the bot's own mean from request to ack: ${ms(own)})`}`);
  line(`card sequential p99${on}`, `${ms(csP99)} (${cs.lat.length} requests, ${cs.errors} without "Stage:")`, { pass: csP99 < 100, target: '< 100 ms' });
  line(`card 50-concurrent p50 (ack = answer)${on}`, ms(median(cc.lat)));
  // Fifty in flight queue on two cores whatever answers them: the target is the ratio to the bare
  // app's burst (bare.ts), not a number of milliseconds.
  line(`card 50-concurrent p99${on}`, `${ms(ccP99)} (${cc.lat.length} requests, ${cc.errors} without "Stage:", ${(cc.lat.length / cc.seconds).toFixed(0)} req/s)`);
  line(`/client help sequential p50 (no database work)${on}`, `${ms(median(help.lat))} (${help.lat.length} requests, ${help.errors} errors)`);
  return { ...run, help };
}
