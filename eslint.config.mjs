import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Data from outside the process (files, sockets, database rows, child output) is parsed with a
// schema: `JSON.parse(x) as T` believes whatever it is told.
const jsonParse = "CallExpression[callee.object.name='JSON'][callee.property.name='parse']";
const noJsonParseAs = [
  {
    selector: `TSAsExpression > ${jsonParse}`,
    message:
      'Parse JSON with a schema (parseJson in src/shared/json.ts, or zod on the value), never `JSON.parse(...) as`.',
  },
  {
    selector: `TSTypeAssertion > ${jsonParse}`,
    message:
      'Parse JSON with a schema (parseJson in src/shared/json.ts, or zod on the value), never `<T>JSON.parse(...)`.',
  },
];
const noJsonParse = {
  selector: jsonParse,
  message: 'Parse JSON through src/shared/json.ts (parseJson(schema, text) or parseJsonValue(text)).',
};

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'util', 'stream'];

// Unit tests live next to their code (src/**/*.test.ts) and are pure: no processes, PTYs, git,
// sockets or databases, so they run in parallel in the `unit` Vitest project. Anything with real
// parts is an integration test under test/ (the `integration` and `serial` projects).
const unitTestPurity = {
  group: ['node:child_process', 'child_process', 'node:net', 'node:http', 'node-pty', 'sqlite3'],
  message:
    'A unit test next to its code is pure (no processes, PTYs, git, sockets, SQLite): real parts belong in an integration test under test/.',
};
// Test support that starts real parts (temp repos, engines, hosts, peers that wait on PTYs).
const unitTestSupport = {
  // …and the engine's real parts: git, PTYs, SQLite, the composed engine.
  regex: '(/test/support/(?!session-fixtures$|screen-state$)|(^|/)(git-client|terminal-service|database|engine)$)',
  message: unitTestPurity.message,
};
const tests = ['**/*.test.ts', '**/*.test.tsx'];

/** A room's import rules for its code, and the same plus purity for its unit tests. */
function layer(files, patterns) {
  const rule = (p) => ['error', { patterns: p }];
  return [
    { files, ignores: tests, rules: { 'no-restricted-imports': rule(patterns) } },
    {
      files: files.map((f) => f.replace(/\*\.(\{ts,tsx\}|ts)$/, '*.test.$1')),
      rules: { 'no-restricted-imports': rule([...patterns, unitTestPurity, unitTestSupport]) },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      '**/node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/tmp/**',
      'dist/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-restricted-syntax': ['error', ...noJsonParseAs],
    },
  },
  // In the app's processes every JSON.parse goes through the one helper, so none can skip the schema.
  {
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts', 'src/preload/**/*.ts'],
    ignores: ['src/shared/json.ts', '**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noJsonParseAs, noJsonParse] },
  },
  // Layering: one block per room of the app. Each room lists what it must not import; a room's
  // unit tests (src/**/*.test.ts) get the same rules plus the unit-test rule below.
  ...layer(
    ['src/shared/**/*.ts'],
    [
      {
        group: [...nodeBuiltins, 'electron', '**/main/**', '**/renderer/**', '**/preload/**'],
        message: 'src/shared is pure: no node, electron, main or renderer imports.',
      },
    ],
  ),
  ...layer(
    ['src/renderer/**/*.{ts,tsx}'],
    [
      {
        group: [...nodeBuiltins, 'electron', '**/main/**', '**/preload/index'],
        message: 'The renderer talks to the host only through the typed client.',
      },
    ],
  ),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
    },
  },
  // The preload is the bridge: shared contract and the IPC channel names, nothing else of main.
  ...layer(
    ['src/preload/**/*.ts'],
    [
      {
        regex: '/(renderer|main/(?!transports/electron-ipc/ipc-channels$))',
        message: 'The preload knows only the contract and the IPC channel names.',
      },
    ],
  ),
  // The engine owns its RPC boundary (engine/rpc) and knows nothing of how bytes travel or who
  // hosts it: no transport, browser-mode server, CLI, client library, host wiring or Electron.
  ...layer(
    ['src/main/engine/**/*.ts'],
    [
      {
        group: [
          'electron',
          '**/transports/**',
          '**/server/**',
          '**/cli/**',
          '**/client/**',
          '**/host/**',
          '**/app/**',
          '**/terminal-host/**',
          '**/renderer/**',
          '**/preload/**',
        ],
        message: 'The engine imports no transport or host: they depend on it, not the other way round.',
      },
    ],
  ),
  // Transports carry frames; they know the engine only through engine/rpc.
  ...layer(
    ['src/main/transports/**/*.ts'],
    [
      {
        group: [
          '**/engine/engine',
          '**/engine/sessions/**',
          '**/engine/terminals/**',
          '**/server/**',
          '**/cli/**',
          '**/app/**',
          '**/renderer/**',
        ],
        message: 'A transport talks to the engine through engine/rpc (router, hub, peer) only.',
      },
    ],
  ),
  // Browser mode, the CLI, the client library and host wiring run without Electron.
  ...layer(
    ['src/main/server/**/*.ts', 'src/main/cli/**/*.ts', 'src/main/client/**/*.ts', 'src/main/host/**/*.ts'],
    [
      {
        group: ['electron', '**/app/**', '**/renderer/**', '**/preload/**'],
        message: 'The engine, browser mode and the CLI run without Electron (src/main/app is the Electron shell).',
      },
    ],
  ),
  // The Electron shell (window, menus, security) wires hosts; it never reaches into engine rooms.
  ...layer(
    ['src/main/app/**/*.ts'],
    [
      {
        regex: '/(engine/(?!core/|rpc/)[^/]+/|renderer/|cli/)',
        message: 'The Electron shell uses the engine through its composition (engine.ts) and RPC boundary only.',
      },
    ],
  ),
  prettier,
);
