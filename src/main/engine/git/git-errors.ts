import { AppError } from '../../../shared/errors';
import type { GitCommandError } from './git-command-error';

type Mapper = (m: RegExpMatchArray, e: GitCommandError) => AppError;

function details(e: GitCommandError): Record<string, unknown> {
  return { args: [...e.args], cwd: e.cwd, exitCode: e.exitCode, stderr: e.stderr.slice(0, 4000) };
}

// Git's messages (LC_ALL=C) that mean something the user can fix, most specific first.
const RULES: [RegExp, Mapper][] = [
  [
    /detected dubious ownership in repository at '([^']+)'/,
    (m, e) =>
      new AppError(
        'NOT_A_REPOSITORY',
        `\`${m[1]}\` belongs to another user, so git refuses to use it — run \`git config --global --add safe.directory ${m[1]}\` or pick a folder you own.`,
        details(e),
      ),
  ],
  [
    /not a git repository/i,
    (_m, e) =>
      new AppError(
        'NOT_A_REPOSITORY',
        `\`${e.cwd}\` is not a git repository — pick a folder that contains .git.`,
        details(e),
      ),
  ],
  [
    /this operation must be run in a work tree/,
    (_m, e) =>
      new AppError(
        'BARE_REPOSITORY',
        `\`${e.cwd}\` is a bare repository (no working files) — pick a normal clone instead.`,
        details(e),
      ),
  ],
  [
    /does not have any commits yet|ambiguous argument 'HEAD'|invalid reference: HEAD\b/,
    (_m, e) =>
      new AppError(
        'EMPTY_REPOSITORY',
        `The repository at \`${e.cwd}\` has no commits yet — make a first commit, then try again.`,
        details(e),
      ),
  ],
  [
    /a branch named '([^']+)' already exists/,
    (m, e) =>
      new AppError('BRANCH_EXISTS', `A branch named \`${m[1]}\` already exists — choose another name.`, details(e)),
  ],
  [
    /'([^']+)' is already (?:checked out|used by worktree) at '([^']+)'/,
    (m, e) =>
      new AppError(
        'BRANCH_EXISTS',
        `Branch \`${m[1]}\` is already checked out at \`${m[2]}\` — a branch can be checked out in one place only.`,
        { ...details(e), checkedOutAt: m[2] },
      ),
  ],
  [
    /'([^']*)' is not a valid branch name/,
    (m, e) =>
      new AppError(
        'INVALID_BRANCH_NAME',
        `\`${m[1]}\` is not a valid branch name — avoid spaces, '..', '~', '^', ':', '?', '*', '[' and a leading '-'.`,
        details(e),
      ),
  ],
  [
    /cannot lock ref '([^']+)'.*(?:exists|File exists)/s,
    (m, e) =>
      new AppError(
        'BRANCH_EXISTS',
        `Branch \`${m[1].replace(/^refs\/heads\//, '')}\` clashes with an existing branch — choose another name.`,
        details(e),
      ),
  ],
  [
    /invalid reference: (.+)/,
    (m, e) => new AppError('BRANCH_NOT_FOUND', `\`${m[1].trim()}\` does not exist in \`${e.cwd}\`.`, details(e)),
  ],
  [
    /branch '([^']+)' not found/,
    (m, e) => new AppError('BRANCH_NOT_FOUND', `Branch \`${m[1]}\` does not exist in \`${e.cwd}\`.`, details(e)),
  ],
  [
    /contains modified or untracked files/,
    (_m, e) =>
      new AppError(
        'DIRTY_WORKTREE',
        `The worktree has uncommitted changes or untracked files — commit them, or remove with force.`,
        details(e),
      ),
  ],
  [
    /is not fully merged/,
    (_m, e) =>
      new AppError(
        'UNMERGED_BRANCH',
        'The branch has commits that are not merged — merge it first, or delete with force.',
        details(e),
      ),
  ],
  [
    /Please tell me who you are|unable to auto-detect email address/,
    (_m, e) =>
      new AppError(
        'GIT_ERROR',
        'git does not know who you are — run `git config --global user.name "Your Name"` and `git config --global user.email you@example.com`.',
        details(e),
      ),
  ],
];

/** Turns a failed git process into the typed error a user can act on; unknown failures become GIT_ERROR. */
export function gitFailureToAppError(e: GitCommandError): AppError {
  const text = `${e.stderr}\n${e.stdout}`;
  for (const [pattern, map] of RULES) {
    const m = text.match(pattern);
    if (m) return map(m, e);
  }
  const firstLine =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? `exit code ${e.exitCode}`;
  return new AppError(
    'GIT_ERROR',
    `git ${e.args[0] ?? ''} failed: ${firstLine.replace(/^(fatal|error): /, '')}`,
    details(e),
  );
}
