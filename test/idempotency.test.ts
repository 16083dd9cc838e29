import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksText, readable, startHarness, testBackend, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEALDESK_TZ: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

const say = async (text: string, command = '/client', trigger_id?: string) => h.emu.slashCommand({ command, text, user_id: USERS.seller, ...(trigger_id ? { trigger_id } : {}) });

describe('exactly once', () => {
  it('a replayed slash command (same trigger) adds nothing and says so', async () => {
    const first = await say('add Replay Ltd', '/client', 'T-replay-1');
    expect(readable(first.body)).toContain('Added client');
    const again = await say('add Replay Ltd', '/client', 'T-replay-1');
    expect(readable(again.body)).toContain('already received');
    const hist = blocksText((await say('history Replay Ltd')).body);
    expect(hist.match(/added the client/g)).toHaveLength(1);
  });

  it('ten identical payments delivered at once record one payment', async () => {
    await say('add Paying Twice Ltd');
    const inv = readable((await say('add Paying Twice Ltd 100 EUR net:30', '/invoice')).body);
    const id = /invoice \*#(\d+)\*/.exec(inv)![1];
    const answers = await Promise.all(Array.from({ length: 10 }, () => say(`pay #${id} 10 ref:SAME`, '/invoice', 'T-pay-1')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => readable(a.body).includes('Recorded'))).toHaveLength(1);
    expect(answers.filter((a) => readable(a.body).includes('already received'))).toHaveLength(9);
    expect(readable((await say(`list Paying Twice Ltd`, '/invoice')).body)).toContain('owes €90.00');
  });

  it('a retried event (same event_id, X-Slack-Retry-Num) is handled once', async () => {
    const publishes = () => h.emu.calls.filter((c) => c.method === 'views.publish').length;
    // Home refreshes queued by the earlier tests' commands go out first (once the Home tab is
    // opened they are published too), so only this event's publish is counted.
    for (let i = 0; i < 100 && Number((await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const before = publishes();
    const body = JSON.stringify({
      token: 'x',
      team_id: 'T0001',
      api_app_id: 'A0EMULATED',
      type: 'event_callback',
      event_id: 'Ev0RETRY1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: USERS.seller, tab: 'home', channel: 'D0SELLER', event_ts: '1.1' },
    });
    const send = (retry?: number) => {
      const ts = Math.floor(Date.now() / 1000);
      return h.emu.rawPost(body, {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': h.emu.sign(body, ts),
        ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
      });
    };
    expect((await send()).status).toBe(200);
    expect((await send(1)).status).toBe(200);
    expect((await send(2)).status).toBe(200);
    await h.emu.waitFor('views.publish', () => publishes() > before);
    await new Promise((r) => setTimeout(r, 300));
    expect(publishes()).toBe(before + 1);
  });

  it('a command replayed after a restart is still refused (the key was written to the database)', async () => {
    expect(readable((await say('add Restarted Ltd', '/client', 'T-restart-1')).body)).toContain('Added client');
    await h.restart();
    expect(readable((await say('add Restarted Ltd', '/client', 'T-restart-1')).body)).toContain('already received');
  });

  it.skipIf(testBackend() === 'postgres')('answers while another process holds the write lock (SQLite), and writes the key once it is free', async () => {
    const other = new Database(join(h.dir, 'dealdesk.db'));
    const key = () => other.prepare("SELECT count(*) FROM processed_requests WHERE key = 'command:T-locked-1'").pluck().get();
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      // Before, taking the key waited for the lock (stalling every request) and failed after 5 s.
      const card = await say('Restarted Ltd', '/client', 'T-locked-1');
      expect(readable(card.body)).toContain('Stage:');
      expect(readable((await say('Restarted Ltd', '/client', 'T-locked-1')).body)).toContain('already received');
    } finally {
      other.prepare('COMMIT').run();
    }
    for (let i = 0; i < 100 && key() === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(key()).toBe(1);
    other.close();
  });
});
