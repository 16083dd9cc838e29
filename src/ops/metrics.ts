/**
 * dealdesk's Prometheus metrics (prom-client), one registry per process: what the process
 * does is counted where it happens (the hooks below, called from the request wrapper, the
 * Web API client's fetch, the outbox sender and the scheduler); what the database holds
 * (outbox backlog, approvals past deadline, overdue receivables) is read when scraped.
 * README "Operating dealdesk" lists every name.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ErrorCode, type FetchFunction } from '@slack/web-api';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { localDate } from '../domain/dates.ts';
import { currencyDigits } from '../domain/money.ts';
import type { Store } from '../repos/store.ts';
import { approvalsPastDeadline, outboxBacklog, outboxFailedCount, overdueReceivablesPage } from '../repos/ops.ts';

export const registry = new Registry();
const registers = [registry];

// ---- Slack requests ------------------------------------------------------------------------

const requests = new Counter({
  name: 'dealdesk_requests_total',
  help: 'Slack requests handled, by kind (command, action, view, event, shortcut, options, other) and outcome (ok, error, duplicate, unacked).',
  labelNames: ['kind', 'outcome'],
  registers,
});

// Slack gives up on an ack after 3 s.
const ackSeconds = new Histogram({
  name: 'dealdesk_ack_duration_seconds',
  help: 'From the request reaching the app (signature checked) to its ack, by kind.',
  labelNames: ['kind'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
  registers,
});

export function countRequest(kind: string, outcome: string): void {
  requests.inc({ kind, outcome });
}

export function observeAck(kind: string, seconds: number): void {
  ackSeconds.observe({ kind }, seconds);
}

// ---- Slack Web API -------------------------------------------------------------------------

const slackCalls = new Counter({
  name: 'dealdesk_slack_api_calls_total',
  help: 'HTTP requests to the Slack Web API (each retry counts), by method, HTTP status ("network" when none came back) and Slack error code ("" when ok).',
  labelNames: ['method', 'status', 'error'],
  registers,
});

const slackSeconds = new Histogram({
  name: 'dealdesk_slack_api_call_duration_seconds',
  help: 'Time to the Slack Web API answer, by method.',
  labelNames: ['method'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

/** `chat.postMessage` from …/api/chat.postMessage; an upload URL or anything else is `other`. */
function methodOf(url: string | URL): string {
  const path = (typeof url === 'string' ? url : url.href).split('?')[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  return /^[a-z]+(\.[A-Za-z]+)+$/.test(last) ? last : 'other';
}

/**
 * The fetch every WebClient of the bot uses (clientOptions.fetch): counts each HTTP request
 * to Slack. Slack answers errors with 200 and `ok: false`, so the body is read from a clone,
 * beside the client's own read and without delaying it.
 */
export const slackFetch: FetchFunction = async (url, init) => {
  const method = methodOf(url);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, init as RequestInit);
  } catch (err) {
    slackCalls.inc({ method, status: 'network', error: '' });
    throw err;
  }
  slackSeconds.observe({ method }, (performance.now() - started) / 1000);
  const status = String(res.status);
  if (res.status === 200 && (res.headers.get('content-type') ?? '').includes('json')) {
    res
      .clone()
      .json()
      .then(
        (body: unknown) => {
          const b = body as { ok?: unknown; error?: unknown } | null;
          slackCalls.inc({ method, status, error: b?.ok === false ? String(b.error ?? 'unknown').slice(0, 60) : '' });
        },
        () => slackCalls.inc({ method, status, error: 'unreadable' }),
      );
  } else {
    slackCalls.inc({ method, status, error: '' });
  }
  return res;
};

// ---- outbox ----------------------------------------------------------------------------------

const outboxFailures = new Counter({
  name: 'dealdesk_outbox_failed_attempts_total',
  help: 'Outbox deliveries that failed, by op and reason; rate_limited, server_error, network and chart are retried (up to the attempt limit), slack_error, http_error and other are not.',
  labelNames: ['op', 'reason'],
  registers,
});

