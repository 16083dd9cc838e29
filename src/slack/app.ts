import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { Deps } from './deps.ts';
import { idempotency, type RequestLedger } from './idempotency.ts';
import { registerListeners } from './listeners/index.ts';
import { handOverOnDisconnect } from './socket-handover.ts';

const healthz = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  },
};

/** Event-loop delay since the last `?reset`, and memory: for operators and `npm run bench`. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const metrics = {
  path: '/metrics',
  method: ['GET'],
  handler: (req: IncomingMessage, res: ServerResponse) => {
    const body = {
      eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e4) / 100,
      rssMb: Math.round(process.memoryUsage.rss() / 1048576),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (new URL(req.url ?? '/', 'http://localhost').searchParams.has('reset')) loopDelay.reset();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  },
};

export interface BuiltApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
}

/** The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events. */
export function buildApp(config: Config, logger: Logger, deps: Deps, ledger: RequestLedger): BuiltApp {
  const clientOptions = { slackApiUrl: config.apiUrl };
  const logLevel = logger.getLevel() as LogLevel;
  const receiver = config.appToken
    ? // A copy each: SocketModeClient writes its own retry policy into the options it is given,
      // which would otherwise leak into the bot's Web API client.
      new SocketModeReceiver({ appToken: config.appToken, logger, logLevel, customRoutes: [healthz, metrics], installerOptions: { port: config.port, clientOptions: { ...clientOptions } } })
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: '/slack/events',
        customRoutes: [healthz, metrics],
        logger,
        logLevel,
      });
  // No conversation store: nothing reads context.conversation, and it costs every request a lookup.
  const app = new App({ receiver, token: config.botToken, logger, logLevel, clientOptions: { ...clientOptions }, convoStore: false });
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
