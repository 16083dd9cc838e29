import { enqueue } from '../repos/outbox.ts';
import type { Ctx } from './context.ts';
import type { Notice } from './notices.ts';

/** Queue notices that follow work done elsewhere (a worker's recompute, a digest's figures). */
export async function announce(ctx: Ctx, notices: Notice[]): Promise<number> {
  const items = ctx.render(notices);
  if (items.length > 0) await ctx.store.write((tx) => enqueue(tx, items, ctx.now));
  return items.length;
}
