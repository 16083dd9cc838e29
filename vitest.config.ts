import { defineConfig } from 'vitest/config';

/**
 * The over-the-wire files that run a second time on PostgreSQL (DEALDESK_TEST_BACKEND=postgres:
 * test/helpers/harness.ts gives each bot a fresh database). Files that read SQLite's file
 * directly (backups, the seeder, crash and lock tests) are SQLite's own.
 */
const ON_POSTGRES = [
  'test/approval-deadlines.test.ts',
  'test/client-commands.test.ts',
  'test/contracts.test.ts',
  'test/error-boundary.test.ts',
  'test/home.test.ts',
  'test/http.test.ts',
  'test/idempotency.test.ts',
  'test/invoices.test.ts',
  'test/dunning-digest.test.ts',
  'test/analytics.test.ts',
  'test/secrets.test.ts',
  'test/retention.test.ts',
  'test/import-slack.test.ts',
  'test/import-effects.test.ts',
  'test/i18n/journey.bg.test.ts',
  'test/abc-totals.test.ts',
  'test/funnel-sql.test.ts',
  'test/i18n/import.bg.test.ts',
];

/** Only on PostgreSQL: several instances sharing one database. */
const POSTGRES_ONLY = ['test/instances.test.ts', 'test/instances-kill.test.ts'];

export default defineConfig({
  test: {
    // One throwaway PostgreSQL per run (test/helpers/pg.ts freshPgDatabase); a run without it still passes its other tests.
    globalSetup: ['test/helpers/pg-global-setup.ts'],
    // Over-the-wire tests wait on real processes (the analytics process, CLIs); 2 cores, two projects.
    testTimeout: 40_000,
    hookTimeout: 30_000,
    // Tests start real servers on loopback ports and real SQLite files; two cores only.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: POSTGRES_ONLY } },
      { extends: true, test: { name: 'postgres', include: [...ON_POSTGRES, ...POSTGRES_ONLY], env: { DEALDESK_TEST_BACKEND: 'postgres' } } },
    ],
  },
});
