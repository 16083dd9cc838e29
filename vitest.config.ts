import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests start real servers on loopback ports and real SQLite files; two cores only.
    pool: 'forks',
    maxWorkers: 2,
  },
});
