/**
 * Reading a Prometheus text-format scrape back: for `npm run bench` (event-loop delay between
 * two scrapes) and the tests. Samples only; HELP and TYPE lines are skipped.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the sample `name` whose labels include `labels`, summed over the rest; 0 when absent. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

/**
 * p99 and max of a histogram's observations between two scrapes, from its cumulative buckets:
 * p99 interpolated within its bucket as PromQL's histogram_quantile does, max as the upper
 * bound of the highest bucket that gained an observation. Undefined when nothing was observed.
 */
export function histogramBetween(before: Sample[], after: Sample[], name: string): { count: number; p99: number; max: number } | undefined {
  const buckets = (s: Sample[]) =>
    new Map(s.filter((x) => x.name === `${name}_bucket`).map((x) => [x.labels.le === '+Inf' ? Infinity : Number(x.labels.le), x.value] as const));
  const b0 = buckets(before);
  const rows = [...buckets(after)].map(([le, n]) => ({ le, n: n - (b0.get(le) ?? 0) })).sort((a, b) => a.le - b.le);
  const count = rows[rows.length - 1]?.n ?? 0;
  if (count <= 0) return undefined;
  const rank = 0.99 * count;
  let p99 = Number.NaN;
  let lower = 0;
  let below = 0;
  for (const r of rows) {
    if (r.n >= rank) {
      p99 = r.le === Infinity ? lower : lower + ((r.le - lower) * (rank - below)) / Math.max(1, r.n - below);
      break;
    }
    lower = r.le;
    below = r.n;
  }
  let max = 0;
  let prev = 0;
  let prevLe = 0;
  for (const r of rows) {
    if (r.n > prev) max = r.le === Infinity ? prevLe : r.le;
    prev = r.n;
    prevLe = r.le;
  }
  return { count, p99, max };
}
