import { open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommitInfo, WorkingChanges } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { isInside } from '../git/worktree-paths';
import { LOG_FORMAT, parseLog, parseNumstat, toChangedFiles, type StatusEntry } from './git-parse';
import { conflictsOf, pendingOperation, readStatus } from './repo-state';
import { snapshotWorktree } from './snapshot';

/** The part of a session review operations need. */
export interface SessionRef {
  id: string;
  name: string;
  repoPath: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
}

const UNTRACKED_COUNT_LIMIT = 1024 * 1024;
const UNTRACKED_COUNTED = 500;

/** Lines in a small text file; 0 for binary or large ones (as git counts binary files). */
export async function countLines(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return 0;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > UNTRACKED_COUNT_LIMIT || info.size === 0) return 0;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(info.size), 0, info.size, 0);
    const data = buffer.subarray(0, bytesRead);
    if (data.subarray(0, 8000).includes(0)) return 0;
    let lines = 0;
    for (const byte of data) if (byte === 10) lines++;
    return data[data.length - 1] === 10 ? lines : lines + 1;
  } finally {
    await handle.close();
  }
}

/** What is staged, unstaged, untracked and conflicted in the session's worktree. */
export async function readChanges(git: GitClient, s: SessionRef): Promise<WorkingChanges> {
  const cwd = s.worktreePath;
  const [entries, op, unstaged, staged] = await Promise.all([
    readStatus(git, cwd),
    pendingOperation(git, cwd),
    git.run(cwd, ['--no-optional-locks', 'diff', '--numstat', '-z', '--no-renames', '--no-ext-diff', '--no-textconv']),
    git.run(cwd, [
      '--no-optional-locks',
      'diff',
      '--cached',
      '--numstat',
      '-z',
      '--no-renames',
      '--no-ext-diff',
      '--no-textconv',
    ]),
  ]);
  const a = parseNumstat(unstaged);
  const b = parseNumstat(staged);
  const untrackedCounts = new Map<string, number>();
  for (const e of entries.filter((x) => x.untracked).slice(0, UNTRACKED_COUNTED)) {
    untrackedCounts.set(e.path, await countLines(join(cwd, e.path)));
  }
  const files = toChangedFiles(entries, (path) => ({
    additions: (a.get(path)?.additions ?? 0) + (b.get(path)?.additions ?? 0) + (untrackedCounts.get(path) ?? 0),
    deletions: (a.get(path)?.deletions ?? 0) + (b.get(path)?.deletions ?? 0),
  }));
  return { sessionId: s.id, branch: s.branch, files, operation: op, conflicts: conflictsOf(entries, op) };
}

function known(entries: StatusEntry[], paths: readonly string[]): Map<string, StatusEntry> {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const missing = paths.filter((p) => !byPath.has(p));
  if (missing.length > 0) {
    throw new AppError(
      'BAD_INPUT',
      `${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''} ha${missing.length === 1 ? 's' : 've'} no changes — refresh the list and pick changed files.`,
      { paths: missing.slice(0, 50) },
    );
  }
  return byPath;
}

/** Stages the given changed paths (deletions included; a conflicted path is marked resolved). */
export async function stagePaths(git: GitClient, s: SessionRef, paths: readonly string[]): Promise<void> {
  known(await readStatus(git, s.worktreePath), paths);
  await git.run(s.worktreePath, ['add', '--all', '--', ...paths]);
}

/** Moves the given paths' staged changes back to unstaged; the files are not touched. */
export async function unstagePaths(git: GitClient, s: SessionRef, paths: readonly string[]): Promise<void> {
  known(await readStatus(git, s.worktreePath), paths);
  await git.run(s.worktreePath, ['restore', '--staged', '--', ...paths]);
}

/**
 * Throws away the changes of exactly the listed paths — tracked files go back to HEAD, untracked
 * and newly added files are deleted. A commit of the worktree as it was is kept first under
 * `refs/multisession/discarded/<session>` (with a reflog), so a discard can be undone with git.
 */
export async function discardPaths(
  git: GitClient,
  s: SessionRef,
  paths: readonly string[],
): Promise<{ discarded: string[]; recoveryCommit: string | null }> {
  const cwd = s.worktreePath;
  if (await pendingOperation(git, cwd)) {
    throw new AppError(
      'INVALID_STATE',
      `"${s.name}" is in the middle of an update from its base — resolve or abort it before discarding.`,
    );
  }
  const byPath = known(await readStatus(git, cwd), paths);
  const root = resolve(cwd);
  for (const p of paths) {
    if (!isInside(root, resolve(root, p))) throw new AppError('BAD_INPUT', `\`${p}\` is outside the worktree.`);
  }
  const snap = await snapshotWorktree(git, cwd, `multisession: before discarding ${paths.length} path(s) in ${s.name}`);
  let recoveryCommit: string | null = null;
  if (!snap.clean) {
    recoveryCommit = snap.commit;
    await git.run(cwd, [
      'update-ref',
      '--create-reflog',
      '-m',
      `discard ${paths.slice(0, 20).join(' ')}`,
      `refs/multisession/discarded/${s.id}`,
      snap.commit,
    ]);
  }
  const restore: string[] = [];
  const removeFromIndex: string[] = [];
  const deleteFiles: string[] = [];
  for (const p of paths) {
    const e = byPath.get(p)!;
    if (e.untracked) deleteFiles.push(p);
    else if (e.x === 'A') {
      removeFromIndex.push(p);
      deleteFiles.push(p);
    } else restore.push(p);
  }
  if (removeFromIndex.length > 0)
    await git.run(cwd, ['rm', '--cached', '--quiet', '--force', '--', ...removeFromIndex]);
  if (restore.length > 0) await git.run(cwd, ['restore', '--source=HEAD', '--staged', '--worktree', '--', ...restore]);
  for (const p of deleteFiles) await rm(resolve(root, p), { force: true });
  return { discarded: [...paths], recoveryCommit };
}

/** One commit as the review shows it. */
export async function readCommit(git: GitClient, cwd: string, rev: string): Promise<CommitInfo> {
  const out = await git.run(cwd, ['log', '-1', '-z', '--raw', '--numstat', '-M', `--format=${LOG_FORMAT}`, rev]);
  const [c] = parseLog(out);
  if (!c) throw new AppError('NOT_FOUND', `Commit ${rev} was not found.`);
  return c;
}

/** Commits what is staged (or everything with `all`) with the user's message; hooks run as usual. */
export async function commitChanges(git: GitClient, s: SessionRef, message: string, all: boolean): Promise<CommitInfo> {
  const cwd = s.worktreePath;
  const op = await pendingOperation(git, cwd);
  if (op) {
    throw new AppError(
      'INVALID_STATE',
      `"${s.name}" is in the middle of a ${op.kind} — resolve the conflicts and continue it instead of committing.`,
    );
  }
  if (all) await git.run(cwd, ['add', '--all']);
  const staged = await git.exec(cwd, ['diff', '--cached', '--quiet']);
  if (staged.exitCode === 0) {
    throw new AppError(
      'NOTHING_TO_COMMIT',
      all ? `"${s.name}" has no changes to commit.` : 'Nothing is staged — stage some files, or commit all changes.',
    );
  }
  await git.run(cwd, ['commit', '--quiet', '-m', message.trim()]);
  return readCommit(git, cwd, 'HEAD');
}
