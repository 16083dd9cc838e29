/**
 * Operating dealdesk (issue 19): Prometheus metrics on their own loopback port, JSON logs that
 * carry the Slack request's ids, /healthz and /readyz on both ports, readiness that follows the
 * database.
 */
import { renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger, defaultInstanceId } from '../src/log.ts';
import { histogramBetween, parsePrometheusText, sampleValue, type Sample } from '../src/ops/prom-text.ts';
import { JOBS } from '../src/scheduler/jobs.ts';
import { ACTION } from '../src/slack/ids.ts';
import { baseEnv, buttons, CHANNELS, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';
import { levelOf, parseLog } from './helpers/logs.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await h?.close();
});

const metricsBase = () => `http://127.0.0.1:${h.bot.metricsPort}`;
const slackBase = () => `http://127.0.0.1:${h.bot.port}`;

async function scrape(): Promise<Sample[]> {
  const r = await fetch(`${metricsBase()}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusText(await r.text());
}

/** Scrape until `pred` holds (a count that moves when a Web API answer has been read, say). */
async function scrapeUntil(pred: (s: Sample[]) => boolean, ms = 8000): Promise<Sample[]> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await scrape();
    if (pred(s) || Date.now() > until) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const moved = (before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);

async function submitContract(client: string): Promise<number> {
  const r = await h.emu.slashCommand({ command: '/contract', text: `new ${client} amount:5,000 EUR net:30 kind:services subject:Monitoring`, user_id: USERS.seller });
  const id = Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]);
  expect(id, readable(r.body)).toBeGreaterThan(0);
  return id;
}

const delivered = (id: number, channel: string) => (c: { failed?: boolean; args: any }) => !c.failed && c.args.channel === channel && !c.args.thread_ts && readable(c.args).includes(`Contract #${id} `);

async function drained(): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until && (h.bot.db.$client.prepare("SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')").get() as { n: number }).n > 0) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

describe('Prometheus metrics', () => {
  it('a command, a click and a 429 move the counters', async () => {
    await drained();
    const before = await scrape();
    const card = await h.emu.slashCommand({ command: '/client', text: 'add Metrics Ltd', user_id: USERS.seller });
    expect(readable(card.body)).toContain('Added client');
    const history = buttons(card.body).find((b) => b.action_id === ACTION.clientHistory)!;
    const click = await h.emu.blockAction({ action_id: ACTION.clientHistory, value: history.value, user_id: USERS.seller });
    await h.emu.waitForResponse((p) => p.id === click.responseUrlId);

    h.emu.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '1' } });
    const id = await submitContract('Metrics Ltd');
    await h.emu.waitFor('chat.postMessage', delivered(id, CHANNELS.legal), 10_000);
    await h.emu.waitFor('chat.postMessage', delivered(id, CHANNELS.finance), 10_000);
    const after = await scrapeUntil((s) => moved(before, s, 'dealdesk_slack_api_calls_total', { method: 'chat.postMessage', status: '200', error: '' }) >= 2);

    expect(moved(before, after, 'dealdesk_requests_total', { kind: 'command', outcome: 'ok' })).toBe(2);
    expect(moved(before, after, 'dealdesk_requests_total', { kind: 'action', outcome: 'ok' })).toBe(1);
    expect(moved(before, after, 'dealdesk_ack_duration_seconds_count', { kind: 'command' })).toBe(2);
    expect(moved(before, after, 'dealdesk_ack_duration_seconds_count', { kind: 'action' })).toBe(1);
    // Acks on loopback take milliseconds: all three are within the 3-second bucket.
    expect(moved(before, after, 'dealdesk_ack_duration_seconds_bucket', { le: '3' })).toBe(3);

    expect(moved(before, after, 'dealdesk_slack_api_calls_total', { method: 'chat.postMessage', status: '429' })).toBe(1);
    expect(moved(before, after, 'dealdesk_slack_api_calls_total', { method: 'chat.postMessage', status: '200', error: '' })).toBeGreaterThanOrEqual(2);
    expect(moved(before, after, 'dealdesk_slack_api_call_duration_seconds_count', { method: 'chat.postMessage' })).toBeGreaterThanOrEqual(3);
    expect(moved(before, after, 'dealdesk_outbox_failed_attempts_total', { op: 'post', reason: 'rate_limited' })).toBe(1);

    // The process itself, and the event-loop delay the bench reads.
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(moved(before, after, 'dealdesk_event_loop_delay_seconds_count')).toBeGreaterThan(10);
    expect(sampleValue(after, 'dealdesk_info', { instance_id: h.config.instanceId, mode: 'http' })).toBe(1);
  });

  it('a Slack error answer is counted under its error code, and the request that met it as an error', async () => {
    const card = (await h.emu.slashCommand({ command: '/client', text: 'Metrics Ltd', user_id: USERS.seller })).body;
    const lost = buttons(card).find((b) => b.action_id === ACTION.clientLost)!;
    const before = await scrape();
    h.emu.failNext('views.open', 1, { status: 200, body: { ok: false, error: 'invalid_arguments' } });
    await h.emu.blockAction({ action_id: ACTION.clientLost, value: lost.value, user_id: USERS.seller });
    const after = await scrapeUntil((s) => moved(before, s, 'dealdesk_requests_total', { kind: 'action', outcome: 'error' }) === 1);
    expect(moved(before, after, 'dealdesk_slack_api_calls_total', { method: 'views.open', status: '200', error: 'invalid_arguments' })).toBe(1);
    expect(moved(before, after, 'dealdesk_requests_total', { kind: 'action', outcome: 'error' })).toBe(1);
  });

  it('outbox backlog and age per channel, approvals past deadline and overdue receivables are read on scrape', async () => {
    await drained();
    const quiet = await scrape();
    expect(quiet.filter((s) => s.name === 'dealdesk_outbox_undelivered')).toEqual([]);
    expect(sampleValue(quiet, 'dealdesk_outbox_failed_messages')).toBe(0);

    // Slack holds the first post back for a while; the row waits, and grows old on the bot's clock.
    h.emu.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '4' } });
    await h.emu.slashCommand({ command: '/client', text: 'add Backlog Ltd', user_id: USERS.seller });
    const id = await submitContract('Backlog Ltd');
    await h.emu.waitFor('chat.postMessage', (c) => c.failed === true);
    h.clock.advance(120_000);
    const waiting = await scrape();
    // The approval request held back (and whatever queued behind it in that channel).
    const limited = h.emu.calls.find((c) => c.method === 'chat.postMessage' && c.failed)!.args.channel as string;
    expect(sampleValue(waiting, 'dealdesk_outbox_undelivered', { channel: limited })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(waiting, 'dealdesk_outbox_oldest_undelivered_age_seconds', { channel: limited })).toBeGreaterThanOrEqual(120);
    const channels = (name: string) => waiting.filter((s) => s.name === name).map((s) => s.labels.channel).sort();
    expect(channels('dealdesk_outbox_oldest_undelivered_age_seconds')).toEqual(channels('dealdesk_outbox_undelivered'));
    await h.emu.waitFor('chat.postMessage', delivered(id, CHANNELS.legal), 10_000);
    await h.emu.waitFor('chat.postMessage', delivered(id, CHANNELS.finance), 10_000);
    await drained();
    expect((await scrape()).filter((s) => s.name === 'dealdesk_outbox_undelivered')).toEqual([]);

    // Nobody decides for a week: both approvals are past their 24 working hours.
    expect(sampleValue(waiting, 'dealdesk_approvals_past_deadline', { function: 'legal' })).toBe(0);
    const inv = await h.emu.slashCommand({ command: '/invoice', text: 'add Backlog Ltd 1,234.50 EUR net:1', user_id: USERS.finance });
    expect(readable(inv.body)).toContain('Issued invoice');
    const fresh = await scrape();
    expect(sampleValue(fresh, 'dealdesk_receivables_overdue', { currency: 'EUR' })).toBe(0);
    h.clock.advance(7 * 24 * 3600_000);
    const late = await scrape();
    // Both contracts (this one and the first test's) wait for both functions.
    expect(sampleValue(late, 'dealdesk_approvals_past_deadline', { function: 'legal' })).toBe(2);
    expect(sampleValue(late, 'dealdesk_approvals_past_deadline', { function: 'finance' })).toBe(2);
    expect(sampleValue(late, 'dealdesk_receivables_overdue', { currency: 'EUR' })).toBe(1234.5);
    expect(sampleValue(late, 'dealdesk_receivables_overdue_invoices', { currency: 'EUR' })).toBe(1);
    expect(sampleValue(late, 'dealdesk_scrape_errors_total')).toBe(0);
  });

  it('a scheduled job run is counted and timed by job', async () => {
    const before = await scrape();
    expect(await h.bot.scheduler.runSlot(JOBS.approvals, h.clock.now())).toBe(true);
    const after = await scrape();
    expect(moved(before, after, 'dealdesk_job_runs_total', { job: 'approvals', outcome: 'ok' })).toBe(1);
    expect(moved(before, after, 'dealdesk_job_duration_seconds_count', { job: 'approvals' })).toBe(1);
  });

  it('/metrics is not on the Slack port; the metrics port serves only GET and ignores query strings', async () => {
    expect((await get(`${slackBase()}/metrics`)).status).toBe(404);
    expect((await get(`${slackBase()}/metrics?reset=1`)).status).toBe(404);
    expect((await fetch(`${metricsBase()}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await get(`${metricsBase()}/anything`)).status).toBe(404);
    // No query string resets anything: counters only grow.
    const a = await scrape();
    const r = await get(`${metricsBase()}/metrics?reset=1`);
    expect(r.status).toBe(200);
    const b = parsePrometheusText(r.text);
    expect(sampleValue(b, 'dealdesk_event_loop_delay_seconds_count')).toBeGreaterThanOrEqual(sampleValue(a, 'dealdesk_event_loop_delay_seconds_count'));
    expect(sampleValue(b, 'dealdesk_requests_total')).toBe(sampleValue(a, 'dealdesk_requests_total'));
  });

  it('the event-loop delay between two scrapes, as npm run bench reads it', async () => {
    const text = (counts: Record<string, number>) =>
      Object.entries(counts)
        .map(([le, n]) => `dealdesk_event_loop_delay_seconds_bucket{le="${le}"} ${n}`)
        .join('\n');
    const a = parsePrometheusText(text({ '0.001': 100, '0.01': 100, '0.1': 100, '+Inf': 100 }));
    const b = parsePrometheusText(text({ '0.001': 198, '0.01': 199, '0.1': 200, '+Inf': 200 }));
    // 100 samples in between: 98 under 1 ms, one under 10 ms, one under 100 ms.
    expect(histogramBetween(a, b, 'dealdesk_event_loop_delay_seconds')).toEqual({ count: 100, p99: expect.closeTo(0.01, 9), max: 0.1 });
    expect(histogramBetween(b, b, 'dealdesk_event_loop_delay_seconds')).toBeUndefined();
    // And from the bot: a quarter of a second holds about 25 samples.
    const s0 = await scrape();
    await new Promise((r) => setTimeout(r, 250));
    const d = histogramBetween(s0, await scrape(), 'dealdesk_event_loop_delay_seconds');
    expect(d?.count).toBeGreaterThan(5);
    expect(d!.p99).toBeLessThan(1);
  });

  it('listens on loopback unless METRICS_HOST says otherwise', () => {
    const c = loadConfig(baseEnv('http://127.0.0.1:1/api/', '/tmp/x.db'));
    expect(c.metricsHost).toBe('127.0.0.1');
    const { METRICS_PORT: _m, ...rest } = baseEnv('http://127.0.0.1:1/api/', '/tmp/x.db');
    expect(loadConfig(rest)).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1', logFormat: 'json' });
    expect(loadConfig({ ...rest, METRICS_HOST: '0.0.0.0', METRICS_PORT: '9100', LOG_FORMAT: 'pretty', DEALDESK_INSTANCE_ID: 'pod-7' })).toMatchObject({
      metricsPort: 9100,
      metricsHost: '0.0.0.0',
      logFormat: 'pretty',
      instanceId: 'pod-7',
    });
  });
});

describe('logs', () => {
  it('are one JSON object a line; the lines written while handling a request carry its ids', async () => {
    const before = await scrape();
    const trigger = 'T0OPS.replayed-trigger';
    await h.emu.slashCommand({ command: '/client', text: 'Metrics Ltd', user_id: USERS.seller2, trigger_id: trigger });
    const again = await h.emu.slashCommand({ command: '/client', text: 'Metrics Ltd', user_id: USERS.seller2, trigger_id: trigger });
    expect(readable(again.body)).toContain('already received');
    expect(moved(before, await scrape(), 'dealdesk_requests_total', { kind: 'command', outcome: 'duplicate' })).toBe(1);

    expect(h.logs.filter((l) => levelOf(l) === undefined)).toEqual([]);
    const line = h.logs.map(parseLog).find((l) => l.msg.includes('duplicate delivery ignored') && l.trigger_id === trigger);
    expect(line, 'the duplicate delivery line').toBeDefined();
    expect(line).toMatchObject({ level: 'info', instance: defaultInstanceId(), kind: 'command', team: expect.stringMatching(/^T/), user: USERS.seller2, command: '/client' });
    expect(Date.parse(line!.time)).toBeGreaterThan(0);

    // An error while handling a click: its line has the click's ids and the stack.
    const error = h.logs.map(parseLog).find((l) => l.level === 'error' && l.action_id === ACTION.clientLost);
    expect(error, 'the failed click of the earlier test').toBeDefined();
    expect(error).toMatchObject({ kind: 'action', user: USERS.seller, trigger_id: expect.any(String) });
    expect(error!.err?.stack).toContain('invalid_arguments');
    // Outside any request (the start line): no request fields.
    const up = h.logs.map(parseLog).find((l) => l.msg.startsWith('dealdesk is up'))!;
    expect(up.trigger_id).toBeUndefined();
  });

  it('LOG_FORMAT=pretty prints the same fields for people', () => {
    const lines: string[] = [];
    const log = createLogger('info', ['xoxb-1-2-prettysecret'], (l) => lines.push(l), { format: 'pretty', instance: 'pod-3' });
    log.warn('outbox slow for xoxb-1-2-prettysecret', new Error('boom'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN dealdesk outbox slow for \[redacted\] Error: boom \[instance=pod-3\]\nError: boom\n\s+at /);
  });
});

describe('health and readiness', () => {
  const ready = async (base: string) => {
    const r = await fetch(`${base}/readyz`);
    return { status: r.status, body: (await r.json()) as { ready: boolean; checks: { name: string; ok: boolean; detail: string }[] } };
  };
  const failing = (b: { checks: { name: string; ok: boolean }[] }) => b.checks.filter((c) => !c.ok).map((c) => c.name);

  it('both ports answer /healthz and /readyz while all is well', async () => {
    for (const base of [slackBase(), metricsBase()]) {
      expect(await get(`${base}/healthz`)).toEqual({ status: 200, text: 'ok' });
      const r = await ready(base);
      expect(r.status, base).toBe(200);
      expect(r.body.checks.map((c) => c.name)).toEqual(['database', 'migrations', 'outbox_sender', 'scheduler']);
    }
    expect(sampleValue(await scrape(), 'dealdesk_ready')).toBe(1);
  });

  it('/readyz fails while the database file is moved away, and recovers when it is back', async () => {
    const path = h.config.databasePath;
    renameSync(path, `${path}.moved`);
    try {
      for (const base of [slackBase(), metricsBase()]) {
        const r = await ready(base);
        expect(r.status).toBe(503);
        expect(failing(r.body)).toEqual(['database']);
      }
      // The reason, which names the file, only on the metrics port.
      expect((await ready(metricsBase())).body.checks[0]!.detail).toContain('no longer the file');
      expect((await ready(slackBase())).body.checks[0]!.detail).toBeUndefined();
      expect(sampleValue(await scrape(), 'dealdesk_ready')).toBe(0);
      // Still alive: a load balancer restarts on /healthz, routes on /readyz.
      expect((await get(`${slackBase()}/healthz`)).status).toBe(200);
    } finally {
      renameSync(`${path}.moved`, path);
    }
    expect((await ready(slackBase())).status).toBe(200);
    expect((await ready(metricsBase())).status).toBe(200);
  });

  it('/readyz fails while the migrations cannot be read, and recovers', async () => {
    const other = new Database(h.config.databasePath);
    try {
      other.exec('ALTER TABLE __drizzle_migrations RENAME TO __drizzle_migrations_gone');
      try {
        const r = await ready(metricsBase());
        expect(r.status).toBe(503);
        expect(failing(r.body)).toEqual(['migrations']);
        expect(r.body.checks[1]!.detail).toContain('no such table');
        expect(failing((await ready(slackBase())).body)).toEqual(['migrations']);
      } finally {
        other.exec('ALTER TABLE __drizzle_migrations_gone RENAME TO __drizzle_migrations');
      }
      // A database a migration behind this build.
      const last = other.prepare('SELECT rowid AS row, hash, created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as { row: number; hash: string; created_at: number };
      other.prepare('DELETE FROM __drizzle_migrations WHERE rowid = ?').run(last.row);
      try {
        const behind = await ready(metricsBase());
        expect(behind.status).toBe(503);
        expect(behind.body.checks[1]!.detail).toMatch(/^behind this build/);
      } finally {
        other.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(last.hash, last.created_at);
      }
    } finally {
      other.close();
    }
    expect((await ready(slackBase())).status).toBe(200);
  });

  it('stop() makes the instance unready before it stops answering', async () => {
    // Slack is down, so stop() spends its last seconds trying to deliver what is queued.
    h.emu.failNext('chat.postMessage', 1000, { status: 503 });
    await h.emu.slashCommand({ command: '/client', text: 'add Draining Ltd', user_id: USERS.seller });
    await submitContract('Draining Ltd');
    const stopping = h.bot.stop();
    // The metrics port stays up until the end of stop(): it reports the drain.
    const r = await ready(metricsBase());
    expect(r.status).toBe(503);
    expect(failing(r.body)).toEqual(['outbox_sender', 'scheduler']);
    await stopping;
    await expect(fetch(`${metricsBase()}/healthz`)).rejects.toThrow();
    h.emu.reset();
    await h.restart();
    expect((await ready(slackBase())).status).toBe(200);
  });
});
