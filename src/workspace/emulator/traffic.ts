/**
 * The traffic the emulator received — every Web API call and every POST to a response_url —
 * with waiting for it (waitFor, waitForResponse), canned failures (failNext) and custom method
 * handlers (setMethodHandler).
 */
import type { ApiCall, FailureAnswer, MethodHandler, ResponseUrlPost } from './types.ts';

export class Traffic {
  /** Every Web API call, in arrival order (failed ones included, flagged `failed: true`). */
  readonly calls: ApiCall[] = [];
  /** Every POST to a response_url, in arrival order. */
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly failures = new Map<string, { remaining: number; answer: FailureAnswer }[]>();
  readonly customHandlers = new Map<string, MethodHandler>();
  readonly callWaiters = new Set<() => void>();
  readonly responseWaiters = new Set<() => void>();

  /** Keep at most this many recorded calls and response_url POSTs (oldest dropped). */
  constructor(readonly keepCalls: number) {}

  /** Forgets recorded calls, response_url posts and pending failNext()s (SlackEmulator.reset). */
  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.failures.clear();
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first recorded call (past or future) of `method` matching `pred`.
   * Without `pred`, calls answered by failNext() are skipped (they did not "happen" as far as
   * Slack is concerned); a given `pred` sees every call, `failed` ones included.
   */
  waitFor(method: string, pred?: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const match = (c: ApiCall) => c.method === method && (pred ? pred(c) : !c.failed);
    return this.waitUntil(
      this.callWaiters,
      () => this.calls.find(match),
      timeoutMs,
      () =>
        `SlackEmulator.waitFor: no ${pred ? 'matching ' : ''}call to ${method} within ${timeoutMs}ms. ` +
        `Recorded calls: ${this.summarizeCalls()}`,
    );
  }

  /** Resolves with the first POST to any response_url (past or future) matching `pred`. */
  waitForResponse(pred?: (p: ResponseUrlPost) => boolean, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.waitUntil(
      this.responseWaiters,
      () => this.responseUrlPosts.find((p) => (pred ? pred(p) : true)),
      timeoutMs,
      () =>
        `SlackEmulator.waitForResponse: no ${pred ? 'matching ' : ''}response_url POST within ${timeoutMs}ms. ` +
        `Recorded response_url POSTs: ${
          this.responseUrlPosts.length === 0
            ? '(none)'
            : this.responseUrlPosts.map((p) => `${p.id}: ${JSON.stringify(p.body).slice(0, 120)}`).join('; ')
        }. Recorded API calls: ${this.summarizeCalls()}`,
    );
  }

  /** Forgets recorded traffic (calls, response_url posts, uploads), the conversation state and

  /** Makes the next `times` calls of `method` get `answer` instead of the normal one.
   *  They are still recorded, with `failed: true`. Queued failures apply in order. */
  failNext(method: string, times: number, answer: FailureAnswer): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ remaining: times, answer });
    this.failures.set(method, queue);
  }

  /** Implements (or overrides) a Web API method; the handler returns the full JSON answer. */
  setMethodHandler(method: string, handler: MethodHandler): void {
    this.customHandlers.set(method, handler);
  }

  takeFailure(method: string, args: Record<string, any>): FailureAnswer | undefined {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head || (head.answer.when && !head.answer.when(args))) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.answer;
  }

  record(call: ApiCall): void {
    this.calls.push(call);
    if (this.calls.length > this.keepCalls) this.calls.splice(0, this.calls.length - this.keepCalls);
    this.wake(this.callWaiters);
  }

  private summarizeCalls(): string {
    if (this.calls.length === 0) return '(none)';
    return this.calls
      .map((c) => `${c.method}${c.failed ? '[failed]' : c.response?.ok === false ? `[${c.response.error}]` : ''}`)
      .join(', ');
  }

  wake(waiters: Set<() => void>): void {
    for (const w of [...waiters]) w();
  }

  private waitUntil<T>(
    waiters: Set<() => void>,
    find: () => T | undefined,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(describe()));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  }
}
