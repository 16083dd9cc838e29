/**
 * /healthz: the process is up and answering. /readyz: this instance can do its work — its
 * database file is readable and is the one it opened, migrated to the version this build
 * expects, and its outbox sender and scheduler are running — so a load balancer stops sending
 * Slack's requests to an instance that would only fail them.
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Store } from '../repos/store.ts';
import { appliedMigration, expectedMigration, schemaVersion } from '../repos/ops.ts';

export interface Check {
  name: 'database' | 'migrations' | 'outbox_sender' | 'scheduler';
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: Check[];
}

export interface ReadinessDeps {
  store: Store;
  /** The SQLite file; undefined on PostgreSQL. */
  path: string | undefined;
  senderRunning: () => boolean;
  schedulerRunning: () => boolean;
}

function fileId(path: string): string {
  const s = statSync(path);
  return `${s.dev}:${s.ino}`;
}

/** A readiness probe for one running bot; cheap (a stat and one small query) and never waits for a lock. */
export function readiness(deps: ReadinessDeps): () => Promise<Readiness> {
  const expected = expectedMigration(deps.store.dialect);
  // The file the bot opened. Moved or deleted under it, the bot would write to a file nobody
  // will find again: SQLite keeps the open file working, so only the path tells.
  const path = deps.path;
  const opened = path === undefined || path === ':memory:' ? undefined : fileId(path);
  return async () => {
    const checks = [await database(), await migrations(), running('outbox_sender', deps.senderRunning()), running('scheduler', deps.schedulerRunning())];
    return { ready: checks.every((c) => c.ok), checks };
  };

  async function database(): Promise<Check> {
    if (opened !== undefined && path !== undefined) {
      let now: string | undefined;
      try {
        now = fileId(path);
      } catch {
        now = undefined;
      }
      if (now !== opened) return { name: 'database', ok: false, detail: `${path} is no longer the file this instance opened (moved or deleted)` };
    }
    try {
      await deps.store.read(schemaVersion);
      return { name: 'database', ok: true, detail: 'readable' };
    } catch (err) {
      return { name: 'database', ok: false, detail: `cannot read it: ${messageOf(err)}` };
    }
  }

  async function migrations(): Promise<Check> {
    try {
      const applied = await deps.store.read(appliedMigration);
      if (applied.at === expected.at) return { name: 'migrations', ok: true, detail: `${applied.count} applied, the latest this build has` };
      return { name: 'migrations', ok: false, detail: `${applied.at < expected.at ? 'behind' : 'ahead of'} this build: latest applied ${applied.at}, expected ${expected.at}` };
    } catch (err) {
      return { name: 'migrations', ok: false, detail: `cannot read them: ${messageOf(err)}` };
    }
  }
}

function running(name: 'outbox_sender' | 'scheduler', yes: boolean): Check {
  return { name, ok: yes, detail: yes ? 'running' : 'not running' };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function answerHealth(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('ok');
}

/**
 * The readiness as JSON. `details` (the reasons, which may name the database's path or an
 * error's text) only where the operators read it: the metrics port, loopback by default.
 */
export async function answerReadiness(res: ServerResponse, ready: () => Promise<Readiness>, details = true): Promise<void> {
  const r = await ready();
  res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(details ? r : { ready: r.ready, checks: r.checks.map((c) => ({ name: c.name, ok: c.ok })) }));
}

/** /healthz and /readyz for the Slack port (Bolt custom routes); nothing else is served there. */
export function healthRoutes(ready: () => Promise<Readiness>): CustomRoute[] {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => answerHealth(res) },
    // The public port says which check fails, not why: the reasons are on METRICS_PORT.
    { path: '/readyz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => void answerReadiness(res, ready, false) },
  ];
}
