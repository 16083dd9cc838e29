import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `pg_dump` can be run here. */
async function hasPgDump(): Promise<boolean> {
  try {
    await run('pg_dump', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** What a PostgreSQL backup did: a dump written (restore with pg_restore), or none since pg_dump is not installed here. */
export type PgBackupResult = { kind: 'pg-dump'; file: string; kib: number } | { kind: 'no-pg-dump' };

/**
 * A backup of a PostgreSQL database: `pg_dump --format=custom` into `dir` where pg_dump is
 * installed (restore with pg_restore), else the answer that backups are the database
 * server's to make. Never a silent nothing; slack/ui words either.
 */
export async function pgBackup(url: string, dir: string, now: number): Promise<PgBackupResult> {
  if (!(await hasPgDump())) return { kind: 'no-pg-dump' };
  mkdirSync(dir, { recursive: true });
  return pgDumpTo(url, join(dir, `dealdesk-${new Date(now).toISOString().replace(/[:.]/g, '-').slice(0, 19)}.dump`));
}

/** `pg_dump --format=custom` of `url` into `file`; throws with pg_dump's own words when it fails. */
export async function pgDumpTo(url: string, file: string): Promise<PgBackupResult> {
  if (!(await hasPgDump())) return { kind: 'no-pg-dump' };
  await run('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${url}`], { maxBuffer: 1 << 20 });
  return { kind: 'pg-dump', file, kib: Math.round(statSync(file).size / 1024) };
}
