import { z } from 'zod';
import { defaultInstanceId, LOG_FORMATS, LOG_LEVELS } from './log.ts';
import { loadPolicy, type Policy } from './policy.ts';
import { LOCALES, type Locale } from './domain/locales.ts';

/** The environment, exactly as SPEC §4 names it. */
export interface Config {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string;
  port: number;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file (SPEC §8); several instances may share it. */
  databaseUrl?: string;
  channels: { legal: string; finance: string; sales: string };
  approvers: { legal: string[]; finance: string[] };
  admins: string[];
  tz: string;
  /** DEALDESK_LOCALE: the workspace's language (SPEC §5): channel posts, digests, alerts, charts, and whoever has not chosen their own. */
  locale: Locale;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  /** The `instance` field of every log line and the `instance_id` label of dealdesk_info. */
  instanceId: string;
  /** Prometheus /metrics (and /healthz, /readyz) are served here, never on the Slack port. */
  metricsPort: number;
  metricsHost: string;
  policyPath: string | undefined;
  policy: Policy;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `dealdesk cannot start: ${problems.length === 1 ? 'one setting is' : `${problems.length} settings are`} wrong.\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\n(See "Configuration" in README.md.)',
    );
    this.name = 'ConfigError';
  }
}

const channelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id like C0123ABCD (channel details → About → Channel ID)');
const idList = (what: RegExp, hint: string) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.string().regex(what, hint)));

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const port = (byDefault: number) =>
  z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a whole port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(byDefault);

// Each message says what the value should look like; none ever repeats a secret's value.
const schema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is missing: set it to the bot token (xoxb-…) from the app\'s "OAuth & Permissions" page' })
    .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token that starts with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().regex(/^[A-Za-z0-9]{8,}$/, 'must be the signing secret from the app\'s "Basic Information" page (letters and digits)').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token that starts with xapp- (needs connections:write)').optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
    .default('https://slack.com/api/')
    .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  PORT: port(3000),
  DATABASE_PATH: z.string().min(1, 'must be a file path such as ./data/dealdesk.db').default('./data/dealdesk.db'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL such as postgres://dealdesk:secret@db.internal:5432/dealdesk').optional(),
  LEGAL_CHANNEL_ID: z.string({ error: 'is missing: set it to the legal channel id (C…)' }).pipe(channelId),
  FINANCE_CHANNEL_ID: z.string({ error: 'is missing: set it to the finance channel id (C…)' }).pipe(channelId),
  SALES_CHANNEL_ID: z.string({ error: 'is missing: set it to the sales channel id (C…)' }).pipe(channelId),
  LEGAL_APPROVERS: z
    .string({ error: 'is missing: set it to comma-separated user ids (U…) or user-group ids (S…)' })
    .pipe(idList(/^[UWS][A-Z0-9]{2,}$/, 'must be comma-separated user ids (U…) or user-group ids (S…)'))
    .refine((l) => l.length > 0, 'must name at least one approver (U…) or user group (S…)'),
  FINANCE_APPROVERS: z
    .string({ error: 'is missing: set it to comma-separated user ids (U…) or user-group ids (S…)' })
    .pipe(idList(/^[UWS][A-Z0-9]{2,}$/, 'must be comma-separated user ids (U…) or user-group ids (S…)'))
    .refine((l) => l.length > 0, 'must name at least one approver (U…) or user group (S…)'),
  ADMINS: idList(/^[UW][A-Z0-9]{2,}$/, 'must be comma-separated user ids (U…)').default([]),
  DEALDESK_TZ: z.string().refine(validTimeZone, 'must be an IANA time zone such as Europe/Sofia or UTC').default('UTC'),
  DEALDESK_LOCALE: z.enum(LOCALES, { error: 'must be en (English) or bg (Bulgarian)' }).default('en'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: 'must be one of debug, info, warn, error' }).default('info'),
  DEALDESK_POLICY: z.string().min(1).optional(),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: 'must be json (one JSON object a line) or pretty (for people)' }).default('json'),
  DEALDESK_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'must be a short name of letters, digits and . _ : - (the pod or host name, say)')
    .optional(),
  // 9464: the port Prometheus exporters conventionally use (OpenTelemetry's).
  METRICS_PORT: port(9464),
  METRICS_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:\[\]-]+$/, 'must be an interface address or host name such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
});

/** Parse the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable is treated as unset, as shells and .env files commonly leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  const problems: string[] = [];
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '?');
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(`${key} ${issue.message}`);
    }
  }
  const e = result.success ? result.data : undefined;
  if (!cleaned.SLACK_APP_TOKEN && !cleaned.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET is missing: HTTP mode (no SLACK_APP_TOKEN) needs it to verify requests come from Slack');
  }
  const policy = loadPolicy(cleaned.DEALDESK_POLICY);
  if (!policy.ok) problems.push(...policy.problems);
  if (problems.length > 0 || !e || !policy.ok) throw new ConfigError(problems);
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    channels: { legal: e.LEGAL_CHANNEL_ID, finance: e.FINANCE_CHANNEL_ID, sales: e.SALES_CHANNEL_ID },
    approvers: { legal: e.LEGAL_APPROVERS, finance: e.FINANCE_APPROVERS },
    admins: e.ADMINS,
    tz: e.DEALDESK_TZ,
    locale: e.DEALDESK_LOCALE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    instanceId: e.DEALDESK_INSTANCE_ID ?? defaultInstanceId(),
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    policyPath: e.DEALDESK_POLICY,
    policy: policy.policy,
  };
}
