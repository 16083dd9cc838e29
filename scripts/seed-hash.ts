/**
 * npx tsx scripts/seed-hash.ts --clients N --invoices M [--seed S] [--as-of YYYY-MM-DD] [--contracts all|settled|none]
 *
 * Seeds a temporary database and prints how long the seed took and the digest of every row it
 * wrote (src/seed/hash.ts): a change to the generator that should not alter its output must
 * print the same digest before and after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDb, openDb } from '../src/repos/db.ts';
import { seed, type ContractMode } from '../src/seed/generate.ts';
import { contentHash } from '../src/seed/hash.ts';

const USAGE = 'usage: npx tsx scripts/seed-hash.ts --clients N --invoices M [--seed S] [--as-of YYYY-MM-DD] [--contracts all|settled|none]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: { clients: { type: 'string' }, invoices: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, contracts: { type: 'string' } },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}
const whole = (name: string, v: string | undefined, fallback?: number): number => {
  if (v === undefined && fallback !== undefined) return fallback;
  const n = Number(v?.replace(/[_,]/g, ''));
  if (v === undefined || !Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number ≥ 0${v === undefined ? '' : `, not ${v}`}`);
  return n;
};
const contracts = (args.contracts ?? 'all') as ContractMode;
if (!['all', 'settled', 'none'].includes(contracts)) fail(`--contracts must be all, settled or none, not ${args.contracts}`);
const opts = {
  clients: whole('clients', args.clients),
  invoices: whole('invoices', args.invoices),
  seed: whole('seed', args.seed, 1),
  asOf: args['as-of'] ?? '2026-11-27',
  contracts,
};

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-seed-hash-'));
try {
  const db = openDb(join(dir, 'seed.db'));
  try {
    const r = seed(db, opts);
    process.stdout.write(`${JSON.stringify(opts)}\nseed: ${r.seconds.toFixed(2)} s\nhash: ${contentHash(db.$client)}\n`);
  } finally {
    closeDb(db);
  }
} catch (err) {
  process.stderr.write(`seed-hash: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
