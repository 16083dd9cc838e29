import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrl, TEMPLATE_DB } from './pg-context.ts';

/**
 * The run's throwaway PostgreSQL (started once by test/helpers/pg-global-setup.ts). A test that
 * needs it fails with the reason (e.g. `apt-get install -y postgresql`) when it is not there.
 */
export function pgAdminUrl(): string {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error(`no PostgreSQL for this test run: ${inject('pgError') ?? 'the vitest globalSetup test/helpers/pg-global-setup.ts did not run'}`);
  return url;
}

let made = 0;

/** A new, uniquely named database, already migrated (a copy of the migrated template): its URL. */
export async function freshPgDatabase(): Promise<string> {
  const name = `dd_${process.pid}_${++made}_${randomBytes(3).toString('hex')}`;
  return createPgDatabase(name, TEMPLATE_DB);
}

/** A new, uniquely named database with nothing in it (not migrated): its URL. */
export async function emptyPgDatabase(): Promise<string> {
  const name = `dd_${process.pid}_${++made}_${randomBytes(3).toString('hex')}_empty`;
  return createPgDatabase(name, 'template0');
}

async function createPgDatabase(name: string, template: string): Promise<string> {
  const admin = new pg.Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return databaseUrl(pgAdminUrl(), name);
}
