import { AppError } from '../../../shared/errors';
import type { GitClient } from './git-client';

export const DEFAULT_BRANCH_TEMPLATE = 'ms/{name}';
const MAX_BRANCH_LENGTH = 80;

/** One path component: lower-case letters/digits of any script, '.', '_' and '-'; everything else becomes '-'. */
function sanitiseComponent(value: string): string {
  return (
    value
      .normalize('NFKD')
      // Drop combining marks so "Café" becomes "cafe" rather than "cafe-".
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
  );
}

/** Applies git's ref rules to a whole slash-separated name (see `git help check-ref-format`). */
function sanitiseRef(value: string): string {
  const parts = value
    .split('/')
    .map((part) =>
      part
        .replace(/\.{2,}/g, '.')
        .replace(/^[-.]+/, '')
        .replace(/(\.lock)+$/i, '')
        .replace(/[-.]+$/, ''),
    )
    .filter((part) => part.length > 0);
  return parts.join('/');
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Cuts a name to `max` characters without leaving a dangling '/', '.', or '-'. */
function clip(name: string, max: number): string {
  return sanitiseRef(name.slice(0, max));
}

/**
 * Builds a branch name from a template such as `ms/{name}` or `{type}/{name}-{date}`.
 * Placeholders: {name}, {type}, {n}, {date}; unknown ones are dropped. The result is lower-case,
 * has no characters git rejects, no empty or dot-led components, never starts with '-', and is at
 * most 80 characters. An empty name falls back to `session` so two templates never collapse to a
 * prefix of each other (`ms` vs `ms/x` cannot coexist in git).
 */
export function branchNameFromTemplate(
  template: string,
  vars: { name: string; type: string; n?: number; date?: string },
): string {
  const source = template.trim() || DEFAULT_BRANCH_TEMPLATE;
  const values: Record<string, string> = {
    name: sanitiseComponent(vars.name) || 'session',
    type: sanitiseComponent(vars.type.replace(/_/g, '-')),
    n: vars.n === undefined ? '' : String(Math.trunc(vars.n)),
    date: sanitiseComponent(vars.date ?? today()),
  };
  const filled = source.replace(/\{([a-z]*)\}/gi, (_all, key: string) => values[key.toLowerCase()] ?? '');
  const rough = filled
    .split('/')
    .map((part) => sanitiseComponent(part))
    .join('/');
  const name = clip(rough, MAX_BRANCH_LENGTH);
  if (name.length > 0) return name;
  return values.name;
}

/** `base` with a numeric suffix (`x-2`, `x-3`, …) kept within the length limit. */
export function withUniqueSuffix(base: string, k: number): string {
  if (k <= 1) return base;
  const suffix = `-${k}`;
  return `${clip(base, MAX_BRANCH_LENGTH - suffix.length)}${suffix}`;
}

/** A folder-friendly form of a branch name: slashes become '-', at most 60 characters. */
export function branchSlug(branch: string): string {
  const slug = sanitiseComponent(branch.replace(/\//g, '-'))
    .slice(0, 60)
    .replace(/[-.]+$/, '');
  return slug || 'branch';
}

/** Asks git whether `branch` is a valid branch name (`git check-ref-format --branch`). */
export async function checkRefFormat(git: GitClient, branch: string): Promise<boolean> {
  // A leading '-' would read as an option to later commands; '@{' expands to another branch.
  if (branch.length === 0 || branch.startsWith('-') || branch.includes('@{') || branch === '@') return false;
  const result = await git.exec(null, ['check-ref-format', '--branch', branch]);
  return result.exitCode === 0 && result.stdout.trim() === branch;
}

/** Throws INVALID_BRANCH_NAME unless `branch` is acceptable to git. */
export async function assertValidBranchName(git: GitClient, branch: string): Promise<void> {
  if (await checkRefFormat(git, branch)) return;
  throw new AppError(
    'INVALID_BRANCH_NAME',
    `\`${branch}\` is not a valid branch name — use letters, digits, '-', '_', '.' and '/', and do not start with '-'.`,
    { branch },
  );
}
