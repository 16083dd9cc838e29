/** 1. The data: seeded once per generator, migrations, size and day (data/bench-<hash>.db), then a fresh copy each run. */
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { closeDb, openDb } from '../../src/repos/db.ts';
import { seed, summaryLine } from '../../src/seed/generate.ts';
import { asOf, CLIENTS, INVOICES, ROOT, SEED } from './config.ts';
import { line, ms } from './report.ts';

/** The seeded database for this generator, migrations, size and day: reused, or seeded now. */
export function seededDb(): string {
  const hash = createHash('sha256');
  const seedDir = join(ROOT, 'src/seed');
  for (const f of readdirSync(seedDir).filter((f) => f.endsWith('.ts')).sort()) hash.update(f).update(readFileSync(join(seedDir, f)));
  hash.update(readFileSync(join(ROOT, 'db/migrations/meta/_journal.json'))).update(JSON.stringify({ CLIENTS, INVOICES, SEED, asOf }));
  const cached = join(ROOT, 'data', `bench-${hash.digest('hex').slice(0, 12)}.db`);
  if (existsSync(cached)) {
    line('seed', `cached ${relative(ROOT, cached)} (${CLIENTS} clients, ${INVOICES} invoices as of ${asOf})`);
    return cached;
  }
  const tmp = `${cached}.tmp`;
  for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true });
  const db = openDb(tmp);
  const r = seed(db, { clients: CLIENTS, invoices: INVOICES, seed: SEED, asOf });
  closeDb(db);
  for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
  renameSync(tmp, cached);
  line('seed', `not cached; ${summaryLine(relative(ROOT, cached), r)}`);
  line('seed time', `${r.seconds.toFixed(1)} s`, { pass: r.seconds < 60, target: '< 60 s' });
  return cached;
}

/** A copy of `cached` at `dbPath` for this run (a reflink where the file system has them). */
export function freshCopy(cached: string, dbPath: string): void {
  const tc = performance.now();
  copyFileSync(cached, dbPath, constants.COPYFILE_FICLONE);
  line('fresh copy', `${ms(performance.now() - tc)} (${dbPath})`);
}
