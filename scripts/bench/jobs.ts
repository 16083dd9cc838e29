/** 7. Event-loop stalls during the nightly jobs, each run now with /dealdesk digest <job>. */
import { histogramBetween, parsePrometheusText, type Sample } from '../../src/ops/prom-text.ts';
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import type { Bot } from './bot.ts';
import { pinger } from './load.ts';
import { left, line, ms, pct, sleep } from './report.ts';


const JOBS = ['segments', 'backup', 'abc', 'overdue', 'dunning'] as const;

/** A scrape of the bot's metrics port; the delay during a job is the histogram's growth between two. */
export async function metrics(bot: Bot): Promise<Sample[] | undefined> {
  try {
    const r = await fetch(bot.metricsUrl);
    if (r.status !== 200) return undefined;
    return parsePrometheusText(await r.text());
  } catch {
    return undefined;
  }
}

export async function jobStalls(emu: SlackEmulator, bot: Bot): Promise<void> {
  const hasMetrics = (await metrics(bot)) !== undefined;
  for (const job of JOBS) {
    if (left() < 60_000) {
      line(`event-loop stall during ${job}`, 'skipped (time budget)');
      continue;
    }
    await jobStall(emu, bot, job, hasMetrics);
  }
}

async function jobStall(emu: SlackEmulator, bot: Bot, job: (typeof JOBS)[number], hasMetrics: boolean): Promise<void> {
  const m0 = hasMetrics ? await metrics(bot) : undefined;
  const ping = pinger(`${bot.base}/healthz`);
  const j0 = performance.now();
  emu.botUrl = bot.events;
  const r = await emu.slashCommand({ command: '/dealdesk', text: `digest ${job}`, user_id: USERS.admin, channel_id: 'C0SALES' });
  let answered = true;
  await emu.waitForResponse((p) => p.id === r.responseUrlId, Math.min(120_000, left() - 30_000)).catch(() => (answered = false));
  // The job's messages go out after it; keep pinging a little to catch the sender's work (charts).
  await sleep(2000);
  const lat = await ping.stop();
  const took = performance.now() - j0;
  const m1 = hasMetrics ? await metrics(bot) : undefined;
  const m = m0 && m1 ? histogramBetween(m0, m1, 'dealdesk_event_loop_delay_seconds') : undefined;
  bot.notePhase(job);
  const label = job === 'segments' ? 'event-loop delay p99 during nightly jobs' : `event-loop stall during /dealdesk digest ${job}`;
  const outside = `max /healthz latency ${ms(Math.max(...lat))}, p99 ${ms(pct(lat, 99))} over ${lat.length} pings at 5 ms`;
  const own =
    m !== undefined
      ? `p99 ${ms(m.p99 * 1000)}, max ≤ ${ms(m.max * 1000)} (the bot's dealdesk_event_loop_delay_seconds between two scrapes, ${m.count} samples; 10 ms timer lateness, interval excluded); from outside: ${outside}`
      : `${outside} [measured from outside: no scrape of the bot's METRICS_PORT]`;
  line(label, `${own}; /dealdesk digest ${job} took ${(took / 1000).toFixed(1)} s${answered ? '' : ' (no answer in time)'}`);
}
