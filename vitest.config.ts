import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One throwaway PostgreSQL per run (test/helpers/pg.ts freshPgDatabase); a run without it still passes its other tests.
    globalSetup: ['test/helpers/pg-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests start real servers on loopback ports and real SQLite files; two cores only.
    pool: 'forks',
    maxWorkers: 2,
  },
});
