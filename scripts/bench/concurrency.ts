/**
 * 6. Analytics answers as a person sees them (the final answer on the response_url, after the
 * ack): `/abc by:combined` and `/funnel` each alone, then `/abc` and `/funnel` fired at the same
 * moment (twice) while `/client list` goes on at ~20/s, whose ack p99 is the figure that must not
 * move while analytics run (issue 18).
 */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import type { Bot } from './bot.ts';
import { sender } from './load.ts';
import { left, line, median, ms, pct, sleep } from './report.ts';

interface Answer {
  cmd: string;
  ack: number;
  /** From the command sent to its final answer on the response_url, ms; NaN when none came. */
  answer: number;
}

/** One slash command, timed to its ack and to its final answer. */
async function answered(emu: SlackEmulator, command: string, text: string, timeoutMs = 60_000): Promise<Answer> {
  const t0 = performance.now();
  const r = await emu.slashCommand({ command, text, user_id: USERS.seller, channel_id: 'C0SALES' });
  const ack = performance.now() - t0;
  const got = await emu.waitForResponse((p) => p.id === r.responseUrlId, timeoutMs).then(
    () => performance.now() - t0,
    () => Number.NaN,
  );
  return { cmd: `${command} ${text}`.trim(), ack, answer: got };
}

const secs = (x: number) => (Number.isNaN(x) ? 'no answer' : `${(x / 1000).toFixed(2)} s`);

export async function analyticsAnswers(emu: SlackEmulator, bot: Bot, sqlFloorMs?: number): Promise<void> {
  emu.botUrl = bot.events;
  // A warm-up: the analytics processes start on first use, which is not what this measures.
  await answered(emu, '/abc', '');
  await answered(emu, '/funnel', '');
  bot.notePhase('warm-up /abc, /funnel');
  const alone = async (command: string, text: string) => {
    const runs = [await answered(emu, command, text), await answered(emu, command, text)];
    return median(runs.map((r) => r.answer));
  };
  const abc = await alone('/abc', 'by:combined');
  const floor = sqlFloorMs ? `; ${(abc / sqlFloorMs).toFixed(1)}× the sql floor` : '';
  line('/abc by:combined final answer, alone', `${secs(abc)} (median of two${floor})`, { pass: abc < 1000, target: '< 1 s' });
  bot.notePhase('/abc alone');
  const funnel = await alone('/funnel', '');
  bot.notePhase('/funnel alone');
  line('/funnel final answer, alone', `${secs(funnel)} (median of two${sqlFloorMs ? `; ${(funnel / sqlFloorMs).toFixed(1)}× the sql floor` : ''})`, { pass: funnel < 1000, target: '< 1 s' });
}

export async function acksUnderAnalytics(emu: SlackEmulator, bot: Bot): Promise<void> {
  emu.botUrl = bot.events;
  const list = sender(emu, bot.events, '/client', (t) => /clients/i.test(t));
  const lat: number[] = [];
  let errors = 0;
  const inflight = new Set<Promise<void>>();
  const answers: Answer[] = [];
  let finished = false;
  const t = performance.now();
  // /abc and /funnel at the same moment, twice, a second apart after the first pair answered.
  const analytics = (async () => {
    for (let round = 0; round < 2; round++) {
      if (round > 0) await sleep(1000);
      answers.push(...(await Promise.all([answered(emu, '/abc', ''), answered(emu, '/funnel', '')])));
    }
  })().finally(() => (finished = true));
  // /client list at ~20/s, open loop, until every analytics answer has come back.
  const limit = Math.min(150_000, left() - 90_000);
  while (!finished && performance.now() - t < limit) {
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
  const each = (cmd: string) => answers.filter((a) => a.cmd === cmd).map((a) => a.answer);
  const worst = Math.max(...answers.map((a) => (Number.isNaN(a.answer) ? Infinity : a.answer)));
  const gaps = [0, 1].map((i) => Math.abs(answers[2 * i]!.answer - answers[2 * i + 1]!.answer));
  line(
    '/abc and /funnel at the same time, final answers',
    `/abc ${each('/abc').map(secs).join(', ')}; /funnel ${each('/funnel').map(secs).join(', ')} (two rounds; the pair's answers ${gaps.map(ms).join(' and ')} apart; acks ${answers.map((a) => ms(a.ack)).join(', ')}; ${(took / 1000).toFixed(1)} s in all)`,
    { pass: worst < 3000, target: '< 3 s each' },
  );
  const p99 = pct(lat, 99);
  line('ack p99 while /abc and /funnel run', `${ms(p99)} (/client list at ~20/s: ${lat.length} requests, p50 ${ms(median(lat))}, max ${ms(Math.max(...lat))}, ${errors} errors)`, {
    pass: p99 < 100,
    target: '< 100 ms',
  });
}
