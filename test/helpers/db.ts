import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { policySchema } from '../../src/policy.ts';
import { closeDb, openDb, type Db } from '../../src/repos/db.ts';
import { dueRows, type OutboxRow } from '../../src/repos/outbox.ts';
import { SqliteStore, type Store } from '../../src/repos/store.ts';
import type { Ctx } from '../../src/services/context.ts';
import type { Notice } from '../../src/services/notices.ts';
import { rolesCtx } from '../../src/slack/deps.ts';
import { makeRender } from '../../src/slack/notices.ts';
import { baseEnv, TestClock } from './harness.ts';

export interface TempDb {
  db: Db;
  /** The store over `db`, as the bot opens it. */
  store: Store;
  close(): void;
}

/** A fresh SQLite file in its own folder, migrated by the project's own openDb. */
export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-db-'));
  const db = openDb(join(dir, 'dealdesk.db'));
  return {
    db,
    store: new SqliteStore(db),
    close: () => {
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServiceWorld extends TempDb {
  config: Config;
  clock: TestClock;
  /** Every notice a service asked to send, in order. */
  notices: Notice[];
  /** A service Ctx for `actor` at the clock's time, built as the bot builds it (slack/deps.ts). */
  ctx(actor: string): Ctx;
  /** What is queued for Slack, oldest first. */
  outbox(): Promise<OutboxRow[]>;
}

/**
 * A migrated database plus what a service call needs, with the harness's configuration
 * (channels, approvers, Europe/Sofia) and a fixed clock the test moves. `policy` is the policy
 * file's content, checked by the project's schema.
 */
export function serviceWorld(opts: { policy?: unknown; at?: string } = {}): ServiceWorld {
  const t = tempDb();
  const base = loadConfig(baseEnv('http://127.0.0.1:9/api/', ':memory:'));
  const config: Config = { ...base, policy: policySchema.parse(opts.policy ?? {}) };
  const clock = new TestClock(Date.parse(opts.at ?? '2026-11-24T08:00:00Z'));
  const notices: Notice[] = [];
  const render = makeRender(config, { tz: config.tz });
  return {
    ...t,
    config,
    clock,
    notices,
    ctx: (actor) =>
      rolesCtx(config, {
        store: t.store,
        actor,
        now: clock.now(),
        render: (n) => {
          notices.push(...n);
          return render(n);
        },
      }),
    outbox: () => dueRows(t.db, Number.MAX_SAFE_INTEGER, 10_000),
  };
}

/** The value of a service Result, or a failed test naming the refusal. */
export function value<T>(r: { ok: true; value: T } | { ok: false; refusal: unknown }): T {
  if (!r.ok) throw new Error(`expected success, got refusal ${JSON.stringify(r.refusal)}`);
  return r.value;
}
