import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real git, PTYs and SQLite: two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
