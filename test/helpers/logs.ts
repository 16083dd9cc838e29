/** The JSON lines the bot's logger writes (src/log.ts), as tests read them. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  time: string;
  instance: string;
  name: string;
  msg: string;
  err?: { type?: string; message?: string; stack?: string; data?: unknown };
  [field: string]: unknown;
}

export function parseLog(line: string): LogLine {
  return JSON.parse(line) as LogLine;
}

/** The line's level; a line that is not the logger's JSON has none. */
export function levelOf(line: string): string | undefined {
  try {
    return parseLog(line).level;
  } catch {
    return undefined;
  }
}

/** Warnings and errors: what a clean run must not have written. */
export function isWarnOrError(line: string): boolean {
  const l = levelOf(line);
  return l === 'warn' || l === 'error';
}
