/** Load generators: slash commands through the emulator, one at a time or N in flight, and a /healthz pinger. */
import type { SlackEmulator } from '../../src/workspace/emulator.ts';
import { USERS } from '../bot-env.ts';
import { sleep } from './report.ts';

export type Send = (text: string) => Promise<{ ok: boolean; ms: number }>;

/** The first few failures of each kind, printed at the end. */
export const errorKinds = new Map<string, number>();
function noteError(kind: string): void {
  errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
}

export function sender(emu: SlackEmulator, url: string, command: string, check: (text: string) => boolean): Send {
  return async (text) => {
    emu.botUrl = url;
    const t0 = performance.now();
    try {
      const r = await emu.slashCommand({ command, text, user_id: USERS.seller, channel_id: 'C0SALES' });
      const dt = performance.now() - t0;
      if (r.status !== 200 || !check(r.text)) noteError(`${command}: HTTP ${r.status} ${r.text.slice(0, 120)}`);
      return { ok: r.status === 200 && check(r.text), ms: dt };
    } catch (err) {
      const e = err as { message?: string; cause?: { code?: string; message?: string } };
      noteError(`${command}: ${e.message ?? String(err)}${e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''}`);
      return { ok: false, ms: performance.now() - t0 };
    }
  };
}

export async function sequential(send: Send, texts: string[]): Promise<{ lat: number[]; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  for (const t of texts) {
    const r = await send(t);
    lat.push(r.ms);
    if (!r.ok) errors++;
  }
  return { lat, errors };
}

export async function concurrent(send: Send, texts: string[], inFlight: number): Promise<{ lat: number[]; errors: number; seconds: number }> {
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < texts.length) {
        const r = await send(texts[next++]!);
        lat.push(r.ms);
        if (!r.ok) errors++;
      }
    }),
  );
  return { lat, errors, seconds: (performance.now() - t0) / 1000 };
}

/** GET /healthz every 5 ms (one in flight) until stopped: the longest answer is the longest event-loop stall. */
export function pinger(url: string): { stop: () => Promise<number[]> } {
  const lat: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const r = await fetch(url);
        await r.arrayBuffer();
      } catch {
        /* counted by its latency */
      }
      const dt = performance.now() - t0;
      lat.push(dt);
      if (dt < 5) await sleep(5 - dt);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return lat;
    },
  };
}

/** The names a card run asks for: a warm-up, a sequential run, a concurrent run. */
export interface Names {
  warmup: string[];
  seq: string[];
  con: string[];
}

/**
 * The warm-up, the sequential run, then the concurrent run with 50 in flight. 50 connections are
 * opened and warmed first (Slack keeps its connections alive too): a cold first wave starves for
 * seconds while the sockets are set up under load.
 */
export async function drive(send: Send, names: Names, aroundSeq?: (at: 'start' | 'end') => Promise<void>): Promise<{ seq: { lat: number[]; errors: number }; con: { lat: number[]; errors: number; seconds: number } }> {
  await sequential(send, names.warmup);
  await aroundSeq?.('start');
  const seq = await sequential(send, names.seq);
  await aroundSeq?.('end');
  await concurrent(send, names.seq.slice(0, 100), 50);
  const con = await concurrent(send, names.con, 50);
  return { seq, con };
}
