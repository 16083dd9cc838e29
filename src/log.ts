import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/bolt';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LevelName = (typeof LOG_LEVELS)[number];

const RANK: Record<LevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// Anything shaped like a Slack token, even one we were not told about (a user token pasted
// into a command, a token echoed back in an error body).
const TOKEN_PATTERN = /xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

export interface AppLogger extends Logger {
  /** Writes go here; tests replace it to read what would have been printed. */
  sink: (line: string) => void;
}

/** A Bolt-compatible logger that never prints a token or the signing secret at any level. */
export function createLogger(level: LevelName, secrets: readonly (string | undefined)[], sink?: (line: string) => void): AppLogger {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  let current: LevelName = level;
  let name = 'dealdesk';
  const redact = (s: string): string => {
    let out = s.replace(TOKEN_PATTERN, '[redacted]');
    for (const secret of known) out = out.split(secret).join('[redacted]');
    return out;
  };
  const logger: AppLogger = {
    sink: sink ?? ((line) => process.stderr.write(line + '\n')),
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    setLevel: (l: LogLevel) => {
      current = l as LevelName;
    },
    getLevel: () => current as LogLevel,
    setName: (n: string) => {
      name = n;
    },
  };
  function write(l: LevelName, msg: unknown[]): void {
    if (RANK[l] < RANK[current]) return;
    const text = msg.map((m) => (typeof m === 'string' ? m : inspect(m, { depth: 4, breakLength: Infinity }))).join(' ');
    logger.sink(redact(`${new Date().toISOString()} ${l.toUpperCase()} ${name} ${text}`));
  }
  return logger;
}
