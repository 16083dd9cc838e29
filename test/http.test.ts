import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const base = () => h.emu.botUrl.replace('/slack/events', '');

describe('the HTTP receiver', () => {
  it('answers GET /healthz with 200', async () => {
    const r = await fetch(`${base()}/healthz`);
    expect(r.status).toBe(200);
  });

  it('refuses unsigned, forged and stale requests with 401 and writes nothing', async () => {
    const p = { command: '/client', text: 'add Forged Ltd', user_id: USERS.seller };
    expect((await h.emu.slashCommand(p, { unsigned: true })).status).toBe(401);
    expect((await h.emu.slashCommand(p, { secret: 'not-the-signing-secret' })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await h.emu.slashCommand(p, { timestamp: sixMinutesAgo })).status).toBe(401);
    const card = await h.emu.slashCommand({ command: '/client', text: 'Forged Ltd', user_id: USERS.seller });
    expect(readable(card.body)).toContain("couldn't find a client");
  });

  it('keeps every record across a restart', async () => {
    await h.emu.slashCommand({ command: '/client', text: 'add Durable AD', user_id: USERS.seller });
    await h.emu.slashCommand({ command: '/client', text: 'move Durable AD qualified', user_id: USERS.seller });
    await h.restart();
    const card = await h.emu.slashCommand({ command: '/client', text: 'Durable AD', user_id: USERS.seller });
    expect(readable(card.body)).toContain('Stage: qualified');
    const hist = await h.emu.slashCommand({ command: '/client', text: 'history Durable AD', user_id: USERS.seller });
    expect(readable(hist.body)).toContain('from *lead* to *qualified*');
  });

  it('answers within Slack\'s 3 seconds', async () => {
    const started = Date.now();
    const r = await h.emu.slashCommand({ command: '/client', text: 'list', user_id: USERS.seller });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
