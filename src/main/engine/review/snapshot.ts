import { randomBytes } from 'node:crypto';
import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitClient } from '../git/git-client';
import { gitPaths } from './repo-state';

/** A commit holding a worktree's current files (tracked changes and untracked, not ignored). */
export interface Snapshot {
  /** HEAD itself when the worktree is clean, else a commit whose parent is HEAD. */
  commit: string;
  head: string;
  clean: boolean;
}

// Fixed identity and dates: the same files on the same HEAD always give the same commit id, so
// snapshots of an unchanged worktree hit every cache keyed by commit.
const SNAPSHOT_ENV = {
  GIT_AUTHOR_NAME: 'Multisession',
  GIT_AUTHOR_EMAIL: 'snapshot@multisession.invalid',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: 'Multisession',
  GIT_COMMITTER_EMAIL: 'snapshot@multisession.invalid',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

/**
 * Records a worktree's current state as a commit without touching the worktree, its index or any
 * ref: a copy of the index (so unchanged files are not hashed again) gets `git add --all` and
 * becomes a tree. The objects are unreferenced; git's gc collects them.
 */
export async function snapshotWorktree(
  git: GitClient,
  cwd: string,
  message = 'multisession snapshot',
): Promise<Snapshot> {
  const head = (await git.run(cwd, ['rev-parse', 'HEAD'])).trim();
  const [indexPath] = await gitPaths(git, cwd, ['index']);
  const tmpIndex = join(tmpdir(), `ms-snapshot-${randomBytes(6).toString('hex')}.index`);
  const env = { GIT_INDEX_FILE: tmpIndex };
  try {
    const copied = await copyFile(indexPath, tmpIndex).then(
      () => true,
      () => false,
    );
    if (!copied) await git.run(cwd, ['read-tree', 'HEAD'], { env });
    await git.run(cwd, ['add', '--all', '--', '.'], { env });
    const tree = (await git.run(cwd, ['write-tree'], { env })).trim();
    const headTree = (await git.run(cwd, ['rev-parse', 'HEAD^{tree}'])).trim();
    if (tree === headTree) return { commit: head, head, clean: true };
    const commit = (await git.run(cwd, ['commit-tree', tree, '-p', head, '-m', message], { env: SNAPSHOT_ENV })).trim();
    return { commit, head, clean: false };
  } finally {
    await rm(tmpIndex, { force: true });
    await rm(`${tmpIndex}.lock`, { force: true });
  }
}
