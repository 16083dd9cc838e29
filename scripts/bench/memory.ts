/**
 * 8. Peak memory (issue 18): the bot's VmHWM, and that of every process it runs (the analytics
 * and chart processes, alive since their first task) added to it, read before the bot stops.
 * The bot runs as production starts it (one node process, no launcher in between). Then stop it
 * and say what it complained about.
 */
import type { Bot } from './bot.ts';
import { descendants, procMem, stopChild } from './children.ts';
import { line } from './report.ts';

export async function memoryAndStop(bot: Bot): Promise<void> {
  line('bot peak memory by phase', `${bot.memByPhase.join(', ')} MiB (VmHWM after each)`);
  const mem = procMem(bot.pid);
  line('bot peak memory', `${mem.hwm.toFixed(0)} MiB (VmHWM; VmRSS now ${mem.rss.toFixed(0)} MiB)`, { pass: mem.hwm < 200, target: '< 200 MiB' });
  const kids = descendants(bot.pid).map((k) => ({ ...k, hwm: procMem(k.pid).hwm }));
  const all = mem.hwm + kids.reduce((n, k) => n + k.hwm, 0);
  line('peak memory of all processes', `${all.toFixed(0)} MiB (bot ${mem.hwm.toFixed(0)}${kids.map((k) => `, ${k.name} ${k.hwm.toFixed(0)}`).join('')}; VmHWM each)`, { pass: all < 400, target: '< 400 MiB' });
  await stopChild(bot.child);
  // What the bot complained about: the distinct first lines of its warnings and errors.
  const complaints = new Map<string, number>();
  for (const l of bot.child.log) {
    const m = /\b(WARN|ERROR|warn|error)\b.*/.exec(l) ?? /^\s*(\w*Error\b.*)/.exec(l);
    if (m) complaints.set(m[0].slice(0, 200), (complaints.get(m[0].slice(0, 200)) ?? 0) + 1);
  }
  for (const [text, n] of [...complaints].slice(0, 6)) line('bot log', `${n}× ${text}`);
}
