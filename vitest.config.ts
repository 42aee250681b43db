import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real git, PTYs and SQLite on two cores: one file at a time keeps terminal timing honest
    // (a starved event loop is a benchmark's subject, not a test's).
    maxWorkers: 1,
    reporters: ['default'],
  },
});
