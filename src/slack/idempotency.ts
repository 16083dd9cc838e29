import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { takeRequest } from '../repos/requests.ts';
import type { Deps } from './deps.ts';

const ALREADY = 'This request was already received; nothing was done twice.';

/** The identity of one delivery from Slack: the same for a retry or a replay of it. */
export function requestKey(body: Record<string, any>): string | undefined {
  if (body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions' && body.trigger_id) return `action:${body.trigger_id}:${body.actions?.[0]?.action_ts ?? ''}`;
  if (body.type === 'view_submission' && body.trigger_id) return `view:${body.trigger_id}`;
  if (body.command && body.trigger_id) return `command:${body.trigger_id}`;
  return undefined;
}

/**
 * Global middleware: every command, click, submission and event is taken once. A duplicate
 * is acknowledged (so Slack stops retrying) and goes no further.
 */
export function idempotency(deps: Deps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Record<string, any>;
    const key = requestKey(body);
    if (!key || takeRequest(deps.db, key, Date.now())) return args.next();
    deps.logger.info(`duplicate delivery ignored (${key.split(':')[0]})`);
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (!ack) return;
    if (body.command) await ack({ response_type: 'ephemeral', text: ALREADY });
    else await ack();
  };
}
