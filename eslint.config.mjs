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

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
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
  // Boundaries (DESIGN §7): shared imports no node/electron; the renderer nothing from main;
  // the engine nothing from electron.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', '**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared is pure: no node, electron, main or renderer imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', '**/main/**'],
              message: 'The renderer talks to the host only through the typed client.',
            },
          ],
        },
      ],
    },
  },
  // The engine owns its RPC boundary (engine/rpc) and knows nothing of how bytes travel or who
  // hosts it: no transport, browser-mode server, CLI, client library, host wiring or Electron.
  {
    files: ['src/main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine runs without Electron.' }],
          patterns: [
            {
              group: ['**/transports/**', '**/server/**', '**/cli/**', '**/client/**', '**/host/**', '**/app/**'],
              message: 'The engine imports no transport or host: they depend on it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  // Transports carry frames; they know the engine only through engine/rpc.
  {
    files: ['src/main/transports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/engine/engine',
                '**/engine/sessions/**',
                '**/engine/terminals/**',
                '**/server/**',
                '**/cli/**',
              ],
              message: 'A transport talks to the engine through engine/rpc (router, hub, peer) only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/server/**/*.ts', 'src/main/cli/**/*.ts', 'src/main/client/**/*.ts', 'src/main/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The engine, browser mode and the CLI run without Electron.' }] },
      ],
    },
  },
  prettier,
);
