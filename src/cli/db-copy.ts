/**
 * npm run db:copy -- --to <postgres url> [--from <sqlite file>]
 *
 * Moves the SQLite database (DATABASE_PATH) into an empty PostgreSQL database (SPEC §8): migrates
 * it, copies every table in one transaction, and checks the row counts. Reads no Slack configuration.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CopyError, copySqliteToPg } from '../repos/copy.ts';
import { closePgDb, openPgDb, type PgDb } from '../repos/pg.ts';
import { runCli } from './run.ts';

const USAGE =
  'usage: npm run db:copy -- --to <postgres url> [--from <sqlite file>]\n' +
  '  --to    the PostgreSQL database to fill, e.g. postgres://user:password@host:5432/dealdesk; it must be empty\n' +
  '  --from  the SQLite file to copy (default: DATABASE_PATH, else ./data/dealdesk.db); only read';

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

/** The URL without its password, to name the target in messages. */
function shown(url: URL): string {
  return `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { to: { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (err) {
    return usage((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.to) return usage('Say which PostgreSQL database to copy into with --to.');
  let url: URL;
  try {
    url = new URL(args.to);
  } catch {
    return usage(`--to must be a postgres:// URL, not ${args.to}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return usage(`--to must be a postgres:// URL, not a ${url.protocol}// one`);
  const from = resolve(args.from ?? (process.env.DATABASE_PATH?.trim() || './data/dealdesk.db'));

  const started = Date.now();
  let db: PgDb;
  try {
    db = await openPgDb(args.to);
  } catch (err) {
    process.stderr.write(`Cannot connect to or migrate ${shown(url)}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    process.stdout.write(`Copying ${from} into ${shown(url)}\n`);
    const counts = await copySqliteToPg(from, db, { onTable: (table, rows) => process.stdout.write(`  ${table}: ${rows.toLocaleString('en-US')} rows copied\n`) });
    const width = Math.max(...counts.map((c) => c.table.length));
    for (const c of counts) {
      process.stdout.write(`${c.table.padEnd(width)} ${c.source.toLocaleString('en-US')} → ${c.target.toLocaleString('en-US')} ${c.source === c.target ? '✓' : '✗'}\n`);
    }
    process.stdout.write(`Copied and verified ${counts.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } catch (err) {
    if (err instanceof CopyError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`db:copy failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await closePgDb(db);
  }
}

runCli('db:copy', main);
