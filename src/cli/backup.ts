import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { backupTo, BackupError, CORE_TABLES } from '../repos/backup.ts';
import { pgDumpTo } from '../repos/pg-backup.ts';
import { jobSummary } from '../slack/ui/messages/jobs.ts';
import { runCli } from './run.ts';

const USAGE = `Usage: npm run backup -- <file> [--force]
Copies the database (DATABASE_PATH) to <file>, safely while the bot runs, and checks the copy.
On PostgreSQL (DATABASE_URL) it runs pg_dump --format=custom into <file> where pg_dump is installed.
An existing <file> is replaced only with --force.`;

/** `npm run backup -- <file> [--force]`: one verified online copy of the database, then exit. */
async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('-'));
  const files = argv.filter((a) => !a.startsWith('-'));
  if (flags.includes('--help') || flags.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = flags.filter((f) => f !== '--force');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown.join(' ')}.\n${USAGE}\n`);
    return 2;
  }
  if (files.length !== 1) {
    process.stderr.write(`${files.length === 0 ? 'Say where to write the backup.' : `Give one file, not ${files.length}.`}\n${USAGE}\n`);
    return 2;
  }
  const force = flags.includes('--force');
  const dest = resolve(files[0]!);

  const config = loadConfig(process.env);
  if (existsSync(dest) && !force) {
    process.stderr.write(`${dest} already exists; pass --force to replace it.\n`);
    return 1;
  }
  const started = Date.now();
  if (config.databaseUrl) {
    process.stdout.write(`${jobSummary({ job: 'backup', backup: await pgDumpTo(config.databaseUrl, dest) }, 'en').replace(/^backup: /, '')}\n`);
    return 0;
  }
  const { bytes, counts } = await backupTo(config.databasePath, dest);
  const rows = CORE_TABLES.filter((t) => counts[t] !== undefined).map((t) => `${t} ${counts[t]}`).join(', ');
  process.stdout.write(`Backed up ${resolve(config.databasePath)} to ${dest}: ${bytes} bytes, integrity ok, ${rows} (${Date.now() - started} ms)\n`);
  return 0;
}

runCli('backup', main, [ConfigError, BackupError]);
