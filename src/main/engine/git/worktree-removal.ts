import { realpath, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import { repoLockKey, type GitContext } from './git-context';
import { branchExists, changedPaths, resolveRepo, resolveRevision } from './repo-inspection';
import { listWorktreeEntries } from './worktree-list';
import { isInside } from './worktree-paths';

export interface RemoveWorktreeRequest {
  repoPath: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
  existingBranch: boolean;
  force: boolean;
  deleteBranch: boolean;
}

export interface RemoveWorktreeResult {
  removedWorktree: boolean;
  deletedBranch: boolean;
  keptBranchReason: string | null;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/** Changes in a worktree that removing it would destroy. */
export async function worktreeChanges(ctx: GitContext, worktreePath: string) {
  return changedPaths(ctx.git, worktreePath, 'all');
}

/**
 * Commits on `branch` that `base` does not have. With the base gone, counts commits that no other
 * branch or remote-tracking branch holds (the work only this branch keeps alive).
 */
export async function countUnmerged(ctx: GitContext, root: string, branch: string, base: string): Promise<number> {
  if (!(await branchExists(ctx.git, root, branch))) return 0;
  const baseRev = await resolveRevision(ctx.git, root, base);
  const args = baseRev
    ? ['rev-list', '--count', `refs/heads/${branch}`, '--not', baseRev]
    : ['rev-list', '--count', `refs/heads/${branch}`, '--not', `--exclude=${branch}`, '--branches', '--remotes'];
  return Number((await ctx.git.run(root, args)).trim()) || 0;
}

/** Deletes a folder we are sure is a session worktree; anything else is refused. */
async function deleteFolder(ctx: GitContext, path: string): Promise<boolean> {
  if (!isInside(await real(ctx.worktreeRoot()), await real(path))) {
    ctx.log.warn('git', `left ${path} in place: it is not under the worktree folder`);
    return false;
  }
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
  return true;
}

/**
 * Removes a session's worktree and, on request, its branch — refusing (unless forced) to lose
 * uncommitted work or commits the base does not have. A branch the session did not create is only
 * deleted with force. A folder deleted behind our back is pruned from git's records.
 */
export async function removeWorktree(ctx: GitContext, req: RemoveWorktreeRequest): Promise<RemoveWorktreeResult> {
  const worktreePath = resolve(req.worktreePath);
  const folderExists = await isDirectory(worktreePath);

  if (!(await isDirectory(req.repoPath))) {
    // The repository is gone: only the folder can be cleaned up, and no branch exists to delete.
    const removed = folderExists ? await deleteFolder(ctx, worktreePath) : false;
    return { removedWorktree: removed, deletedBranch: false, keptBranchReason: 'the repository no longer exists' };
  }
  const repo = await resolveRepo(ctx.git, req.repoPath);
  const entries = await listWorktreeEntries(ctx.git, repo.root);
  const realWorktree = await real(worktreePath);
  const main = entries[0];
  if (main && (await real(main.path)) === realWorktree) {
    throw new AppError('INVALID_STATE', `\`${worktreePath}\` is the repository itself, not a session worktree.`, {
      path: worktreePath,
    });
  }

  const isRegistered = async (list: typeof entries) =>
    (await Promise.all(list.map(async (w) => (await real(w.path)) === realWorktree))).some(Boolean);
  if (folderExists && !req.force && !(await isRegistered(entries))) {
    // git no longer knows this folder, so it cannot tell what in it is unsaved work.
    throw new AppError(
      'DIRTY_WORKTREE',
      `\`${worktreePath}\` is no longer a git worktree of ${repo.root}; its files may be unsaved work — remove with force to delete it.`,
      { path: worktreePath, paths: [] },
    );
  }
  if (folderExists && !req.force) {
    const changes = await worktreeChanges(ctx, worktreePath);
    const paths = [...changes.tracked, ...changes.untracked];
    if (paths.length > 0) {
      const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', …' : '');
      throw new AppError(
        'DIRTY_WORKTREE',
        `The worktree has ${changes.tracked.length} uncommitted change(s) and ${changes.untracked.length} untracked file(s) (${shown}) — commit them, or remove with force to discard them.`,
        {
          path: worktreePath,
          uncommitted: changes.tracked.length,
          untracked: changes.untracked.length,
          paths: paths.slice(0, 20),
        },
      );
    }
  }

  let deleteBranch = req.deleteBranch;
  let keptBranchReason: string | null = null;
  if (!req.deleteBranch) {
    keptBranchReason = 'branch kept (deleting it was not requested)';
  } else if (req.existingBranch && !req.force) {
    deleteBranch = false;
    keptBranchReason = `\`${req.branch}\` existed before the session, so it was kept — delete it with force if you are sure.`;
  } else if (!req.force) {
    const unmerged = await countUnmerged(ctx, repo.root, req.branch, req.baseBranch);
    if (unmerged > 0) {
      throw new AppError(
        'UNMERGED_BRANCH',
        `Branch \`${req.branch}\` has ${unmerged} commit(s) not on \`${req.baseBranch}\` — merge them, keep the branch, or delete with force.`,
        { branch: req.branch, base: req.baseBranch, commits: unmerged },
      );
    }
  }

  return ctx.mutex.run(repoLockKey(repo), async () => {
    let removedWorktree = false;
    if (folderExists && (await isRegistered(await listWorktreeEntries(ctx.git, repo.root)))) {
      const args = ['worktree', 'remove', ...(req.force ? ['--force', '--force'] : []), '--', worktreePath];
      await ctx.git.run(repo.root, args);
      removedWorktree = true;
    }
    if (await isDirectory(worktreePath)) removedWorktree = await deleteFolder(ctx, worktreePath);
    else if (!folderExists) removedWorktree = true;
    await ctx.git.run(repo.root, ['worktree', 'prune']);
    // Drop the per-repository folder once its last worktree is gone (rmdir refuses non-empty ones).
    const group = dirname(worktreePath);
    if (isInside(await real(ctx.worktreeRoot()), await real(group))) await rmdir(group).catch(() => undefined);

    let deletedBranch = false;
    if (deleteBranch) {
      const holder = (await listWorktreeEntries(ctx.git, repo.root)).find((w) => w.branch === req.branch);
      if (!(await branchExists(ctx.git, repo.root, req.branch))) {
        keptBranchReason = `\`${req.branch}\` no longer exists`;
      } else if (holder) {
        keptBranchReason = `\`${req.branch}\` is checked out at ${holder.path}, so it was kept`;
      } else {
        // Our own merge check ran above (against the session's base, which `-d` does not know).
        await ctx.git.run(repo.root, ['branch', '-D', '--', req.branch]);
        deletedBranch = true;
      }
    }
    ctx.log.info('git', `removed worktree ${worktreePath}${deletedBranch ? ` and branch ${req.branch}` : ''}`);
    return { removedWorktree, deletedBranch, keptBranchReason };
  });
}
