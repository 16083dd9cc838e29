/**
 * npm run seed -- --clients N --invoices M [--db <path>] [--seed S] [--as-of YYYY-MM-DD] [--contracts all|settled|none]
 *
 * Deterministic demo data into an empty database (created and migrated as needed). Reads no
 * Slack configuration: only DATABASE_PATH, when --db is not given.
 */
import { parseArgs } from 'node:util';
import { closeDb, openDb } from '../repos/db.ts';
import { SeedError, seed, summaryLine, type ContractMode } from '../seed/generate.ts';

const USAGE =
  'usage: npm run seed -- --clients N --invoices M [--db <path>] [--seed S] [--as-of YYYY-MM-DD] [--contracts all|settled|none]\n' +
  '  --db         SQLite file (default: DATABASE_PATH, else ./data/dealdesk.db); must have no clients yet\n' +
  '  --seed       PRNG seed (default 1); the same arguments give the same data\n' +
  '  --as-of      the day the data is "as of" (default: today, UTC)\n' +
  '  --contracts  all (default), settled (only signed contracts behind won deals) or none';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function whole(name: string, v: string | undefined, min: number): number {
  if (v === undefined) fail(`--${name} is required`);
  const n = Number(v.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min}, not ${v}`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      clients: { type: 'string' },
      invoices: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      contracts: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const clients = whole('clients', args.clients, 1);
const invoices = whole('invoices', args.invoices, 0);
const seedValue = args.seed === undefined ? 1 : whole('seed', args.seed, 0);
const contracts = (args.contracts ?? 'all') as ContractMode;
if (!['all', 'settled', 'none'].includes(contracts)) fail(`--contracts must be all, settled or none, not ${args.contracts}`);
const asOf = args['as-of'];
if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) fail(`--as-of must be a date like 2026-11-27, not ${asOf}`);
const path = args.db ?? (process.env.DATABASE_PATH?.trim() || './data/dealdesk.db');

const db = openDb(path);
try {
  const r = seed(db, { clients, invoices, seed: seedValue, contracts, ...(asOf ? { asOf } : {}) });
  process.stdout.write(`${summaryLine(path, r)}\n`);
} catch (err) {
  closeDb(db);
  if (err instanceof SeedError) {
    process.stderr.write(`seed: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
closeDb(db);
