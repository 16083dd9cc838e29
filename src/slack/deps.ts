import type { Logger } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { Store } from '../repos/store.ts';
import type { Ctx } from '../services/context.ts';
import type { Render } from '../services/notices.ts';
import type { Approvers } from './approvers.ts';
import { serviceCtx, serviceSetup } from './context.ts';
import type { Locale } from '../domain/locales.ts';
import type { Languages } from './languages.ts';
import type { Fmt } from './ui/format.ts';

/** What listeners need, built once at start. */
export interface Deps {
  store: Store;
  config: Config;
  logger: Logger;
  /** The workspace's time zone and language (DEALDESK_LOCALE): what channel posts read in. */
  fmt: Fmt;
  /** Who reads which language: a person's own choice, else the workspace's. */
  languages: Languages;
  /** Milliseconds since the epoch; tests move it, production reads the wall clock. */
  now: () => number;
  render: Render;
  approvers: Approvers;
}

/** How a person reads what they asked for: their language, resolved once per request. */
export async function readerFmt(deps: Pick<Deps, 'fmt' | 'languages'>, userId: string): Promise<Fmt & { locale: Locale }> {
  return { ...deps.fmt, locale: await deps.languages.reader(userId) };
}

export function ctxFor(deps: Deps, actor: string): Ctx {
  return rolesCtx(deps.config, { store: deps.store, actor, now: deps.now(), render: deps.render });
}

/** A context from the configuration (see slack/context.ts, shared with the analytics process). */
export function rolesCtx(config: Config, c: Pick<Ctx, 'store' | 'actor' | 'now' | 'render'>): Ctx {
  return serviceCtx(serviceSetup(config), c);
}

export function isAdmin(deps: Deps, userId: string): boolean {
  return deps.config.admins.includes(userId);
}