/** Called by the outbox sender for every delivery attempt that threw. */
export function outboxAttemptFailed(op: string, err: unknown): void {
  const e = err as { code?: string; statusCode?: number };
  const reason =
    e.code === ErrorCode.RateLimitedError
      ? 'rate_limited'
      : e.code === ErrorCode.PlatformError
        ? 'slack_error'
        : e.code === ErrorCode.RequestError
          ? 'network'
          : e.code === ErrorCode.HTTPError
            ? (e.statusCode ?? 0) >= 500
              ? 'server_error'
              : 'http_error'
            : e.code === 'dealdesk_chart_error'
              ? 'chart'
              : 'other';
  outboxFailures.inc({ op, reason });
}

// ---- scheduled jobs -------------------------------------------------------------------------

const jobRuns = new Counter({
  name: 'dealdesk_job_runs_total',
  help: 'Scheduled job runs (a slot claimed here), by job and outcome (ok, error).',
  labelNames: ['job', 'outcome'],
  registers,
});

const jobSeconds = new Histogram({
  name: 'dealdesk_job_duration_seconds',
  help: 'How long a scheduled job run took, by job (heavy jobs run in the analytics process; this is the wait for them).',
  labelNames: ['job'],
  buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
  registers,
});

/** Called by the scheduler when a run starts; the function it returns when the run ends. */
export function jobStarted(job: string): (outcome: 'ok' | 'error') => void {
  const started = performance.now();
  return (outcome) => {
    jobRuns.inc({ job, outcome });
    jobSeconds.observe({ job }, (performance.now() - started) / 1000);
  };
}

// ---- the event loop -------------------------------------------------------------------------

const LOOP_SAMPLE_MS = 10;
/**
 * Cumulative, never reset: two scrapes give the delays in between (scripts/bench.ts diffs
 * them per phase). A sample is how late a 10 ms timer fired, the interval itself excluded.
 */
const loopDelay = new Histogram({
  name: 'dealdesk_event_loop_delay_seconds',
  help: 'How late a 10 ms timer fired, sampled every 10 ms: the event loop was busy this long before it could run.',
  buckets: [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  registers,
});

let processMetrics = false;
function startProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  // CPU, memory, heap, GC, handles, and nodejs_eventloop_lag_* (those are since the last scrape).
  collectDefaultMetrics({ register: registry });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    loopDelay.observe(Math.max(0, now - last - LOOP_SAMPLE_MS) / 1000);
    last = now;
  }, LOOP_SAMPLE_MS);
  timer.unref();
}

// ---- what the database holds, read on scrape --------------------------------------------------

export interface MetricsSource {
  store: Store;
  /** The bot's clock (tests move it): ages and "overdue" are as of it. */
  now: () => number;
  tz: string;
  instanceId: string;
  mode: 'http' | 'socket';
  ready: () => Promise<boolean>;
}

// One bot a process; a second one started in the same process (tests) is read while it runs.
const sources: MetricsSource[] = [];
const source = (): MetricsSource | undefined => sources[sources.length - 1];

/** Start the process metrics and read the gauges from `s` until the returned function is called. */
export function bindMetrics(s: MetricsSource): () => void {
  startProcessMetrics();
  sources.push(s);
  return () => {
    const i = sources.indexOf(s);
    if (i >= 0) sources.splice(i, 1);
  };
}

const scrapeErrors = new Counter({
  name: 'dealdesk_scrape_errors_total',
  help: 'Gauges that could not be read on a scrape (the database unreachable, say), by metric; they are left out of that scrape.',
  labelNames: ['metric'],
  registers,
});

