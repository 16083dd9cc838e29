import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { closePgDb, openPgDb } from '../../src/repos/pg.ts';
import { startPgCluster, type PgCluster } from './pg-cluster.ts';
import { databaseUrl, TEMPLATE_DB } from './pg-context.ts';

/**
 * vitest globalSetup: one PostgreSQL cluster per test run, with a database `dd_template` migrated
 * once, which test/helpers/pg.ts freshPgDatabase() copies. A run whose tests never touch
 * PostgreSQL still passes where it cannot start: the error reaches only the tests that ask.
 */
export async function setup(project: TestProject): Promise<() => void> {
  let cluster: PgCluster | undefined;
  const stop = () => {
    cluster?.stop();
    cluster = undefined;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  try {
    cluster = await startPgCluster();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('exit', stop);
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
      await closePgDb(await openPgDb(databaseUrl(cluster.adminUrl, TEMPLATE_DB)));
      // No session may be connected to a template while it is copied: forbid them outright.
      await admin.query(`ALTER DATABASE ${TEMPLATE_DB} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    } finally {
      await admin.end();
    }
    project.provide('pgAdminUrl', cluster.adminUrl);
    project.provide('pgError', null);
  } catch (err) {
    stop();
    project.provide('pgAdminUrl', null);
    project.provide('pgError', err instanceof Error ? err.message : String(err));
  }
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', stop);
    stop();
  };
}
