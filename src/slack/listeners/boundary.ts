import { randomBytes } from 'node:crypto';
import type { App, Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Locale } from '../../domain/locales.ts';
import { unexpectedAfterAckText, unexpectedText } from '../reply.ts';
import { postToResponseUrl } from '../respond.ts';

/**
 * The one error boundary for every command, action, view and event. A listener registered
 * through it may throw anywhere, before or after `ack()`: the person still gets a short answer
 * with a reference, and the log line carries the same reference and the request's ids, so
 * the answer someone pastes into a support chat leads to the stack trace.
 */
export type Routes = Pick<App, 'command' | 'action' | 'view' | 'event'>;

type Kind = 'command' | 'action' | 'view' | 'event';

// Bolt's listener arguments, as far as the boundary reads them.
interface Args {
  ack?: (response?: unknown) => Promise<void>;
  body: any;
  client: WebClient;
}

type Listener = (args: any) => Promise<void>;

/** A reference short enough to read aloud, unique enough to find one line in a day's logs. */
export function newReference(): string {
  return randomBytes(4).toString('hex');
}

/** The app's command/action/view/event registration, with every last listener wrapped. */
export function withBoundary(app: App, logger: Logger, localeOf?: (userId: string) => Locale): Routes {
  const wrapLast = (kind: Kind, listeners: unknown[]): unknown[] => {
    const last = listeners.length - 1;
    return listeners.map((l, i) => (i === last ? guard(kind, l as Listener, logger, localeOf) : l));
  };
  return {
    command: ((name: any, ...ls: unknown[]) => app.command(name, ...(wrapLast('command', ls) as []))) as App['command'],
    action: ((c: any, ...ls: unknown[]) => app.action(c, ...(wrapLast('action', ls) as []))) as App['action'],
    view: ((c: any, ...ls: unknown[]) => app.view(c, ...(wrapLast('view', ls) as []))) as App['view'],
    event: ((name: any, ...ls: unknown[]) => app.event(name, ...(wrapLast('event', ls) as []))) as App['event'],
  };
}

function guard(kind: Kind, listener: Listener, logger: Logger, localeOf: ((userId: string) => Locale) | undefined): Listener {
  return async (args: Args) => {
    let acked = kind === 'event';
    const ack = args.ack;
    const tracked = ack
      ? {
          ...args,
          ack: async (response?: unknown) => {
            acked = true;
            await ack(response);
          },
        }
      : args;
    try {
      await listener(tracked);
    } catch (err) {
      const ref = newReference();
      logger.error(`unexpected error (ref ${ref}) in ${describe(kind, args.body)}`, err);
      await answer(kind, args, acked, ref, localeOf).catch((e: unknown) => logger.error(`could not tell the person about ref ${ref}`, e));
    }
  };
}

/** The request's ids for the log: who, what, and the id Slack gave the request. */
export function describe(kind: Kind, body: any): string {
  const user = body?.user_id ?? body?.user?.id ?? body?.event?.user ?? '?';
  const what =
    kind === 'command' ? body?.command : kind === 'action' ? body?.actions?.[0]?.action_id : kind === 'view' ? body?.view?.callback_id : body?.event?.type;
  const id = body?.trigger_id ?? body?.event_id ?? '?';
  return `${kind} ${what ?? '?'} (user ${user}, ${body?.event_id ? 'event' : 'trigger'} ${id})`;
}

async function answer(kind: Kind, args: Args, acked: boolean, ref: string, localeOf: ((userId: string) => Locale) | undefined): Promise<void> {
  const body = args.body;
  const user: string | undefined = body?.user_id ?? body?.user?.id ?? body?.event?.user;
  // What this instance knows of the person's language: nothing here may fail or wait.
  const locale = user && localeOf ? localeOf(user) : undefined;
  // After an ack the work may have been recorded before the error: never invite a blind retry.
  const text = acked ? unexpectedAfterAckText(ref, locale) : unexpectedText(ref, locale);
  if (!acked && args.ack) {
    // The ack itself can fail (Slack's 3 seconds ran out): then the response_url still answers.
    const acks = await ackWithError(kind, args, text).then(
      () => true,
      () => false,
    );
    if (acks && (kind === 'command' || (kind === 'view' && body?.type === 'view_submission' && firstInput(body)))) return;
  }
  const responseUrl: string | undefined = body?.response_url ?? body?.response_urls?.[0]?.response_url;
  // A command's answer replaces its own "working…" answer; a click's never replaces the message clicked.
  const replace = kind === 'command';
  if (responseUrl && (await postToResponseUrl(responseUrl, { response_type: 'ephemeral', replace_original: replace, text }).catch(() => false))) return;
  // No response_url (a modal, an event): the person's DM with dealdesk, at most once in a while
  // per person, so a Home tab that fails on every open does not fill their DM.
  if (user && dmAllowed(user)) await args.client.chat.postMessage({ channel: user, text });
}

function firstInput(body: any): string | undefined {
  return (body?.view?.blocks ?? []).find((b: any) => b.type === 'input' && b.block_id)?.block_id;
}

function ackWithError(kind: Kind, args: Args, text: string): Promise<void> {
  const ack = args.ack!;
  if (kind === 'command') return ack({ response_type: 'ephemeral', text });
  // Keep the person's modal and what they typed: the error shows on its first input.
  const input = kind === 'view' && args.body?.type === 'view_submission' ? firstInput(args.body) : undefined;
  if (input) return ack({ response_action: 'errors', errors: { [input]: text.replace(/[*_`:]/g, '').slice(0, 150) } });
  return ack();
}

const DM_EVERY_MS = 10 * 60_000;
const lastDm = new Map<string, number>();

function dmAllowed(user: string): boolean {
  const now = Date.now();
  if (now - (lastDm.get(user) ?? -Infinity) < DM_EVERY_MS) return false;
  lastDm.set(user, now);
  if (lastDm.size > 10_000) lastDm.clear();
  return true;
}
