/**
 * Branch names as the engine makes them, in one pure place the renderer shares: the wizard shows
 * exactly the name a session will get, and checks a typed name by git's own rules before Create.
 */

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

/** Git cannot hold both `a/b` and `a/b/c` (or names differing in case on some disks). */
export function branchClashes(candidate: string, taken: Iterable<string>): boolean {
  const c = candidate.toLowerCase();
  for (const t of taken) {
    const l = t.toLowerCase();
    if (l === c || l.startsWith(`${c}/`) || c.startsWith(`${l}/`)) return true;
  }
  return false;
}

/** The first of `candidate`, `candidate-2`, `candidate-3`, … that clashes with nothing taken. */
export function firstFreeBranchName(candidate: string, taken: Iterable<string>, maxAttempts = 500): string | null {
  const list = [...taken];
  for (let k = 1; k <= maxAttempts; k++) {
    const name = withUniqueSuffix(candidate, k);
    if (!branchClashes(name, list)) return name;
  }
  return null;
}

/**
 * Why git would refuse `name` as a branch name (`git check-ref-format --branch` rules, plus the
 * leading '-' an argv would read as an option), in words; null when it is acceptable. The engine
 * still asks git itself before creating anything.
 */
export function branchNameProblem(name: string): string | null {
  if (name.length === 0) return 'Give a branch name, or leave the field empty to derive it from the session name.';
  if (name.length > 255) return 'Branch names are at most 255 characters.';
  if (name.startsWith('-')) return 'A branch name cannot start with “-”.';
  if (name === '@' || name === 'HEAD') return `“${name}” is reserved by git — choose another name.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(name)) return 'Branch names cannot contain spaces or control characters.';
  const bad = /[~^:?*[\\]/.exec(name);
  if (bad) return `Branch names cannot contain “${bad[0]}”.`;
  if (name.includes('..')) return 'Branch names cannot contain “..”.';
  if (name.includes('@{')) return 'Branch names cannot contain “@{”.';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'Branch names cannot start or end with “/” or contain “//”.';
  if (name.endsWith('.')) return 'A branch name cannot end with “.”.';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'No part of a branch name (between “/”) can start with “.”.';
    if (part.toLowerCase().endsWith('.lock')) return 'No part of a branch name can end with “.lock”.';
  }
  return null;
}

/** Why a branch template cannot be used, in words; null when it is fine. */
export function branchTemplateProblem(template: string): string | null {
  const t = template.trim();
  if (t === '') return null; // empty uses the default template
  if (!/\{name\}/i.test(t))
    return 'The template needs {name} — without it every session of a repository would want the same branch.';
  const unknown = /\{([^}]*)\}/g;
  for (let m = unknown.exec(t); m; m = unknown.exec(t)) {
    if (!['name', 'type', 'n', 'date'].includes(m[1].toLowerCase()))
      return `Unknown placeholder {${m[1]}} — use {name}, {type}, {n} or {date}.`;
  }
  return branchNameProblem(branchNameFromTemplate(t, { name: 'example', type: 'general', n: 1 }));
}
