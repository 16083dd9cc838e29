/**
 * The loopback bot's environment: the Slack credentials the emulator accepts and the users,
 * channels and roles the bot is configured with. Shared by the tests (test/helpers/harness.ts
 * re-exports it) and the bench (scripts/bench/), which starts the real bot as a child process.
 */

export const SIGNING_SECRET = 'testsigningsecret0123456789';
export const BOT_TOKEN = 'xoxb-1234-5678-testbottoken';

export const USERS = {
  seller: 'U0SELLER',
  seller2: 'U0SELLER2',
  legal: 'U0LEGAL',
  finance: 'U0FINANCE',
  admin: 'U0ADMIN',
} as const;

export const CHANNELS = { legal: 'C0LEGAL', finance: 'C0FINANCE', sales: 'C0SALES' } as const;

export function baseEnv(apiUrl: string, databasePath: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_PATH: databasePath,
    LEGAL_CHANNEL_ID: CHANNELS.legal,
    FINANCE_CHANNEL_ID: CHANNELS.finance,
    SALES_CHANNEL_ID: CHANNELS.sales,
    LEGAL_APPROVERS: USERS.legal,
    FINANCE_APPROVERS: USERS.finance,
    ADMINS: USERS.admin,
    DEALDESK_TZ: 'Europe/Sofia',
    LOG_LEVEL: 'warn',
  };
}
