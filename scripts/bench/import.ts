/**
 * 8. An import of 100,000 invoice rows shared in the DM, as finance would (SPEC §6): the preview,
 * then Import, which runs in the analytics process. Rows per second over the whole Import (fetch,
 * read, plan, write), and the bot's event-loop delay meanwhile.
 */
import Database from 'better-sqlite3';
import { histogramBetween } from '../../src/ops/prom-text.ts';
import { ACTION } from '../../src/slack/ids.ts';
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import type { Bot } from './bot.ts';
import { INVOICES } from './config.ts';
import { metrics } from './jobs.ts';
import { pinger } from './load.ts';
import { left, line, ms, pct } from './report.ts';

/** 100,000 rows at full size; a tenth of BENCH_INVOICES for a quick run. */
export const ROWS = Math.min(100_000, Math.max(1000, Math.floor(INVOICES / 10)));

/** A Bulgarian-books file (`;`, decimal commas, DD.MM.YYYY) of new invoices for the bench's clients, by ЕИК or name. */
export function invoicesFile(dbPath: string): Buffer {
  const db = new Database(dbPath, { readonly: true });
  const clients = db.prepare('SELECT name, eik FROM clients ORDER BY id LIMIT 5000').all() as { name: string; eik: string | null }[];
  db.close();
  const q = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['number;client;eik;amount;currency;issued;due;margin;line'];
  for (let i = 0; i < ROWS; i++) {
    const c = clients[i % clients.length]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(`${String(9_000_000_000 + i)};${q(c.name)};${c.eik ?? ''};${1000 + (i % 9000)},${String(i % 100).padStart(2, '0')};EUR;${day}.03.2026;${day}.04.2026;${100 + (i % 500)},00;line ${i % 40}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** `watch`: told when the Import starts and when it is done (scripts/bench-import.ts counts CPU time between). */
export async function importFigure(emu: SlackEmulator, bot: Bot, dbPath: string, watch?: (at: 'start' | 'done') => void): Promise<void> {
  if (left() < 90_000) return line(`import of ${ROWS} invoice rows`, 'skipped (time budget)');
  const bytes = invoicesFile(dbPath);
  emu.botUrl = bot.events;
  const t0 = performance.now();
  await emu.shareFile(USERS.finance, { name: 'bench-invoices.csv', bytes });
  const previewCall = await emu.waitFor('chat.postMessage', (c) => String(c.args.text).startsWith('bench-invoices.csv'), Math.min(180_000, left() - 60_000));
  const previewMs = performance.now() - t0;
  bot.notePhase('import preview');
  const preview = emu.messages(USERS.finance).find((m) => m.text === previewCall.args.text)!;
  const run = (preview.blocks ?? []).flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === ACTION.importRun);
  if (!run) return line(`import of ${ROWS} invoice rows`, `no Import button in the preview: ${String(previewCall.args.text)}`);
  const m0 = await metrics(bot);
  const ping = pinger(`${bot.base}/healthz`);
  watch?.('start');
  const t1 = performance.now();
  await emu.blockAction({ action_id: ACTION.importRun, value: run.value, user_id: USERS.finance, channel_id: `D${USERS.finance}`, message_ts: preview.ts, message: preview });
  const done = await emu.waitFor('chat.update', (c) => String(c.args.text).startsWith('Imported bench-invoices.csv'), Math.min(300_000, left() - 30_000));
  const took = performance.now() - t1;
  watch?.('done');
  const lat = await ping.stop();
  const m1 = await metrics(bot);
  const progress = emu.callsTo('chat.update').filter((c) => String(c.args.text).includes('Importing')).length;
  bot.notePhase('import');
  const h = m0 && m1 ? histogramBetween(m0, m1, 'dealdesk_event_loop_delay_seconds') : undefined;
  const rate = ROWS / (took / 1000);
  line(`import of ${ROWS} invoice rows (shared in the DM, Import → written)`, `${Math.round(rate)} rows/s (${(rate / 20_000).toFixed(2)}× the target), ${(took / 1000).toFixed(1)} s (${String(done.args.text).replace(/^Imported bench-invoices\.csv: /, '')}; ${progress} progress edits); preview ${(previewMs / 1000).toFixed(1)} s`, { pass: rate >= 20_000, target: '≥ 20,000 rows/s' });
  const p99 = h ? h.p99 * 1000 : pct(lat, 99);
  line(
    'event-loop delay p99 during the import',
    `${ms(p99)}${h ? ` (the bot's dealdesk_event_loop_delay_seconds, ${h.count} samples, max ≤ ${ms(h.max * 1000)})` : ' (from outside)'}; /healthz from outside p99 ${ms(pct(lat, 99))}, max ${ms(Math.max(...lat))} over ${lat.length} pings`,
    { pass: p99 < 50, target: '< 50 ms' },
  );
}
