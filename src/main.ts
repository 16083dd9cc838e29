import { ConfigError, loadConfig } from './config.ts';
import type { AppLogger } from './log.ts';
import { tidyHeapWhenIdle } from './ops/heap.ts';
import { startDealdesk } from './server.ts';

const USAGE = 'npm start [-- --demo] [--reset]   (--demo and --reset: the local workspace only, without SLACK_BOT_TOKEN)';
const FLAGS = ['--demo', '--reset'];

/** What runs until SIGTERM or SIGINT: the bot against Slack, or the local workspace. */
interface Service {
  logger: AppLogger;
  stop(): Promise<void>;
}

/** A shutdown that hangs (a request that never finishes) must still end the process. */
const STOP_DEADLINE_MS = 20_000;

let service: Service | undefined;
let signalled: NodeJS.Signals | undefined;

function shutdown(s: Service, signal: NodeJS.Signals): void {
  s.logger.info(`${signal}: shutting down`);
  setTimeout(() => {
    s.logger.error(`${signal}: still not stopped after ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  s.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      s.logger.error('shutdown failed', err);
      process.exit(1);
    },
  );
}

// Listening from the first moment: a signal during start-up stops the service once it is up.
// Only the first signal counts: Ctrl-C in a terminal reaches both npm and node, and npm
// forwards its copy, so a second SIGINT must not cut the clean shutdown short.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = signal;
    if (service) shutdown(service, signal);
  });
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function start(args: readonly string[]): Promise<Service> {
  const unknown = args.filter((a) => !FLAGS.includes(a));
  if (unknown.length > 0) fail(`dealdesk: unknown option ${unknown.join(' ')}. Usage: ${USAGE}`);
  // No bot token at all: run against the built-in stand-in for Slack (SPEC §4).
  if (!process.env.SLACK_BOT_TOKEN?.trim()) {
    const { runLocalWorkspace } = await import('./workspace/server.ts');
    const port = process.env.PORT?.trim() ? Number(process.env.PORT) : 3000;
    const ws = await runLocalWorkspace({ port, demo: args.includes('--demo'), reset: args.includes('--reset') });
    return { logger: ws.bot.logger, stop: () => ws.stop() };
  }
  const localOnly = args.filter((a) => FLAGS.includes(a));
  if (localOnly.length > 0) fail(`dealdesk: ${localOnly.join(' and ')} ${localOnly.length === 1 ? 'is' : 'are'} for the local workspace only, and SLACK_BOT_TOKEN is set, so nothing was started or deleted. Usage: ${USAGE}`);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  return startDealdesk(config);
}

// This process is the bot's alone (tests start theirs inside vitest's): its heap is tidied after bursts.
tidyHeapWhenIdle();

start(process.argv.slice(2)).then(
  (s) => {
    service = s;
    if (signalled) shutdown(s, signalled);
  },
  (err: unknown) => {
    process.stderr.write(`dealdesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
