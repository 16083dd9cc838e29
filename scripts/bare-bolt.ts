/**
 * The floor for the bench: a bare Bolt app with the same receiver as dealdesk (HTTPReceiver,
 * signature checks, POST /slack/events) whose `/client` handler only acks 'ok'.
 *
 *   SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=… SLACK_API_URL=… PORT=… node --import tsx scripts/bare-bolt.ts
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const signingSecret = process.env.SLACK_SIGNING_SECRET ?? '';
const port = Number(process.env.PORT ?? 3000);
const receiver = new HTTPReceiver({
  signingSecret,
  endpoints: '/slack/events',
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200).end('ok') }],
  logLevel: LogLevel.WARN,
});
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN,
  logLevel: LogLevel.WARN,
  clientOptions: process.env.SLACK_API_URL ? { slackApiUrl: process.env.SLACK_API_URL } : {},
});
app.command('/client', async ({ ack }) => {
  await ack('ok');
});

await app.start({ port, host: '127.0.0.1' });
const stop = () => void app.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
