import type { Message } from './ui/messages/client.ts';

/** An ephemeral answer to a slash command or a click, visible only to the person who asked. */
export function ephemeral(m: Message | string): { response_type: 'ephemeral'; text: string; blocks?: Message['blocks'] } {
  return typeof m === 'string' ? { response_type: 'ephemeral', text: m } : { response_type: 'ephemeral', text: m.text, blocks: m.blocks };
}

/**
 * Post to a response_url Slack gave us. Used where Bolt has no `respond` (a modal submitted
 * after a click); a failure is reported to the caller, never thrown into Bolt.
 */
export async function postToResponseUrl(url: string, body: object): Promise<boolean> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.ok;
}
