/**
 * The local workspace: `npm start` without SLACK_BOT_TOKEN.
 *
 * One process holds three loopback servers:
 *  - the Slack stand-in (./emulator.ts — the same one the tests use): the bot's Web API, upload
 *    URLs and response_urls;
 *  - the bot itself (startDealdesk, HTTP mode) — it gets every interaction as Slack would send
 *    it: signed POSTs to /slack/events;
 *  - this server: the web page (./page/) and the small JSON API it drives, on PORT.
 *
 * The page never talks to the bot directly: a typed slash command, a click, a modal submit all
 * become the emulator's deliveries, and what the page shows is the emulator's conversation state.
 *
 * The parts: the people and channels (./personas.ts), the driver (./driver.ts) with the client's
 * side of each interaction (./client.ts), the page's HTTP API (./routes.ts), the conversations
 * kept next to the database (./persistence.ts) and the demo company (./demo.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../config.ts';
import { createLogger, type AppLogger } from '../log.ts';
import { startDealdesk, type Running } from '../server.ts';
import type { SenderOptions } from '../slack/outbox-sender.ts';
import { seedDemo } from './demo.ts';
import { WorkspaceDriver, type DemoSummary } from './driver.ts';
import { SlackEmulator } from './emulator.ts';
import { Persistence, wipeLocalWorkspace } from './persistence.ts';
import { LOCAL_BOT_TOKEN, personasFor } from './personas.ts';
import { listen } from './routes.ts';

export { stateValues } from './client.ts';
export { HttpError, WorkspaceDriver } from './driver.ts';
export { wipeLocalWorkspace } from './persistence.ts';
export { CHANNELS, LOCAL_BOT_TOKEN, PEOPLE, WORKSPACE_NAME, type Person, type Role } from './personas.ts';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface LocalWorkspaceOptions {
  /** Port of the web page; 0 picks a free one (see the returned `port`). */
  port: number;
  /** Seed the demo company once the bot is up (in the background; see `demoDone`). */
  demo: boolean;
  /** SQLite file; default DATABASE_PATH from `env`, else ./data/dealdesk.db. */
  databasePath?: string;
  logger?: AppLogger;
  /** Where DATABASE_PATH, DEALDESK_TZ, LOG_LEVEL and DEALDESK_POLICY are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** Keep the conversations next to the database (`<db>.workspace.json`); default true. */
  persist?: boolean;
  /** Outbox pacing; the local stand-in has no rate limits, so the default is brisk. */
  outbox?: SenderOptions;
  /** Start afresh: delete the database and the kept conversations before starting (see localFiles). */
  reset?: boolean;
}

export interface LocalWorkspace {
  /** The page's port. */
  port: number;
  /** http://localhost:<port> */
  url: string;
  emu: SlackEmulator;
  bot: Running;
  config: Config;
  /** Settles when the demo seeding started by `demo: true` is over (undefined without it). */
  demoDone: Promise<DemoSummary> | undefined;
  /** With `reset: true`: the files deleted before starting. */
  wiped?: string[];
  /** What the page does, callable directly. */
  driver: WorkspaceDriver;
  stop(): Promise<void>;
}

/**
 * Starts the stand-in for Slack, the bot against it, and the page on 127.0.0.1:`port`.
 * Throws ConfigError for a bad DEALDESK_TZ / LOG_LEVEL / DEALDESK_POLICY.
 */
