import type { Policy } from '../policy.ts';
import type { Store } from '../repos/store.ts';
import type { Render } from './notices.ts';

/** What every service call gets: the database, who is acting, and when (the clock stays outside). */
export interface Ctx {
  store: Store;
  actor: string;
  now: number;
  policy: Policy;
  tz: string;
  render: Render;
  /** Configured people (user ids; user groups are resolved by the Slack layer where it matters). */
  roles: { legal: string[]; finance: string[]; admins: string[] };
}
