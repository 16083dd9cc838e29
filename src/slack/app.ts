import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute, type Logger } from '@slack/bolt';
import type { Config } from '../config.ts';
import { slackFetch } from '../ops/metrics.ts';
import { observeRequests } from '../ops/requests.ts';
import type { Deps } from './deps.ts';
import { idempotency, type RequestLedger } from './idempotency.ts';
import { registerListeners } from './listeners/index.ts';
import { handOverOnDisconnect } from './socket-handover.ts';

export interface BuiltApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
}

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events.
 * `routes` (/healthz, /readyz) are served beside it, on the same port.
 */
export function buildApp(config: Config, logger: Logger, deps: Deps, ledger: RequestLedger, routes: CustomRoute[]): BuiltApp {
  const clientOptions = { slackApiUrl: config.apiUrl, fetch: slackFetch };
  const logLevel = logger.getLevel() as LogLevel;
  const receiver = config.appToken
    ? // A copy each: SocketModeClient writes its own retry policy into the options it is given,
      // which would otherwise leak into the bot's Web API client.
      new SocketModeReceiver({ appToken: config.appToken, logger, logLevel, customRoutes: routes, installerOptions: { port: config.port, clientOptions: { ...clientOptions } } })
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: '/slack/events',
        customRoutes: routes,
        logger,
        logLevel,
      });
  // No conversation store: nothing reads context.conversation, and it costs every request a lookup.
  const app = new App({ receiver, token: config.botToken, logger, logLevel, clientOptions: { ...clientOptions }, convoStore: false });
  observeRequests(app);
  app.error(async (err) => {
    logger.error('unhandled error in a listener', err);
  });
  if (receiver instanceof SocketModeReceiver) {
    // The same client class Bolt made (@slack/socket-mode is Bolt's dependency, not ours).
    const Client = receiver.client.constructor as new (opts: { appToken: string; logger: Logger; logLevel: LogLevel; clientOptions: Record<string, unknown> }) => SocketModeReceiver['client'];
    handOverOnDisconnect(receiver, () => new Client({ appToken: config.appToken!, logger, logLevel, clientOptions: { ...clientOptions } }), logger);
  }
  app.use(idempotency(deps, ledger));
  registerListeners(app, deps);
  return { app, receiver };
}
