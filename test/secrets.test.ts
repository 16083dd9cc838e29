/**
 * No secret leaves the bot: not in the log at debug level, not in the audit trail, not in the
 * outbox or any message sent to Slack, not in a configuration error.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../src/slack/ids.ts';
import { bareEnv, baseEnv, BOT_TOKEN, buttons, CHANNELS, readable, runCli, SIGNING_SECRET, startHarness, testBackend, USERS, type Harness } from './helpers/harness.ts';
import { freshPgDatabase } from './helpers/pg.ts';
import { levelOf, parseLog } from './helpers/logs.ts';

const APP_TOKEN = 'xapp-1-A0SECRETAPP-4242-5f2b9c0d1e7a4b3c';

/** Each secret, and its distinctive tail on its own (a leak may have lost the prefix). */
/** On PostgreSQL the database URL carries a password (the throwaway cluster trusts loopback, so any will do). */
const DB_PASSWORD = 'pg-Secret-7f3a91c2';
const SECRETS = [BOT_TOKEN, BOT_TOKEN.slice('xoxb-'.length), SIGNING_SECRET, APP_TOKEN, APP_TOKEN.slice('xapp-'.length), DB_PASSWORD];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

let h: Harness;
const replies: unknown[] = [];
let configErrorRun: ReturnType<typeof runCli>;

beforeAll(async () => {
  // A configuration error in a Socket Mode setup (app token set, port wrong). Loading the app
  // takes seconds, so it runs beside everything else; it never reaches the Web API.
  configErrorRun = runMainWithBadConfig({
    ...baseEnv('http://127.0.0.1:9/api/', '/nonexistent/dealdesk.db'),
    SLACK_APP_TOKEN: APP_TOKEN,
    PORT: 'not-a-port',
    LOG_LEVEL: 'debug',
  });
  const pg: Record<string, string> = testBackend() === 'postgres' ? { DATABASE_URL: (await freshPgDatabase()).replace('postgres://postgres@', `postgres://postgres:${DB_PASSWORD}@`) } : {};
  h = await startHarness({ LOG_LEVEL: 'debug', ...pg });
});
afterAll(async () => {
  await h?.close();
});

const cmd = async (command: string, text: string, user_id: string = USERS.seller) => {
  const r = await h.emu.slashCommand({ command, text, user_id });
  replies.push(r.body);
  return r;
};

/** `npm start` with a configuration that must stop it; its output is checked for secrets. */
function runMainWithBadConfig(env: Record<string, string>) {
  return runCli('src/main.ts', [], bareEnv(env), 15_000);
}