export async function startLocalWorkspace(opts: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const env = opts.env ?? process.env;
  const databasePath = opts.databasePath ?? nonEmpty(env.DATABASE_PATH) ?? './data/dealdesk.db';
  const wiped = opts.reset ? wipeLocalWorkspace(databasePath) : undefined;
  const emu = await SlackEmulator.start({ signingSecret: randomBytes(16).toString('hex'), botToken: LOCAL_BOT_TOKEN, tsBase: Math.floor(Date.now() / 1000), keepCalls: 2000 });
  let bot: Running | undefined;
  let server: Server | undefined;
  let persistence: Persistence | undefined;
  try {
    const config = loadConfig({
      SLACK_BOT_TOKEN: LOCAL_BOT_TOKEN,
      SLACK_SIGNING_SECRET: emu.signingSecret,
      SLACK_API_URL: emu.apiUrl,
      PORT: '0',
      // The page's stand-in bot serves its metrics on a loopback port of its own choosing.
      METRICS_PORT: env.METRICS_PORT ?? '0',
      DATABASE_PATH: databasePath,
      LEGAL_CHANNEL_ID: 'C0LEGAL',
      FINANCE_CHANNEL_ID: 'C0FINANCE',
      SALES_CHANNEL_ID: 'C0SALES',
      LEGAL_APPROVERS: 'U0LEGAL',
      FINANCE_APPROVERS: 'U0FINANCE',
      ADMINS: 'U0ADMIN',
      DEALDESK_TZ: env.DEALDESK_TZ ?? 'UTC',
      LOG_LEVEL: env.LOG_LEVEL,
      DEALDESK_POLICY: env.DEALDESK_POLICY,
      DEALDESK_LOCALE: env.DEALDESK_LOCALE,
    });
    // The workspace's people and channels, in its language (a Bulgarian company with DEALDESK_LOCALE=bg).
    const personas = personasFor(config.locale);
    for (const p of personas.people) emu.setUser(p.id, { name: p.name, real_name: p.realName, tz: nonEmpty(env.DEALDESK_TZ) ?? 'UTC' });
    for (const c of personas.channels) emu.setChannel(c.id, { name: c.name, topic: c.topic });
    const logger = opts.logger ?? createLogger(config.logLevel, [config.botToken, config.signingSecret]);
    if (opts.persist !== false && databasePath !== ':memory:') {
      persistence = new Persistence(emu, databasePath, logger);
      persistence.load();
    }
    bot = await startDealdesk(config, { host: '127.0.0.1', logger, outbox: opts.outbox ?? { perChannelMs: 100, pollMs: 250 } });
    emu.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    const running = bot;
    const driver = new WorkspaceDriver(emu, () => running, logger, seedDemo, config.locale);
    const listening = await listen(driver, opts.port, logger);
    server = listening.server;
    const port = listening.port;
    const demoDone = opts.demo
      ? driver.demo().catch((err: unknown) => {
          logger.error('local workspace: the demo could not be seeded', err);
          throw err;
        })
      : undefined;
    // An unobserved rejection must not take the process down; callers may still await it.
    demoDone?.catch(() => undefined);
    let stopped = false;
    const httpServer = server;
    return {
      port,
      url: `http://localhost:${port}`,
      emu,
      bot,
      config,
      demoDone,
      ...(wiped ? { wiped } : {}),
      driver,
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((r) => {
          httpServer.close(() => r());
          httpServer.closeAllConnections();
        });
        await running.stop();
        persistence?.stop();
        await emu.close();
      },
    };
  } catch (err) {
    if (server) server.close();
    await bot?.stop().catch(() => undefined);
    persistence?.stop();
    await emu.close();
    throw err;
  }
}

/**
 * `npm start` without SLACK_BOT_TOKEN: start and print the address; the caller (src/main.ts)
 * stops it on SIGTERM/SIGINT. Exits with one sentence when it cannot start.
 */
export async function runLocalWorkspace(opts: { port: number; demo: boolean; reset?: boolean }): Promise<LocalWorkspace> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write('dealdesk cannot start the local workspace: PORT must be a port number from 0 to 65535.\n');
    process.exit(1);
  }
  let ws: LocalWorkspace;
  try {
    ws = await startLocalWorkspace(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const msg =
      e.code === 'EADDRINUSE'
        ? `port ${opts.port} is already in use: set PORT to a free port (e.g. PORT=3001 npm start)`
        : e.name === 'ConfigError'
          ? e.message
          : e.message ?? String(err);
    process.stderr.write(`dealdesk cannot start the local workspace: ${msg}\n`);
    process.exit(1);
  }
  if (ws.wiped) process.stdout.write(`dealdesk --reset: ${ws.wiped.length === 0 ? 'nothing to delete' : `deleted ${ws.wiped.join(', ')}`}; starting afresh\n`);
  process.stdout.write(`dealdesk local workspace: ${ws.url}\n`);
  process.stdout.write(`  (no SLACK_BOT_TOKEN, so dealdesk runs against a built-in stand-in for Slack; database ${ws.config.databasePath})\n`);
  if (ws.demoDone) {
    process.stdout.write('  seeding the demo company…\n');
    ws.demoDone.then(
      (s) => process.stdout.write(s.skipped ? `  demo: ${s.message}\n` : `  demo ready: ${s.message}\n`),
      (err: unknown) => process.stderr.write(`  demo failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  }
  return ws;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s : undefined;
}