/** A gauge set from the database on every scrape; emptied when the read fails. */
function dbGauge(name: string, help: string, labelNames: string[], read: (g: Gauge, s: MetricsSource) => void | Promise<void>): Gauge {
  return new Gauge({
    name,
    help,
    labelNames,
    registers,
    async collect() {
      this.reset();
      const s = source();
      if (!s) return;
      try {
        await read(this, s);
      } catch {
        this.reset();
        scrapeErrors.inc({ metric: name });
      }
    },
  });
}

dbGauge('dealdesk_outbox_undelivered', 'Outbox messages not delivered yet (pending or being sent), by channel (a user id for a DM or App Home).', ['channel'], async (g, s) => {
  for (const r of await s.store.read(outboxBacklog)) g.set({ channel: r.channel }, r.n);
});

dbGauge('dealdesk_outbox_oldest_undelivered_age_seconds', 'Age of the oldest undelivered outbox message, by channel.', ['channel'], async (g, s) => {
  const now = s.now();
  for (const r of await s.store.read(outboxBacklog)) g.set({ channel: r.channel }, Math.max(0, (now - r.oldest) / 1000));
});

dbGauge('dealdesk_outbox_failed_messages', 'Outbox messages the sender gave up on (they stay in the table, state failed).', [], async (g, s) => {
  g.set(await s.store.read(outboxFailedCount));
});

dbGauge('dealdesk_approvals_past_deadline', 'Undecided approvals of pending contracts past their working-hours deadline, by function.', ['function'], async (g, s) => {
  for (const f of ['legal', 'finance']) g.set({ function: f }, 0);
  for (const r of await s.store.read((tx) => approvalsPastDeadline(tx, s.now()))) g.set({ function: r.fn }, r.n);
});

const RECEIVABLES_PAGE = 250;
let receivables: Promise<Map<string, { owed: number; n: number }>> | undefined;

/** Overdue totals per currency, in pages with the event loop free between them; one read at a time. */
function readReceivables(s: MetricsSource): Promise<Map<string, { owed: number; n: number }>> {
  receivables ??= (async () => {
    const today = localDate(s.now(), s.tz);
    const totals = new Map<string, { owed: number; n: number }>();
    let after: { dueDate: string; id: number } | undefined;
    do {
      const from = after;
      const page = await s.store.read((tx) => overdueReceivablesPage(tx, today, from, RECEIVABLES_PAGE));
      for (const r of page.rows) {
        const t = totals.get(r.currency) ?? { owed: 0, n: 0 };
        t.owed += r.owed;
        t.n += 1;
        totals.set(r.currency, t);
      }
      after = page.next;
      if (after) await yieldToLoop();
    } while (after);
    return totals;
  })().finally(() => {
    receivables = undefined;
  });
  return receivables;
}

dbGauge('dealdesk_receivables_overdue', 'Amount owed on overdue invoices (due before today in DEALDESK_TZ), per currency, in major units.', ['currency'], async (g, s) => {
  for (const [currency, t] of await readReceivables(s)) g.set({ currency }, t.owed / 10 ** currencyDigits(currency));
});

dbGauge('dealdesk_receivables_overdue_invoices', 'Overdue invoices with something owed, per currency.', ['currency'], async (g, s) => {
  for (const [currency, t] of await readReceivables(s)) g.set({ currency }, t.n);
});

new Gauge({
  name: 'dealdesk_ready',
  help: '1 when /readyz answers 200 (database readable, migrations current, outbox sender and scheduler running), else 0.',
  registers,
  async collect() {
    const s = source();
    this.set(s && (await s.ready()) ? 1 : 0);
  },
});

new Gauge({
  name: 'dealdesk_info',
  help: 'Always 1; its labels say which instance this is and how it talks to Slack (http or socket).',
  labelNames: ['instance_id', 'mode'],
  registers,
  collect() {
    this.reset();
    const s = source();
    if (s) this.set({ instance_id: s.instanceId, mode: s.mode }, 1);
  },
});

/** The Prometheus text exposition of everything above. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
