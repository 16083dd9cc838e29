/**
 * Posting to the bot: what Slack's platform does with every delivery — a POST to `botUrl`,
 * signed with the v0 HMAC-SHA256 scheme (so the app's real signature verification runs), with
 * Slack's retry headers when asked for.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { BotReply, SendOpts } from './types.ts';
import { parseJsonOr } from './util.ts';

export class BotPoster {
  /** Where deliveries go; set by the test, e.g. "http://127.0.0.1:3000/slack/events". */
  botUrl = '';

  constructor(readonly signingSecret: string) {}

  /** Stops the kept-alive connections (SlackEmulator.close). */
  close(): void {
    this.agent.destroy();
  }

  /** POSTs `body` to botUrl with exactly these headers (no signing) — for forged requests. */
  async rawPost(body: string, headers: Record<string, string>): Promise<BotReply> {
    return this.postToBot(body, headers);
  }

  /** Computes the `X-Slack-Signature` value Slack would send for `rawBody` at `timestamp`. */
  sign(rawBody: string, timestamp: number, secret = this.signingSecret): string {
    return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  }

  sendPayload(payload: unknown, opts: SendOpts): Promise<BotReply> {
    // Interactivity payloads arrive as a form with a single `payload` field holding JSON.
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.sendSigned(body, 'application/x-www-form-urlencoded', opts);
  }

  sendSigned(rawBody: string, contentType: string, opts: SendOpts): Promise<BotReply> {
    // Bolt's HTTPReceiver compares Content-Type with === (no charset suffix allowed).
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (!opts.unsigned) {
      const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
      headers['X-Slack-Request-Timestamp'] = String(timestamp);
      headers['X-Slack-Signature'] = this.sign(rawBody, timestamp, opts.secret ?? this.signingSecret);
    }
    if (opts.retryNum !== undefined) {
      headers['X-Slack-Retry-Num'] = String(opts.retryNum);
      headers['X-Slack-Retry-Reason'] = opts.retryReason ?? 'http_timeout';
    } else if (opts.retryReason !== undefined) {
      headers['X-Slack-Retry-Reason'] = opts.retryReason;
    }
    return this.postToBot(rawBody, headers);
  }

  /**
   * node:http with kept-alive connections rather than fetch(): under load (the bench sends 50 at
   * once on the bot's machine) fetch costs this process ~2 ms of CPU a request, taken from the bot.
   * An idle socket is dropped after 2 s, well before the bot's server closes it (Node's default
   * keepAliveTimeout, 5 s): a request written on a socket the server is closing that moment fails
   * with ECONNRESET, which is what a suite run on a loaded machine saw once.
   */
  private readonly agent = new Agent({ keepAlive: true, timeout: 2_000 });

  private postToBot(body: string, headers: Record<string, string>): Promise<BotReply> {
    const botUrl = this.botUrl;
    if (!botUrl) return Promise.reject(new Error('SlackEmulator: set emu.botUrl before sending to the bot'));
    return new Promise<BotReply>((resolve, reject) => {
      const req = request(botUrl, { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseJsonOr(text), text });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
