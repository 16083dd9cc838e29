/**
 * 8. Peak memory (issue 18). The figure: the true peak of the sum of the RSS of the bot and of every
 * process under it (the analytics lanes, the charts process, an import's own process), sampled every
 * 50 ms over the whole run (scripts/bench/sampler.ts), a process that exited counted while it lived.
 * Beside it: the bot's own VmHWM, each process's VmHWM (their sum adds peaks of different moments,
 * so overstates what was ever in use at once), and each phase's peaks (which task peaks where).
 * The bot runs as production starts it (one node process, no launcher in between). Then stop it
 * and say what it complained about.
 */
import type { Bot } from './bot.ts';
import { descendants, procMem, stopChild } from './children.ts';
import { line } from './report.ts';
import { listMiB } from './sampler.ts';

export async function memoryAndStop(bot: Bot): Promise<void> {
  line('bot peak memory by phase', `${bot.memByPhase.join(', ')} MiB (VmHWM after each)`);
  const mem = procMem(bot.pid);
  line('bot peak memory', `${mem.hwm.toFixed(0)} MiB (VmHWM; VmRSS now ${mem.rss.toFixed(0)} MiB)`, { pass: mem.hwm < 200, target: '< 200 MiB' });
  const alive = new Map(descendants(bot.pid).map((k) => [k.pid, procMem(k.pid).hwm]));
  const r = await bot.mem.stop('memory');
  for (const p of r.phases) {
    line(`memory during ${p.phase}`, `sum of RSS ≤ ${p.sum.toFixed(0)} MiB (then: ${listMiB(p.at)}); each one's peak RSS: ${listMiB(p.procs)} (${(p.ms / 1000).toFixed(1)} s)`);
  }
  // Every process seen, those that exited with the last VmHWM read while they lived.
  const kids = r.procs.filter((p) => p.pid !== bot.pid).map((p) => ({ ...p, hwm: alive.get(p.pid) ?? p.hwm, gone: !alive.has(p.pid) }));
  const all = mem.hwm + kids.reduce((n, k) => n + k.hwm, 0);
  line(
    'sum of each process\'s VmHWM',
    `${all.toFixed(0)} MiB (bot ${mem.hwm.toFixed(0)}${kids.map((k) => `, ${k.name} ${k.hwm.toFixed(0)}${k.gone ? ' (exited)' : ''}`).join('')}; peaks of different moments)`,
  );
  line(
    'peak memory of all processes',
    `${r.sum.toFixed(0)} MiB (the largest sum of the RSS of the bot and every process under it, sampled every ${r.intervalP50.toFixed(0)} ms, ${r.samples} samples, longest gap ${r.intervalMax.toFixed(0)} ms; during ${r.sumPhase}: ${listMiB(r.at)})`,
    { pass: r.sum < 400, target: '< 400 MiB' },
  );
  // Not the target's measure (that is the sum of RSS above): what the machine spent, shared pages once.
  line('peak memory of all processes, shared pages once', `${r.pss.sum.toFixed(0)} MiB (the largest sum of their PSS; during ${r.pss.phase}: ${listMiB(r.pss.at)})`);
  await stopChild(bot.child);
  // What the bot complained about: the distinct first lines of its warnings and errors.
  const complaints = new Map<string, number>();
  for (const l of bot.child.log) {
    const m = /\b(WARN|ERROR|warn|error)\b.*/.exec(l) ?? /^\s*(\w*Error\b.*)/.exec(l);
    if (m) complaints.set(m[0].slice(0, 200), (complaints.get(m[0].slice(0, 200)) ?? 0) + 1);
  }
  for (const [text, n] of [...complaints].slice(0, 6)) line('bot log', `${n}× ${text}`);
}
