import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { LogLevel, type Logger } from '@slack/bolt';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LevelName = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object a line, for log collectors. `pretty`: the same fields, for people. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

// Anything shaped like a Slack token, even one we were not told about (a user token pasted
// into a command, a token echoed back in an error body).
const TOKEN_PATTERN = /xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

export interface AppLogger extends Logger {
  /** Writes go here; tests replace it to read what would have been printed. */
  sink: (line: string) => void;
}

/**
 * What is being handled right now (a Slack request: team, user, trigger or event id, command or
 * action id). Set around a request by src/ops/requests.ts; every line written inside carries
 * `fields`, so one click can be followed across instances. `errors` counts the error lines.
 */
export interface LogContext {
  fields: Record<string, string>;
  errors: number;
}
export const logContext = new AsyncLocalStorage<LogContext>();

/** This process among the bot's instances: DEALDESK_INSTANCE_ID, else host name and pid. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** The `instance` field of every line; default defaultInstanceId(). */
  instance?: string;
}

/**
 * A Bolt-compatible logger (pino underneath) that never prints a token or the signing secret,
 * at any level and in any field: the finished line is redacted, whatever put the secret there
 * (a message, an error's stack, a Slack error body kept on the error).
 */
export function createLogger(level: LevelName, secrets: readonly (string | undefined)[], sink?: (line: string) => void, opts: LoggerOptions = {}): AppLogger {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Inside a JSON string a secret appears escaped; config only admits secrets that escaping
  // leaves alone, but the escaped form costs nothing to cover.
  const forms = [...new Set(known.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  const redact = (s: string): string => {
    let out = s.replace(TOKEN_PATTERN, '[redacted]');
    for (const secret of forms) out = out.split(secret).join('[redacted]');
    return out;
  };
  const pretty = opts.format === 'pretty';
  const base = pino(
    {
      level,
      name: 'dealdesk',
      base: { instance: opts.instance ?? defaultInstanceId() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...logContext.getStore()?.fields }),
      serializers: { err: pino.stdSerializers.err },
    },
    {
      // Synchronous: a line is in the sink when the call returns (tests read it at once).
      write: (line: string) => {
        const json = line.endsWith('\n') ? line.slice(0, -1) : line;
        logger.sink(redact(pretty ? prettyLine(json) : json));
      },
    },
  );
  const logger: AppLogger = {
    sink: sink ?? ((line) => process.stderr.write(line + '\n')),
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    setLevel: (l: LogLevel) => {
      base.level = l;
    },
    getLevel: () => base.level as LogLevel,
    // Bolt and every WebClient share this logger and each renames it on creation, so a name
    // would only tell which client was made last: `name` stays dealdesk.
    setName: () => undefined,
  };
  function write(l: LevelName, msg: unknown[]): void {
    if (l === 'error') {
      const ctx = logContext.getStore();
      if (ctx) ctx.errors++;
    }
    if (!base.isLevelEnabled(l)) return;
    // The message stays one readable sentence (people and tests search it); an error's stack and
    // what Slack answered go to `err`.
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? `${m.name}: ${m.message}` : inspect(m, { depth: 4, breakLength: Infinity })))
      .join(' ');
    if (err) base[l]({ err }, text);
    else base[l](text);
  }
  return logger;
}

/** `time LEVEL name msg [field=value …]`, then the error's stack: the JSON line, for people. */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, name, msg, err, ...fields } = o;
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const e = err as { stack?: string; message?: string; data?: unknown } | undefined;
  const detail = e ? `\n${e.stack ?? e.message ?? ''}${e.data !== undefined ? `\n  data: ${JSON.stringify(e.data)}` : ''}` : '';
  return `${String(time)} ${String(level).toUpperCase()} ${String(name)} ${String(msg ?? '')}${rest ? ` [${rest}]` : ''}${detail}`;
}
