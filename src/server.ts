import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { SocketModeReceiver } from '@slack/bolt';
import type { Config } from './config.ts';
import { createLogger, type AppLogger } from './log.ts';
import type { Db } from './repos/db.ts';
import { openStore } from './repos/open.ts';
import type { Store } from './repos/store.ts';
import { WebClient } from '@slack/web-api';
import { Approvers } from './slack/approvers.ts';
import { buildApp } from './slack/app.ts';
import { publishHome } from './slack/home.ts';
import { makeRender } from './slack/notices.ts';
import { Languages } from './slack/languages.ts';
import { OutboxSender, type SenderOptions } from './slack/outbox-sender.ts';
import { ctxFor, type Deps } from './slack/deps.ts';
import { RequestLedger } from './slack/idempotency.ts';
import { Scheduler } from './scheduler/index.ts';
import { jobEnv } from './scheduler/jobs.ts';
import { acquireAnalytics, releaseAnalytics } from './workers/client.ts';
import { healthRoutes, readiness } from './ops/health.ts';
import { bindMetrics, slackFetch } from './ops/metrics.ts';
import { startMetricsServer, type MetricsServer } from './ops/metrics-server.ts';

export interface Running {
  /** The port Slack requests (HTTP mode) or /healthz (Socket Mode) are served on. */
  port: number;
  /** Where GET /metrics (and /healthz, /readyz) are served: METRICS_HOST:METRICS_PORT. */
  metricsPort: number;
  store: Store;
  /** SQLite only: the bot's connection (tests read it directly). Throws on PostgreSQL. */
  readonly db: Db;
  logger: AppLogger;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: AppLogger;
  now?: () => number;
  /** Interface to listen on; all interfaces unless told. Tests use 127.0.0.1. */
  host?: string;
  outbox?: SenderOptions;
}

/** The password in DATABASE_URL, so that no log line ever carries it. */
export function databasePassword(config: Config): string | undefined {
  if (!config.databaseUrl) return undefined;
  try {
    return decodeURIComponent(new URL(config.databaseUrl).password) || undefined;
  } catch {
    return undefined;
  }
}

/** The bot's logger: every secret of the configuration redacted wherever it appears. `sink` takes the lines instead of stdout (tests). */
export function createBotLogger(config: Config, sink?: (line: string) => void): AppLogger {
  return createLogger(config.logLevel, [config.botToken, config.signingSecret, config.appToken, databasePassword(config)], sink, { format: config.logFormat, instance: config.instanceId });
}

/** loadConfig → openStore → services → slack app; nothing else. */
export async function startDealdesk(config: Config, opts: StartOptions = {}): Promise<Running> {
  const logger =
    opts.logger ?? createBotLogger(config);
  const store = await openStore(config);
  // Everyone's language is read before the first request, so the first DMs already follow it.
  const languages = new Languages(store, config.locale);
  await languages.refresh().catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  acquireAnalytics();
  const fmt = { tz: config.tz, locale: config.locale };
  const render = makeRender(config, fmt, (u) => languages.of(u));
  const webClient = new WebClient(config.botToken, { slackApiUrl: config.apiUrl, logger, fetch: slackFetch });
  const approvers = new Approvers(config, webClient);
  const now = opts.now ?? Date.now;
  const sender = new OutboxSender(store, config.botToken, config.apiUrl, logger, {
    // Its name in the channel leases shared with the other instances on this database.
    holder: config.instanceId,
    ...opts.outbox,
    publishHome: (userId) => publishHome({ store, approvers, now, fmt, languages, config }, webClient, userId),
  });
  const deps: Deps = {
    store,
    config,
    logger,
    fmt,
    languages,
    now,
    // Rendering happens inside the change's transaction; the microtask runs after it commits.
    render: (notices) => {
      const items = render(notices);
      if (items.length > 0) queueMicrotask(() => sender.kick());
      return items;
    },
    approvers,
  };
  const scheduler = new Scheduler({ store, policy: config.policy, tz: config.tz, logger, now: deps.now, ctx: (actor) => ctxFor(deps, actor), env: jobEnv(config) });
  const ledger = new RequestLedger(store, config.databasePath, logger);
  // What /readyz reports: the sender and the scheduler count as running from their start to stop().
  const running = { sender: false, scheduler: false };
  const ready = readiness({ store, path: store.dialect === 'sqlite' ? config.databasePath : undefined, senderRunning: () => running.sender, schedulerRunning: () => running.scheduler });
  const { app, receiver } = buildApp(config, logger, deps, ledger, healthRoutes(ready));
  let port: number;
  let metrics: MetricsServer;
  try {
    if (receiver instanceof SocketModeReceiver) {
      await app.start();
      // Bolt starts the /healthz server without waiting for it to listen.
      const health = (receiver as unknown as { httpServer?: Server }).httpServer;
      if (health && !health.listening) await once(health, 'listening');
      port = (health?.address() as AddressInfo | null | undefined)?.port ?? config.port;
    } else {
      const server = (await app.start({ port: config.port, host: opts.host })) as Server;
      port = (server.address() as AddressInfo).port;
    }
    metrics = await startMetricsServer(config.metricsHost, config.metricsPort, ready, logger).catch(async (err: unknown) => {
      await app.stop();
      throw err;
    });
  } catch (err) {
    await ledger.close(0);
    await store.close();
    throw err;
  }
  const unbindMetrics = bindMetrics({ store, now, tz: config.tz, instanceId: config.instanceId, mode: config.appToken ? 'socket' : 'http', ready: async () => (await ready()).ready });
  sender.start();
  running.sender = true;
  scheduler.start();
  running.scheduler = true;
  logger.info(`dealdesk is up (${config.appToken ? 'Socket Mode' : 'HTTP mode'}) on port ${port}; metrics on ${config.metricsHost}:${metrics.port}`);
  let stopped = false;
  return {
    port,
    metricsPort: metrics.port,
    store,
    get db(): Db {
      if (!store.sqlite) throw new Error('this bot runs on PostgreSQL: read it through `store`');
      return store.sqlite;
    },
    logger,
    scheduler,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Not ready from here on, so a load balancer stops sending while we drain.
      running.sender = running.scheduler = false;
      // Stop taking requests (in-flight ones finish), then let the job in hand finish.
      await app.stop();
      await ledger.close();
      await scheduler.stop();
      // Deliver what the last requests enqueued; whatever is left is sent after the next start.
      await sender.flush(5000);
      await sender.stop();
      await releaseAnalytics();
      unbindMetrics();
      await metrics.close();
      await store.close();
    },
  };
}
