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
  return rolesCtx(deps.config, { db: deps.db, actor, now: deps.now(), render: deps.render });
}

/** The parts of a Ctx that come from configuration. */
export function rolesCtx(config: Config, c: Pick<Ctx, 'db' | 'actor' | 'now' | 'render'>): Ctx {
  const users = (ids: string[]) => ids.filter((id) => !id.startsWith('S'));
  return {
    ...c,
    policy: config.policy,
    tz: config.tz,
    roles: { legal: users(config.approvers.legal), finance: users(config.approvers.finance), admins: config.admins },
  };
}

export function isAdmin(deps: Deps, userId: string): boolean {
  return deps.config.admins.includes(userId);
}
