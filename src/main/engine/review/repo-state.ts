import { stat, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ConflictFile, PendingOperation } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { conflictKind, parseStatusV2, type StatusEntry } from './git-parse';

/** Network operations (fetch, push) are stopped after this long without output. */
export const NETWORK_TIMEOUT_MS = 60_000;

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function readTrim(p: string): Promise<string | null> {
  return readFile(p, 'utf8').then(
    (s) => s.trim(),
    () => null,
  );
}

/** Paths of git's own files for the worktree at `cwd` (`--git-path` resolves per-worktree files). */
export async function gitPaths(git: GitClient, cwd: string, names: string[]): Promise<string[]> {
  const out = await git.run(cwd, ['rev-parse', ...names.flatMap((n) => ['--git-path', n])]);
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((p) => (isAbsolute(p) ? p : join(cwd, p)));
}

/** A rebase or merge that stopped in this worktree and waits for the user, or null. */
export async function pendingOperation(git: GitClient, cwd: string): Promise<PendingOperation | null> {
  const [rebaseMerge, rebaseApply, mergeHead] = await gitPaths(git, cwd, [
    'rebase-merge',
    'rebase-apply',
    'MERGE_HEAD',
  ]);
  if (await exists(rebaseMerge)) {
    const step = Number(await readTrim(join(rebaseMerge, 'msgnum')));
    const total = Number(await readTrim(join(rebaseMerge, 'end')));
    return {
      kind: 'rebase',
      onto: await readTrim(join(rebaseMerge, 'onto')),
      step: Number.isFinite(step) && step > 0 ? step : null,
      total: Number.isFinite(total) && total > 0 ? total : null,
    };
  }
  if (await exists(rebaseApply)) {
    return { kind: 'rebase', onto: await readTrim(join(rebaseApply, 'onto')), step: null, total: null };
  }
  if (await exists(mergeHead)) {
    return { kind: 'merge', onto: (await readTrim(mergeHead))?.split('\n')[0] ?? null, step: null, total: null };
  }
  return null;
}

/**
 * `git status` of a worktree without taking optional locks: a read must never rewrite the index
 * (that would wake the file watcher and loop) or block an agent's own git.
 */
export async function readStatus(git: GitClient, cwd: string): Promise<StatusEntry[]> {
  const out = await git.run(cwd, [
    '--no-optional-locks',
    'status',
    '--porcelain=v2',
    '-z',
    '--no-renames',
    '--untracked-files=all',
  ]);
  return parseStatusV2(out);
}

/** The unmerged paths of a stopped rebase or merge, named from the session's point of view. */
export function conflictsOf(entries: readonly StatusEntry[], op: PendingOperation | null): ConflictFile[] {
  if (!op) return [];
  return entries.filter((e) => e.conflicted).map((e) => ({ path: e.path, kind: conflictKind(e.x, e.y, op.kind) }));
}

/** The commit a revision names, or null. */
export async function revParse(git: GitClient, cwd: string, rev: string): Promise<string | null> {
  if (rev.startsWith('-')) return null;
  const r = await git.exec(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export async function isAncestor(git: GitClient, cwd: string, a: string, b: string): Promise<boolean> {
  const r = await git.exec(cwd, ['merge-base', '--is-ancestor', a, b]);
  return r.exitCode === 0;
}

export async function mergeBase(git: GitClient, cwd: string, a: string, b: string): Promise<string | null> {
  const r = await git.exec(cwd, ['merge-base', a, b]);
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** Commits in `a` not in `b` and in `b` not in `a`. */
export async function aheadBehind(
  git: GitClient,
  cwd: string,
  base: string,
  head: string,
): Promise<{ ahead: number; behind: number }> {
  const out = await git.run(cwd, ['rev-list', '--left-right', '--count', `${base}...${head}`]);
  const [behind, ahead] = out.trim().split(/\s+/).map(Number);
  return { ahead: ahead || 0, behind: behind || 0 };
}

/** The session branch's base as a local branch; refuses bases that are not local branches. */
export async function localBaseTip(git: GitClient, cwd: string, base: string): Promise<string> {
  const tip = base.startsWith('-') ? null : await revParse(git, cwd, `refs/heads/${base}`);
  if (!tip) {
    throw new AppError(
      'BRANCH_NOT_FOUND',
      `The base \`${base}\` is not a local branch any more — recreate it or merge by hand.`,
      { base },
    );
  }
  return tip;
}

/** The remote and remote-tracking ref a local branch follows, if it has an upstream. */
export async function upstreamOf(
  git: GitClient,
  cwd: string,
  branch: string,
): Promise<{ remote: string; ref: string } | null> {
  const remote = await git.exec(cwd, ['config', '--get', `branch.${branch}.remote`]);
  if (remote.exitCode !== 0) return null;
  const r = await git.exec(cwd, ['for-each-ref', '--format=%(upstream)', `refs/heads/${branch}`]);
  const ref = r.stdout.trim();
  if (r.exitCode !== 0 || !ref.startsWith('refs/remotes/')) return null;
  return { remote: remote.stdout.trim(), ref };
}

/** Remote names of the repository. */
export async function remotes(git: GitClient, cwd: string): Promise<string[]> {
  return (await git.run(cwd, ['remote']))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Where a branch is checked out (any worktree of the repository), or null. */
export async function checkoutOf(git: GitClient, cwd: string, branch: string): Promise<string | null> {
  const out = await git.run(cwd, ['worktree', 'list', '--porcelain', '-z']);
  let path: string | null = null;
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field === `branch refs/heads/${branch}` && path) return path;
  }
  return null;
}
