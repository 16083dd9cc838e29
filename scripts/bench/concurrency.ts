/** 6. Acks while analytics run: /abc and /funnel fired while /client list goes on at ~20/s. */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import type { Bot } from './bot.ts';
import { sender } from './load.ts';
import { left, line, median, ms, pct, sleep } from './report.ts';

interface Fired {
  cmd: string;
  id: string;
  ack: number;
  at: number;
}

/** /abc, /funnel, /abc, /abc half a second apart, each noted in `fired` when acked. */
async function fireAnalytics(emu: SlackEmulator, fired: Fired[]): Promise<void> {
  const fire = async (command: string, text: string) => {
    const a0 = performance.now();
    const r = await emu.slashCommand({ command, text, user_id: USERS.seller, channel_id: 'C0SALES' });
    fired.push({ cmd: `${command} ${text}`.trim(), id: r.responseUrlId, ack: performance.now() - a0, at: a0 });
  };
  await fire('/abc', '');
  await sleep(500);
  await fire('/funnel', '');
  await sleep(500);
  await fire('/abc', '');
  await sleep(500);
  await fire('/abc', '');
}

export async function acksUnderAnalytics(emu: SlackEmulator, bot: Bot): Promise<void> {
  emu.botUrl = bot.events;
  const list = sender(emu, bot.events, '/client', (t) => /clients/i.test(t));
  const lat: number[] = [];
  let errors = 0;
  const inflight = new Set<Promise<void>>();
  const fired: Fired[] = [];
  const t = performance.now();
  const analytics = fireAnalytics(emu, fired);
  // /client list at ~20/s, open loop, until every analytics answer has come back.
  const done = () => fired.length === 4 && fired.every((f) => emu.responseUrlPosts.some((p) => p.id === f.id));
  const limit = Math.min(150_000, left() - 90_000);
  while (!(done() && fired.length === 4) && performance.now() - t < limit) {
    const p = list('list').then((r) => {
      lat.push(r.ms);
      if (!r.ok) errors++;
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    await sleep(50);
  }
  await analytics;
  await Promise.all(inflight);
  bot.notePhase('analytics');
  const took = performance.now() - t;
  const p99 = pct(lat, 99);
  line(
    'analytics under load',
    `${fired.map((f) => `${f.cmd} ack ${ms(f.ack)}`).join(', ')}; all answered in ${(took / 1000).toFixed(1)} s${done() ? '' : ' (NOT all answered within the limit)'}`,
  );
  line('ack p99 while analytics run', `${ms(p99)} (/client list at ~20/s: ${lat.length} requests, p50 ${ms(median(lat))}, max ${ms(Math.max(...lat))}, ${errors} errors)`, {
    pass: p99 < 300,
    target: '< 300 ms',
  });
}
