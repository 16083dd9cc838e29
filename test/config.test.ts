import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { baseEnv, BOT_TOKEN, SIGNING_SECRET } from './helpers/harness.ts';

const good = baseEnv('http://127.0.0.1:1/api/', '/tmp/x.db');

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('configuration', () => {
  it('accepts a complete environment and fills defaults', () => {
    const { DEALDESK_TZ: _tz, LOG_LEVEL: _l, PORT: _p, DATABASE_PATH: _d, SLACK_API_URL: _u, ...rest } = good;
    const c = loadConfig(rest);
    expect(c).toMatchObject({ port: 3000, databasePath: './data/dealdesk.db', tz: 'UTC', logLevel: 'info', apiUrl: 'https://slack.com/api/' });
    expect(loadConfig({ ...good, LEGAL_APPROVERS: 'U0A, S0GROUP ,U0B' }).approvers.legal).toEqual(['U0A', 'S0GROUP', 'U0B']);
  });

  it('names every bad variable in one message', () => {
    const p = problems({ ...good, PORT: 'http', SLACK_BOT_TOKEN: 'xoxp-user-token', DEALDESK_TZ: 'Moon/Base', LOG_LEVEL: 'loud', LEGAL_CHANNEL_ID: '#legal', FINANCE_APPROVERS: '' });
    expect(p.map((x) => x.split(' ')[0]).sort()).toEqual(['DEALDESK_TZ', 'FINANCE_APPROVERS', 'LEGAL_CHANNEL_ID', 'LOG_LEVEL', 'PORT', 'SLACK_BOT_TOKEN']);
  });

  it('needs a signing secret in HTTP mode but not in Socket Mode', () => {
    const { SLACK_SIGNING_SECRET: _s, ...noSecret } = good;
    expect(problems(noSecret)).toEqual([expect.stringContaining('SLACK_SIGNING_SECRET is missing')]);
    expect(problems({ ...noSecret, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' })).toEqual([]);
  });

  it('never prints a secret value', () => {
    const msg = (() => {
      try {
        loadConfig({ ...good, SLACK_BOT_TOKEN: 'xoxp-leaky-value-123', SLACK_APP_TOKEN: 'not-an-app-token-secret', SLACK_SIGNING_SECRET: 'bad secret!' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).toContain('SLACK_BOT_TOKEN');
    expect(msg).toContain('SLACK_APP_TOKEN');
    expect(msg).toContain('SLACK_SIGNING_SECRET');
    for (const secret of ['xoxp-leaky-value-123', 'not-an-app-token-secret', 'bad secret!']) expect(msg).not.toContain(secret);
  });

  it('stops `npm start` with the one message and exit code 1', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: 'seventy' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, encoding: 'utf8', timeout: 15_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dealdesk cannot start');
    expect(r.stderr).toContain('PORT must be a port number');
    expect(r.stderr).toContain('LEGAL_CHANNEL_ID is missing');
    expect(r.stderr).not.toContain(BOT_TOKEN);
    expect(r.stderr).not.toContain(SIGNING_SECRET);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(6);
  });
});
