/** The bench's output (one line per figure, PASS/MISS against its target), its statistics and its time budget. */

export const BUDGET_MS = (process.env.BENCH_PG === '0' ? 9.5 : 14.5) * 60_000;
export const started = Date.now();
/** What is left of the time budget, ms. */
export const left = () => BUDGET_MS - (Date.now() - started);
export const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export function line(name: string, value: string, verdict?: { pass: boolean; target: string }): void {
  const v = verdict ? `  ${verdict.pass ? 'PASS' : 'MISS'} (target ${verdict.target})` : '';
  process.stdout.write(`${name}: ${value}${v}\n`);
}
export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x)} ms`;
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
export const median = (xs: number[]) => pct(xs, 50);
