import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.ts';
import type { Fn } from '../domain/contracts.ts';

const GROUP_TTL_MS = 5 * 60_000;

/**
 * Whether a user may decide for a function: listed directly in LEGAL_APPROVERS /
 * FINANCE_APPROVERS, or a member of a user group (S…) listed there. Group members come from
 * usergroups.users.list and are cached for a few minutes; a failed lookup counts as "no".
 */
export class Approvers {
  private readonly cache = new Map<string, { users: Set<string>; at: number }>();

  constructor(
    private readonly config: Config,
    private readonly client: WebClient,
  ) {}

  async isApprover(fn: Fn, userId: string): Promise<boolean> {
    const listed = this.config.approvers[fn];
    if (listed.includes(userId)) return true;
    for (const id of listed.filter((x) => x.startsWith('S'))) {
      if ((await this.members(id)).has(userId)) return true;
    }
    return false;
  }

  private async members(group: string): Promise<Set<string>> {
    const hit = this.cache.get(group);
    if (hit && Date.now() - hit.at < GROUP_TTL_MS) return hit.users;
    try {
      const r = await this.client.usergroups.users.list({ usergroup: group });
      const users = new Set(r.users ?? []);
      this.cache.set(group, { users, at: Date.now() });
      return users;
    } catch {
      return hit?.users ?? new Set();
    }
  }
}
