/** 7. Event-loop stalls during the nightly jobs, each run now with /dealdesk digest <job>. */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import type { Bot } from './bot.ts';
import { pinger } from './load.ts';
import { left, line, ms, pct, sleep } from './report.ts';

type Metrics = { eventLoopDelayP99Ms?: number; eventLoopDelayMaxMs?: number; rssMb?: number };

const JOBS = ['segments', 'backup', 'abc', 'overdue', 'dunning'] as const;

/** The bot's own figures since the last call (GET /metrics?reset=1); undefined when it has none. */
async function metrics(bot: Bot): Promise<Metrics | undefined> {
  try {
    const r = await fetch(`${bot.base}/metrics?reset=1`);
    if (r.status !== 200) return undefined;
    return (await r.json()) as Metrics;
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
  if (hasMetrics) await metrics(bot);
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
  const m = hasMetrics ? await metrics(bot) : undefined;
  bot.notePhase(job);
  const label = job === 'segments' ? 'event-loop delay p99 during nightly jobs' : `event-loop stall during /dealdesk digest ${job}`;
  const outside = `max /healthz latency ${ms(Math.max(...lat))}, p99 ${ms(pct(lat, 99))} over ${lat.length} pings at 5 ms`;
  const own =
    m?.eventLoopDelayP99Ms !== undefined
      ? `p99 ${ms(m.eventLoopDelayP99Ms)}, max ${ms(m.eventLoopDelayMaxMs ?? Number.NaN)} (the bot's monitorEventLoopDelay, GET /metrics); from outside: ${outside}`
      : `${outside} [measured from outside: the bot has no GET /metrics yet]`;
  line(label, `${own}; /dealdesk digest ${job} took ${(took / 1000).toFixed(1)} s${answered ? '' : ' (no answer in time)'}`);
}
