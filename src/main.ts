import { ConfigError, loadConfig } from './config.ts';
import { startDealdesk } from './server.ts';

async function main(): Promise<void> {
  // No bot token at all: run against the built-in stand-in for Slack (SPEC §4).
  if (!process.env.SLACK_BOT_TOKEN?.trim()) {
    const { runLocalWorkspace } = await import('./workspace/server.ts');
    const port = process.env.PORT?.trim() ? Number(process.env.PORT) : 3000;
    return runLocalWorkspace({ port, demo: process.argv.includes('--demo') });
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startDealdesk(config);
  const shutdown = (signal: string) => {
    running.logger.info(`${signal}: shutting down`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        running.logger.error('shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`dealdesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
