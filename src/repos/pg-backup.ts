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

/**
 * A backup of a PostgreSQL database: `pg_dump --format=custom` into `dir` where pg_dump is
 * installed (restore with pg_restore), else a plain answer that backups are the database
 * server's to make. Never a silent nothing. Returns one line saying which.
 */
export async function pgBackup(url: string, dir: string, now: number): Promise<string> {
  if (!(await hasPgDump())) {
    return 'dealdesk runs on PostgreSQL (DATABASE_URL) and pg_dump is not installed on this machine, so nothing was copied here: back up the database on its server (pg_basebackup, WAL archiving, or your provider\'s snapshots)';
  }
  mkdirSync(dir, { recursive: true });
  return pgDumpTo(url, join(dir, `dealdesk-${new Date(now).toISOString().replace(/[:.]/g, '-').slice(0, 19)}.dump`));
}

/** `pg_dump --format=custom` of `url` into `file`; throws with pg_dump's own words when it fails. */
export async function pgDumpTo(url: string, file: string): Promise<string> {
  if (!(await hasPgDump())) return pgBackup(url, '', 0);
  await run('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${url}`], { maxBuffer: 1 << 20 });
  return `pg_dump of the PostgreSQL database to ${file} (${Math.round(statSync(file).size / 1024)} KiB; restore with pg_restore)`;
}
