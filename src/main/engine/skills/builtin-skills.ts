import type { Skill } from '../../../shared/domain';

/**
 * The npm package behind each builtin skill's program. The skill runs a locally installed binary
 * when there is one (the worktree's node_modules/.bin, the repository's, then PATH), else
 * `npx --yes <package>` — which needs network access the first time; offline, the command fails
 * and its error is recorded like any other command's.
 */
export const builtinPackages: Record<string, { bin: string; npmPackage: string }> = {
  openspec: { bin: 'openspec', npmPackage: '@fission-ai/openspec@latest' },
  tonl: { bin: 'tonl', npmPackage: 'tonl@latest' },
};

/** Skills every session can use; they cannot be overridden by settings or repository files. */
export const builtinSkills: Skill[] = [
  {
    name: 'openspec',
    description:
      'Spec-driven development with the OpenSpec CLI (npm @fission-ai/openspec) in the session worktree: specs and change proposals under openspec/.',
    source: 'builtin',
    actions: {
      init: {
        description: 'Create the openspec/ folder in the worktree (no AI-tool integrations; non-interactive).',
        command: 'openspec',
        args: ['init', '--tools', 'none'],
        params: [],
      },
      list: { description: 'List active change proposals.', command: 'openspec', args: ['list'], params: [] },
      specs: { description: 'List the specs.', command: 'openspec', args: ['list', '--specs'], params: [] },
      validate: {
        description: 'Validate every change and spec.',
        command: 'openspec',
        args: ['validate', '--all'],
        params: [],
      },
      'validate-change': {
        description: 'Validate one change or spec.',
        command: 'openspec',
        args: ['validate', '{change}'],
        params: [{ name: 'change', description: 'Change or spec id', required: true }],
      },
      show: {
        description: 'Show a change or spec.',
        command: 'openspec',
        args: ['show', '{item}'],
        params: [{ name: 'item', description: 'Change or spec id', required: true }],
      },
    },
  },
  {
    name: 'tonl',
    description:
      'Convert JSON data files in the worktree to TONL (token-optimised notation) and back with the tonl CLI (npm tonl), so agents spend fewer tokens reading data.',
    source: 'builtin',
    actions: {
      encode: {
        description: 'JSON file → TONL file.',
        command: 'tonl',
        args: ['encode', '{file}', '--out', '{out}'],
        params: [
          { name: 'file', description: 'JSON file, relative to the worktree', required: true },
          { name: 'out', description: 'TONL file to write, e.g. data.tonl', required: true },
        ],
      },
      decode: {
        description: 'TONL file → JSON file.',
        command: 'tonl',
        args: ['decode', '{file}', '--out', '{out}'],
        params: [
          { name: 'file', description: 'TONL file, relative to the worktree', required: true },
          { name: 'out', description: 'JSON file to write, e.g. data.json', required: true },
        ],
      },
      stats: {
        description: 'Size and token statistics of a JSON or TONL file.',
        command: 'tonl',
        args: ['stats', '{file}'],
        params: [{ name: 'file', description: 'JSON or TONL file, relative to the worktree', required: true }],
      },
    },
  },
];
