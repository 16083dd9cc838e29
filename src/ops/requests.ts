/**
 * Every Slack request, from the receiver to the end of its listener: counted by kind and
 * outcome, its ack timed, and every log line written while it is handled tagged with its ids.
 *
 * This wraps App.processEvent (what every receiver calls with the verified request) rather than
 * being an `app.use` middleware: a middleware gets a copy of the listener arguments, so it
 * cannot see when the listener acks; and Bolt's own lines before the middleware chain
 * (authorization) get the ids too.
 */
import { performance } from 'node:perf_hooks';
import type { App, ReceiverEvent } from '@slack/bolt';
import { logContext, type LogContext } from '../log.ts';
import { countRequest, observeAck } from './metrics.ts';

type Body = Record<string, any>;

export function requestKind(body: Body): string {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'event_callback':
      return 'event';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
      return 'options';
    default:
      return 'other';
  }
}

/** The log fields of a request: Slack's own names, only those the request has. */
export function requestFields(body: Body, retryNum?: number): Record<string, string> {
  const f: Record<string, unknown> = {
    kind: requestKind(body),
    team: body.team_id ?? body.team?.id ?? body.user?.team_id,
    user: body.user_id ?? body.user?.id ?? body.event?.user,
    trigger_id: body.trigger_id,
    event_id: body.event_id,
    command: body.command,
    action_id: body.actions?.[0]?.action_id,
    callback_id: body.view?.callback_id ?? body.callback_id,
    event_type: body.event?.type,
    retry_num: retryNum,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

interface RequestState extends LogContext {
  outcome?: 'duplicate';
}

/** The request being handled was a retry or replay of one already taken (src/slack/idempotency.ts). */
export function markDuplicate(): void {
  const s = logContext.getStore() as RequestState | undefined;
  if (s) s.outcome = 'duplicate';
}

export function observeRequests(app: App): void {
  const handle = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const started = performance.now();
    const fields = requestFields(event.body, event.retryNum);
    const kind = fields.kind!;
    const state: RequestState = { fields, errors: 0 };
    let acked = false;
    const ack: ReceiverEvent['ack'] = async (response?: unknown) => {
      if (!acked) {
        acked = true;
        observeAck(kind, (performance.now() - started) / 1000);
      }
      return event.ack(response as never);
    };
    let threw = false;
    try {
      await logContext.run(state, () => handle({ ...event, ack }));
    } catch (err) {
      threw = true;
      throw err;
    } finally {
      countRequest(kind, state.outcome ?? (threw || state.errors > 0 ? 'error' : acked ? 'ok' : 'unacked'));
    }
  };
}
