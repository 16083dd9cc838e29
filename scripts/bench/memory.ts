/** 8. The bot's peak memory, then stop it and say what it complained about. */
import type { Bot } from './bot.ts';
import { procMem, stopChild } from './children.ts';
import { line } from './report.ts';

export async function memoryAndStop(bot: Bot): Promise<void> {
  line('bot peak memory by phase', `${bot.memByPhase.join(', ')} MB (VmHWM after each)`);
  const mem = procMem(bot.pid);
  line('bot peak memory', `${mem.hwm.toFixed(0)} MB (VmHWM; VmRSS now ${mem.rss.toFixed(0)} MB)`, { pass: mem.hwm < 300, target: '< 300 MB' });
  await stopChild(bot.child);
  // What the bot complained about: the distinct first lines of its warnings and errors.
  const complaints = new Map<string, number>();
  for (const l of bot.child.log) {
    const m = /\b(WARN|ERROR|warn|error)\b.*/.exec(l) ?? /^\s*(\w*Error\b.*)/.exec(l);
    if (m) complaints.set(m[0].slice(0, 200), (complaints.get(m[0].slice(0, 200)) ?? 0) + 1);
  }
  for (const [text, n] of [...complaints].slice(0, 6)) line('bot log', `${n}× ${text}`);
}
