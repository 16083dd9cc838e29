import type { WebClient } from '@slack/web-api';
import type { Fn } from '../domain/contracts.ts';
import { homeData } from '../services/home.ts';
import { readerFmt, type Deps } from './deps.ts';
import { homeView } from './ui/home/home.ts';

/** Build a person's App Home from current data and publish it, in their language. */
export async function publishHome(deps: Pick<Deps, 'store' | 'approvers' | 'now' | 'fmt' | 'languages'> & { config: Pick<Deps['config'], 'policy'> }, client: WebClient, userId: string): Promise<void> {
  const fmt = await readerFmt(deps, userId);
  const fns: Fn[] = [];
  if (await deps.approvers.isApprover('legal', userId)) fns.push('legal');
  if (await deps.approvers.isApprover('finance', userId)) fns.push('finance');
  await client.views.publish({ user_id: userId, view: homeView(await homeData(deps.store, userId, fns, deps.now(), fmt.tz, deps.config.policy), fmt) });
}
