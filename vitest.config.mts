import { defineConfig } from 'vitest/config';

// Three tiers, run one after the other (sequence.groupOrder) and shown apart in the summary:
// - unit: tests next to their code (src/**/*.test.ts), pure by lint (no processes, PTYs, git,
//   sockets, SQLite) — in parallel.
// - integration: real git repos, SQLite, engines, built hosts and CLIs (test/**) whose outcome does
//   not depend on timing — two files at a time.
// - serial: tests whose subject is timing or the machine's resources (terminals and flow control,
//   limits, floods, crash points, kernel limits, file watching) — one file at a time, so a starved
//   event loop is a benchmark's subject, not a test's.
const serial = [
  'test/reliability/**/*.test.ts',
  'test/engine/terminals/**/*.test.ts',
  'test/transport/terminals-ws.test.ts',
  'test/engine/session-lifecycle.test.ts',
  'test/engine/session-metrics.test.ts',
  'test/engine/metrics/**/*.test.ts',
  'test/engine/worktree-pool.test.ts',
  'test/security/kernel-limits.test.ts',
  'test/review/live-refresh.test.ts',
  // Quitting during output: no line lost or doubled across a restart.
  'test/terminal-host/survive-ui-host.test.ts',
  // A flood through the UI host's relay to a fast and a slow client.
  'test/terminal-host/relay.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // V8 coverage of the app's code (npm test passes --coverage); reported per room by
    // scripts/coverage-rooms.mjs from the JSON summary.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.{ts,tsx}'],
      exclude: ['**/*.test.{ts,tsx}', '**/*.d.ts'],
      reporter: ['json-summary'],
      reportsDirectory: 'reports/coverage',
      // Figures even when a test failed: a red run still says how much of each room ran.
      reportOnFailure: true,
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}'],
          pool: 'threads',
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: serial,
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: serial,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
