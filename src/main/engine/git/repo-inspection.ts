import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, resolve } from 'node:path';
import type { RepoInfo } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { GitClient } from './git-client';

/** A validated working repository: its top-level folder and the git dir all its worktrees share. */
export interface ResolvedRepo {
  root: string;
  /** Absolute common git dir; the key for per-repository locking (shared by every linked worktree). */
  commonDir: string;
}

/** Expands a leading `~` and makes the path absolute. */
export function expandPath(path: string): string {
  const p = path.trim();
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(p);
}

async function assertDirectory(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new AppError('NOT_A_DIRECTORY', `\`${path}\` does not exist — pick an existing folder.`, { path });
  if (!info.isDirectory()) {
    throw new AppError('NOT_A_DIRECTORY', `\`${path}\` is a file, not a folder — pick the repository folder.`, {
      path,
    });
  }
}

/**
 * Checks that `path` is a folder inside a non-bare git repository with at least one commit and
 * returns its top level; each failure is a distinct typed error.
 */
export async function resolveRepo(git: GitClient, path: string): Promise<ResolvedRepo> {
  const abs = expandPath(path);
  await assertDirectory(abs);
  // The usual case in one git process (session creation resolves the repository twice); any
  // failure (bare, inside .git, not a repository) falls through to the step-by-step diagnosis.
  const fast = await git.exec(abs, [
    'rev-parse',
    '--is-bare-repository',
    '--is-inside-git-dir',
    '--path-format=absolute',
    '--git-common-dir',
    '--show-toplevel',
  ]);
  const [fastBare, fastInside, fastCommon, fastRoot] = fast.stdout.split('\n').map((l) => l.trim());
  if (fast.exitCode === 0 && fastBare === 'false' && fastInside === 'false' && fastCommon && fastRoot) {
    await assertHasCommit(git, fastRoot);
    return { root: fastRoot, commonDir: fastCommon };
  }
  const probe = await git.exec(abs, [
    'rev-parse',
    '--is-bare-repository',
    '--is-inside-git-dir',
    '--path-format=absolute',
    '--git-common-dir',
  ]);
  if (probe.exitCode !== 0) {
    // Re-run through `run` so the failure is mapped (not a repository, dubious ownership, …).
    await git.run(abs, ['rev-parse', '--git-dir']);
    throw new AppError('NOT_A_REPOSITORY', `\`${abs}\` is not a git repository — pick a folder that contains .git.`, {
      path: abs,
    });
  }
  const [bare, insideGitDir, commonDir] = probe.stdout.split('\n').map((l) => l.trim());
  if (bare === 'true') {
    throw new AppError('BARE_REPOSITORY', `\`${abs}\` is a bare repository (no working files) — pick a normal clone.`, {
      path: abs,
    });
  }
  if (insideGitDir === 'true') {
    throw new AppError(
      'NOT_A_REPOSITORY',
      `\`${abs}\` is inside git's own .git folder — pick the repository folder that contains it.`,
      { path: abs },
    );
  }
  const root = (await git.run(abs, ['rev-parse', '--show-toplevel'])).trim();
  await assertHasCommit(git, root);
  return { root, commonDir: commonDir ?? root };
}

async function assertHasCommit(git: GitClient, root: string): Promise<void> {
  const head = await git.exec(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) {
    throw new AppError(
      'EMPTY_REPOSITORY',
      `The repository at \`${root}\` has no commits yet — make a first commit, then try again.`,
      { path: root },
    );
  }
}

/** Local branch names, sorted by git. */
export async function localBranches(git: GitClient, root: string): Promise<string[]> {
  const out = await git.run(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']);
  return out.split('\n').filter((l) => l.length > 0);
}

/** The checked-out branch, or null on a detached HEAD. */
export async function currentBranch(git: GitClient, cwd: string): Promise<string | null> {
  const r = await git.exec(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

export async function branchExists(git: GitClient, root: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-')) return false;
  const r = await git.exec(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
  return r.exitCode === 0;
}

/**
 * Resolves a base the user named (local branch, remote-tracking branch, tag, or commit id) to an
 * unambiguous revision, or null. Names starting with '-' never reach git as a revision.
 */
export async function resolveRevision(git: GitClient, root: string, name: string): Promise<string | null> {
  if (name.length === 0 || name.startsWith('-')) return null;
  const candidates = [`refs/heads/${name}`, `refs/remotes/${name}`, `refs/tags/${name}`];
  if (/^[0-9a-f]{7,64}$/i.test(name)) candidates.push(name);
  for (const ref of candidates) {
    const r = await git.exec(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (r.exitCode === 0) return ref.startsWith('refs/') ? ref : r.stdout.trim();
  }
  return null;
}

/** Paths with changes: tracked (staged or not) and untracked, from `git status --porcelain -z`. */
export async function changedPaths(
  git: GitClient,
  cwd: string,
  untrackedMode: 'normal' | 'all' = 'normal',
): Promise<{ tracked: string[]; untracked: string[] }> {
  const out = await git.run(cwd, ['status', '--porcelain=v1', '-z', `--untracked-files=${untrackedMode}`]);
  const tracked: string[] = [];
  const untracked: string[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry || entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    if (code === '??') untracked.push(path);
    else if (code !== '!!') tracked.push(path);
    // Renames and copies are followed by their source path as a separate field.
    if (code[0] === 'R' || code[0] === 'C') i++;
  }
  return { tracked, untracked };
}

/** What the new-session wizard shows about a folder; throws the typed error when it is unusable. */
export async function inspectRepo(git: GitClient, path: string, opts: { changes?: boolean } = {}): Promise<RepoInfo> {
  const { root } = await resolveRepo(git, path);
  const noChanges = { tracked: [] as string[], untracked: [] as string[] };
  const [branch, branches, changes, head] = await Promise.all([
    currentBranch(git, root),
    localBranches(git, root),
    // `git status` of the whole checkout is the slow part on a big repository; creating a session
    // does not need it (and 20 creates at once would run it 20 times).
    opts.changes === false ? noChanges : changedPaths(git, root),
    git.run(root, ['rev-parse', 'HEAD']),
  ]);
  const changedFiles = changes.tracked.length + changes.untracked.length;
  return {
    path: expandPath(path),
    root,
    name: basename(root),
    currentBranch: branch,
    branches,
    dirty: changedFiles > 0,
    changedFiles,
    headCommit: head.trim() || null,
  };
}
