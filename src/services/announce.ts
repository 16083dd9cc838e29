import { enqueue } from '../repos/outbox.ts';
import { inTx } from '../repos/tx.ts';
import type { Ctx } from './context.ts';
import type { Notice } from './notices.ts';

/** Queue notices that follow work done elsewhere (a worker's recompute, a digest's figures). */
export function announce(ctx: Ctx, notices: Notice[]): number {
  const items = ctx.render(notices);
  if (items.length > 0) inTx(ctx.db, (tx) => enqueue(tx, items, ctx.now));
  return items.length;
}
