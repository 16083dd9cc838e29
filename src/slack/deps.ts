import type { Logger } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { Db } from '../repos/db.ts';
import type { Ctx } from '../services/context.ts';
import type { Render } from '../services/notices.ts';
import type { Approvers } from './approvers.ts';
import type { Fmt } from './ui/format.ts';

/** What listeners need, built once at start. */
export interface Deps {
  db: Db;
  config: Config;
  logger: Logger;
  fmt: Fmt;
  /** Milliseconds since the epoch; tests move it, production reads the wall clock. */
  now: () => number;
  render: Render;
  approvers: Approvers;
}

export function ctxFor(deps: Deps, actor: string): Ctx {
  return { db: deps.db, actor, now: deps.now(), policy: deps.config.policy, tz: deps.config.tz, render: deps.render };
}

export function isAdmin(deps: Deps, userId: string): boolean {
  return deps.config.admins.includes(userId);
}
