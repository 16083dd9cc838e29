import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { answerHealth, answerReadiness, type Readiness } from './health.ts';
import { scrape } from './metrics.ts';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics (Prometheus text format), /healthz and /readyz on METRICS_HOST:METRICS_PORT —
 * loopback unless told, never the public Slack port. Read-only: a query string changes nothing.
 */
export async function startMetricsServer(host: string, port: number, ready: () => Promise<Readiness>, logger: Logger): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('only GET\n');
      return;
    }
    if (path === '/healthz') return answerHealth(res);
    if (path === '/readyz') return answerReadiness(res, ready);
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: /metrics, /healthz and /readyz are served here\n');
      return;
    }
    scrape().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
      (err: unknown) => {
        logger.error('metrics scrape failed', err);
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('scrape failed\n');
      },
    );
  });
  // Prometheus keeps its connections open between scrapes; they must not hold up a shutdown.
  server.keepAliveTimeout = 65_000;
  // Listening, or the reason it cannot; after that a server error is logged, never thrown.
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(new Error(`METRICS_PORT ${port} on ${host}: ${err.message}`));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      server.on('error', (err) => logger.error('metrics server error', err));
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    // A scrape in progress is answered; idle keep-alive connections are closed at once.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
