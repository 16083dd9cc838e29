import type { Deps } from '../deps.ts';
import { UNEXPECTED } from '../reply.ts';
import { ephemeral } from '../respond.ts';

type Answer = ReturnType<typeof ephemeral>;

/**
 * Run a command's work and ack with its answer. Slack waits 3 seconds for the ack, and a
 * thrown error must still become a short answer, never silence; the error goes to the log.
 */
export async function guarded(deps: Deps, ack: (a: Answer) => Promise<void>, work: () => Answer): Promise<void> {
  let answer: Answer;
  try {
    answer = work();
  } catch (err) {
    deps.logger.error('command failed', err);
    answer = ephemeral(UNEXPECTED);
  }
  await ack(answer);
}
