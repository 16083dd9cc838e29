/** What the bench runs at: the size (BENCH_CLIENTS, BENCH_INVOICES for a quick run), the seed, the day. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function size(name: string, fallback: number, min: number): number {
  const v = process.env[name]?.trim();
  if (!v) return fallback;
  const n = Number(v.replace(/[_,]/g, ''));
  if (Number.isInteger(n) && n >= min) return n;
  process.stderr.write(`bench: ${name} must be a whole number ≥ ${min}, not ${v} (e.g. BENCH_CLIENTS=2000 BENCH_INVOICES=20000 npm run bench)\n`);
  process.exit(2);
}
export const CLIENTS = size('BENCH_CLIENTS', 100_000, 100);
export const INVOICES = size('BENCH_INVOICES', 1_000_000, 1000);
export const SEED = 1;
export const TZ = 'Europe/Sofia';
export const asOf = new Date().toISOString().slice(0, 10);