describe('secrets', () => {
  it('drive: commands, a contract submitted and approved through the outbox, forged and badly signed requests', async () => {
    expect(readable((await cmd('/client', 'add Secretive Ltd contact:Ana +359 88 000 0000')).body)).toContain('Added client');
    expect(readable((await cmd('/client', 'Secretive Ltd')).body)).toContain('Stage: lead');
    await cmd('/client', 'list');
    await cmd('/client', 'move Secretive Ltd qualified');
    await cmd('/client', 'frobnicate');

    const r = await cmd('/contract', 'new Secretive Ltd amount:9,900 EUR net:30 kind:services subject:Security audit');
    const id = Number(/Contract \*#(\d+)\*/.exec(readable(r.body))?.[1]);
    expect(id, readable(r.body)).toBeGreaterThan(0);
    const legal = await h.emu.waitFor('chat.postMessage', (c) => !c.failed && c.args.channel === CHANNELS.legal && readable(c.args).includes(`Contract #${id} `));
    const finance = await h.emu.waitFor('chat.postMessage', (c) => !c.failed && c.args.channel === CHANNELS.finance && readable(c.args).includes(`Contract #${id} `));
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(legal.args)[0]!.value, user_id: USERS.legal, channel_id: CHANNELS.legal });
    await h.emu.blockAction({ action_id: ACTION.approve, value: buttons(finance.args)[0]!.value, user_id: USERS.finance, channel_id: CHANNELS.finance });
    await h.emu.waitFor('chat.postMessage', (c) => !c.failed && c.args.thread_ts === legal.response.ts && readable(c.args).includes('is *approved*'));
    await h.emu.waitFor('chat.postMessage', (c) => !c.failed && c.args.thread_ts === finance.response.ts && readable(c.args).includes('is *approved*'));
    expect(readable((await cmd('/contract', `#${id}`)).body)).toContain('approved by legal and finance');

    // Forged: signed with another secret, and carrying the real secrets in its text.
    const forged = await h.emu.slashCommand(
      { command: '/client', text: `add Forged ${BOT_TOKEN} ${SIGNING_SECRET}`, user_id: USERS.seller },
      { secret: 'someoneelsessecret123' },
    );
    expect(forged.status).toBe(401);
    // Badly signed: a well-formed but wrong signature; and one with no signature at all.
    const body = new URLSearchParams({ command: '/client', text: `add Bad Sig ${SIGNING_SECRET}`, user_id: USERS.seller, token: BOT_TOKEN }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const bad = await h.emu.rawPost(body, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': ts,
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });
    expect(bad.status).toBe(401);
    const unsigned = await h.emu.rawPost(body, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(unsigned.status).toBe(401);
    for (const reply of [forged, bad, unsigned]) expect(leaks(reply.text)).toEqual([]);
    expect(readable((await cmd('/client', 'Forged')).body)).toContain("couldn't find a client");

    // Slack's error body echoes the secrets back (a proxy's debug page, say): the listener's
    // error, logged with that body on it, still prints none of them.
    const card = (await cmd('/client', 'Secretive Ltd')).body;
    const lost = buttons(card).find((b) => b.action_id === ACTION.clientLost)!;
    h.emu.failNext('views.open', 1, {
      status: 200,
      body: { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] echo: token ${BOT_TOKEN} secret ${SIGNING_SECRET} app ${APP_TOKEN}`] } },
    });
    await h.emu.blockAction({ action_id: ACTION.clientLost, value: lost.value, user_id: USERS.seller });
    await h.emu.waitFor('views.open', (c) => c.failed === true);
    const deadlineLog = Date.now() + 5000;
    while (Date.now() < deadlineLog && !h.logs.some((l) => l.includes('invalid_arguments') && l.includes('[ERROR] echo'))) await new Promise((r) => setTimeout(r, 20));

    // Let the outbox finish (the last updates and DMs) before the checks below.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && Number((await h.rows<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`))[0]!.n) > 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('the debug log is there, and holds no token or signing secret', () => {
    // One JSON object a line, every one of them.
    expect(h.logs.filter((l) => levelOf(l) === undefined).map((l) => l.slice(0, 300))).toEqual([]);
    expect(h.logs.filter((l) => levelOf(l) === 'debug').length).toBeGreaterThan(10);
    // The requests the receiver refused are in it (so they were looked at, and still leak nothing).
    expect(h.logs.join('\n')).toMatch(/signature|verif/i);
    const leaking = h.logs.filter((l) => leaks(l).length > 0);
    expect(leaking.map((l) => l.slice(0, 300))).toEqual([]);
  });

  it('the error body Slack echoed is in the log, its secrets redacted in every field', () => {
    const echoed = h.logs.map(parseLog).find((l) => l.level === 'error' && JSON.stringify(l.err?.data ?? '').includes('[ERROR] echo'));
    expect(echoed, 'an error line carrying the body Slack answered').toBeDefined();
    expect(JSON.stringify(echoed!.err!.data)).toContain('token [redacted] secret [redacted] app [redacted]');
    // The parsed fields too (a leak could hide behind JSON escaping in the raw line).
    expect(leaks(JSON.stringify(h.logs.map(parseLog)))).toEqual([]);
  });

  it('the configuration error names the problem without printing any secret', async () => {
    const configError = await configErrorRun;
    expect(configError.status).toBe(1);
    expect(configError.stderr).toContain('dealdesk cannot start');
    expect(configError.stderr).toContain('PORT must be a port number');
    expect(leaks(configError.stderr)).toEqual([]);
    expect(leaks(configError.stdout)).toEqual([]);
  }, 30_000);

  it('the audit trail and the outbox hold no secret', async () => {
    const audit = await h.rows(sql`SELECT before, after FROM audit_events`);
    expect(audit.length).toBeGreaterThan(5);
    expect(leaks(JSON.stringify(audit))).toEqual([]);
    const outbox = await h.rows(sql`SELECT payload, last_error FROM outbox`);
    expect(outbox.length).toBeGreaterThan(3);
    expect(leaks(JSON.stringify(outbox))).toEqual([]);
  });

  it('no message, update, modal or command answer the bot sent holds a secret', () => {
    const sent = h.emu.calls.map((c) => ({ method: c.method, args: c.args }));
    expect(sent.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThan(3);
    expect(sent.filter((c) => c.method === 'chat.update').length).toBeGreaterThan(0);
    const offending = sent.filter((c) => leaks(JSON.stringify(c.args)).length > 0).map((c) => c.method);
    expect(offending).toEqual([]);
    expect(leaks(JSON.stringify(h.emu.responseUrlPosts.map((p) => p.body)))).toEqual([]);
    expect(replies.length).toBeGreaterThan(5);
    expect(leaks(JSON.stringify(replies))).toEqual([]);
    // The bot does authenticate with its token: it travels in the Authorization header only.
    expect(h.emu.calls.every((c) => c.token === BOT_TOKEN)).toBe(true);
  });
});
