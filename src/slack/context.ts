import type { Config } from '../config.ts';
import { DEFAULT_LOCALE, type Locale } from '../domain/locales.ts';
import type { Store } from '../repos/store.ts';
import type { Ctx } from '../services/context.ts';
import type { Render } from '../services/notices.ts';
import { makeRender } from './notices.ts';

/**
 * What a service context takes from the configuration. Plain data, so the analytics process
 * receives it over IPC and builds the same context the bot would.
 */
export interface ServiceSetup {
  policy: Config['policy'];
  tz: string;
  /** The workspace's language (DEALDESK_LOCALE): channel posts, and whoever has not chosen their own; `en` unless told. */
  locale?: Locale;
  channels: Config['channels'];
  approvers: Config['approvers'];
  /** Configured people (user ids; user groups are resolved by the Slack layer where it matters). */
  roles: Ctx['roles'];
}

// The configuration never changes once loaded, and a context is built for every request.
const setups = new WeakMap<Config, ServiceSetup>();

export function serviceSetup(config: Config): ServiceSetup {
  let s = setups.get(config);
  if (!s) setups.set(config, (s = buildSetup(config)));
  return s;
}

function buildSetup(config: Config): ServiceSetup {
  const users = (ids: string[]) => ids.filter((id) => !id.startsWith('S'));
  return {
    policy: config.policy,
    tz: config.tz,
    locale: config.locale,
    channels: config.channels,
    approvers: config.approvers,
    roles: { legal: users(config.approvers.legal), finance: users(config.approvers.finance), admins: config.admins },
  };
}

/**
 * The one way a service context is built: by the bot, the CLI and the analytics process.
 * `people` are the languages people chose (a DM reads its recipient's), for a render built here.
 */
export function serviceCtx(s: ServiceSetup, c: { store: Store; actor: string; now: number; render?: Render; people?: ReadonlyMap<string, Locale> }): Ctx {
  const people = c.people;
  const workspace = s.locale ?? DEFAULT_LOCALE;
  const render = c.render ?? makeRender(s, { tz: s.tz, locale: workspace }, people ? (u) => people.get(u) ?? workspace : undefined);
  return { store: c.store, actor: c.actor, now: c.now, policy: s.policy, tz: s.tz, roles: s.roles, render };
}
