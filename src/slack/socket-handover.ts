import type { Logger, SocketModeReceiver } from '@slack/bolt';

type SmClient = SocketModeReceiver['client'];
type Listener = (...args: any[]) => void;
interface Emitter {
  listeners(event: string): Listener[];
  removeAllListeners(event: string): void;
  on(event: string, fn: Listener): void;
  emit(event: string, ...args: unknown[]): boolean;
}

/** Reasons that announce a routine recycle: worth a second connection before the first goes. */
const HAND_OVER = new Set(['warning', 'refresh_requested']);
/** How long the old connection stays open once the new one is up: Slack wants acks within 3 s. */
const DRAIN_MS = 3000;

/**
 * Make-before-break for Slack's `disconnect` requests.
 *
 * socket-mode 3 answers every {"type":"disconnect"} by closing the socket at once and reconnecting
 * clientPingTimeout (5 s) later: acks for envelopes still being handled fail (SMSendWhileNotReady),
 * envelopes Slack has already sent are dropped, and for 5 s nothing is connected. For `warning` and
 * `refresh_requested` the old connection instead stays open — still delivering, still acking —
 * while a second client connects; once that one says hello the old one is closed after DRAIN_MS.
 * Never more than two connections. Other reasons (`too_many_websockets`: adding a connection first
 * would make it worse; `link_disabled`) and dropped sockets keep socket-mode's own behaviour.
 */
export function handOverOnDisconnect(receiver: SocketModeReceiver, makeClient: () => SmClient, logger: Logger): void {
  const bolts = receiver.client; // Bolt listens for 'slack_event' on this one only
  let active: SmClient = bolts;
  let handing = false;
  let stopping = false;
  const spares = new Set<SmClient>();

  const retire = async (c: SmClient) => {
    await c.disconnect(); // shuttingDown: no reconnect of its own
    spares.delete(c);
  };

  const handOver = async (old: SmClient, reason: string) => {
    handing = true;
    const next = makeClient();
    intercept(next);
    (next as unknown as Emitter).on('slack_event', (args) => (bolts as unknown as Emitter).emit('slack_event', args));
    spares.add(next);
    try {
      await next.start();
    } catch (err) {
      logger.warn(`Socket Mode: could not open a second connection after "${reason}"; reconnecting in place`, err);
      handing = false;
      void retire(next);
      old.websocket?.disconnect();
      return;
    }
    handing = false;
    if (stopping) return void retire(next);
    active = next;
    logger.debug(`Socket Mode: handed over after "${reason}"; closing the old connection in ${DRAIN_MS} ms`);
    setTimeout(() => void retire(old), DRAIN_MS).unref();
  };

  const intercept = (c: SmClient) => {
    const ee = c as unknown as Emitter;
    const own = ee.listeners('ws_message');
    ee.removeAllListeners('ws_message');
    ee.on('ws_message', (data: unknown, isBinary: boolean) => {
      const reason = isBinary ? undefined : disconnectReason(data);
      if (reason !== undefined && HAND_OVER.has(reason) && !stopping) {
        // The active client starts a hand-over; one already handing over, or on its way out, stays
        // open until it is retired.
        if (c === active && !handing) void handOver(c, reason);
        return;
      }
      for (const fn of own) fn(data, isBinary);
    });
  };

  intercept(bolts);
  const stop = receiver.stop.bind(receiver);
  receiver.stop = async (...args: Parameters<typeof stop>) => {
    stopping = true;
    await Promise.all([...spares].map((c) => retire(c)));
    return stop(...args);
  };
}

function disconnectReason(data: unknown): string | undefined {
  const text = typeof data === 'string' ? data : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? new TextDecoder().decode(data as ArrayBuffer) : '';
  if (!text.includes('"disconnect"')) return undefined;
  try {
    const msg = JSON.parse(text) as { type?: unknown; reason?: unknown };
    return msg.type === 'disconnect' ? String(msg.reason ?? '') : undefined;
  } catch {
    return undefined;
  }
}
