import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MergeResult, MergeStrategy } from '../../../shared/review';
import { AppError, isAppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { parseMergeTree } from './git-parse';
import { checkoutOf, isAncestor, localBaseTip, pendingOperation, readStatus, revParse } from './repo-state';
import type { SessionRef } from './working-changes';

export interface IntegrateRequest {
  strategy: MergeStrategy;
  message?: string;
  ignoreUncommitted: boolean;
}

/** merge-tree's answer for two commits: the merged tree, or the conflicting files. */
export async function mergeTrees(
  git: GitClient,
  cwd: string,
  a: string,
  b: string,
): Promise<{ tree: string; conflicts: string[] }> {
  const r = await git.exec(cwd, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', a, b]);
  if (r.exitCode === 0 || r.exitCode === 1) return parseMergeTree(r.stdout);
  throw new AppError('GIT_ERROR', `git merge-tree failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`, {
    stderr: r.stderr.slice(0, 4000),
  });
}

function conflictError(s: SessionRef, files: string[], strategy: MergeStrategy): AppError {
  return new AppError(
    'MERGE_CONFLICT',
    `Merging "${s.name}" into ${s.baseBranch} (${strategy}) would conflict in ${files.length} file(s): ${files
      .slice(0, 5)
      .join(
        ', ',
      )}${files.length > 5 ? ', …' : ''} — update the session from ${s.baseBranch}, resolve the conflicts there, then merge. Nothing was changed.`,
    { files: files.slice(0, 200), base: s.baseBranch },
  );
}

async function subjects(git: GitClient, cwd: string, base: string, tip: string): Promise<string[]> {
  const out = await git.run(cwd, ['log', '--reverse', '--format=%s', tip, '--not', base, '--']);
  return out.split('\n').filter(Boolean);
}

/**
 * Replays the session's commits onto the base in a temporary detached worktree (merge-tree cannot
 * replay a series on this git), returning the new tip; the temporary worktree is always removed.
 */
async function rebaseInTemporaryWorktree(
  git: GitClient,
  root: string,
  s: SessionRef,
  baseTip: string,
  tip: string,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-integrate-'));
  const wt = join(dir, `rebase-${randomBytes(4).toString('hex')}`);
  await git.run(root, ['worktree', 'add', '--detach', '--quiet', '--', wt, tip]);
  try {
    const r = await git.exec(wt, ['rebase', '--no-autostash', '--no-verify', baseTip]);
    if (r.exitCode !== 0) {
      const files = (await readStatus(git, wt)).filter((e) => e.conflicted).map((e) => e.path);
      await git.exec(wt, ['rebase', '--abort']);
      if (files.length > 0) throw conflictError(s, files, 'rebase');
      throw new AppError(
        'GIT_ERROR',
        `Rebasing "${s.name}" onto ${s.baseBranch} failed: ${r.stderr.trim().split('\n')[0]}`,
      );
    }
    return (await git.run(wt, ['rev-parse', 'HEAD'])).trim();
  } finally {
    await git.exec(root, ['worktree', 'remove', '--force', '--', wt]);
    await rm(dir, { recursive: true, force: true });
    await git.exec(root, ['worktree', 'prune']);
  }
}

/** The commit the base should move to, computed without touching any checkout. */
async function integratedCommit(
  git: GitClient,
  root: string,
  s: SessionRef,
  req: IntegrateRequest,
  baseTip: string,
  tip: string,
): Promise<{ commit: string; via: MergeResult['via'] }> {
  if (req.strategy === 'rebase') {
    if (await isAncestor(git, root, baseTip, tip)) return { commit: tip, via: 'ref-update' };
    return { commit: await rebaseInTemporaryWorktree(git, root, s, baseTip, tip), via: 'temporary-worktree' };
  }
  const merged = await mergeTrees(git, root, baseTip, tip);
  if (merged.conflicts.length > 0) throw conflictError(s, merged.conflicts, req.strategy);
  const list = await subjects(git, root, baseTip, tip);
  const message =
    req.message?.trim() ||
    (req.strategy === 'squash'
      ? `${s.name}\n\n${list.map((l) => `* ${l}`).join('\n')}\n\nSquashed from branch '${s.branch}' by Multisession.`
      : `Merge branch '${s.branch}' into ${s.baseBranch}\n\nSession "${s.name}" (${list.length} commit(s)), merged by Multisession.`);
  const parents = req.strategy === 'squash' ? ['-p', baseTip] : ['-p', baseTip, '-p', tip];
  const commit = (await git.run(root, ['commit-tree', merged.tree, ...parents, '-m', message])).trim();
  return { commit, via: 'ref-update' };
}

/**
 * Merges a session branch into its base by merge commit, squash or rebase without disturbing the
 * user's checkouts: the new base commit is computed with `git merge-tree` (or in a temporary
 * worktree for a rebase), then the base moves by a compare-and-swap ref update. Where the base is
 * checked out it moves only if that checkout is clean (a fast-forward there); a dirty base
 * checkout is never touched. Any refusal changes nothing.
 */
export async function integrate(
  git: GitClient,
  root: string,
  s: SessionRef,
  req: IntegrateRequest,
): Promise<MergeResult> {
  const op = await pendingOperation(git, s.worktreePath);
  if (op) {
    throw new AppError(
      'INVALID_STATE',
      `"${s.name}" has a ${op.kind} from its base in progress — finish or abort it before merging.`,
    );
  }
  if (!req.ignoreUncommitted) {
    const pending = await readStatus(git, s.worktreePath);
    if (pending.length > 0) {
      throw new AppError(
        'DIRTY_WORKTREE',
        `"${s.name}" has ${pending.length} uncommitted change(s) that a merge would leave out — commit them first, or merge only the commits.`,
        { paths: pending.slice(0, 20).map((e) => e.path) },
      );
    }
  }
  const baseTip = await localBaseTip(git, root, s.baseBranch);
  const tip = await revParse(git, root, `refs/heads/${s.branch}`);
  if (!tip) throw new AppError('BRANCH_NOT_FOUND', `The session branch \`${s.branch}\` no longer exists.`);
  if (await isAncestor(git, root, tip, baseTip)) {
    throw new AppError('NOTHING_TO_COMMIT', `${s.baseBranch} already contains every commit of "${s.name}".`);
  }
  const commits = Number((await git.run(root, ['rev-list', '--count', tip, '--not', baseTip])).trim()) || 0;

  // Check the base's checkout before any work, so a refusal is quick and changes nothing.
  const found = await checkoutOf(git, root, s.baseBranch);
  const checkout = found && existsSync(found) ? found : null;
  if (checkout) await assertCleanCheckout(git, checkout, s.baseBranch);

  const { commit, via } = await integratedCommit(git, root, s, req, baseTip, tip);
  const reflog = `multisession: ${req.strategy} ${s.branch} into ${s.baseBranch}`;
  if (checkout) {
    // A clean checkout moves with its branch; --ff-only refuses if the base moved meanwhile.
    await assertCleanCheckout(git, checkout, s.baseBranch);
    const r = await git.exec(checkout, ['merge', '--ff-only', '--quiet', commit]);
    if (r.exitCode !== 0) {
      const now = await revParse(git, checkout, `refs/heads/${s.baseBranch}`);
      if (now !== baseTip) throw baseMoved(s);
      throw new AppError(
        'BASE_CHECKOUT_DIRTY',
        `${s.baseBranch} is checked out at ${checkout} and git would not update it: ${r.stderr.trim().split('\n')[0] ?? ''} — nothing was changed.`,
        { checkout },
      );
    }
  } else {
    try {
      await git.run(root, ['update-ref', '-m', reflog, `refs/heads/${s.baseBranch}`, commit, baseTip]);
    } catch (e) {
      if (isAppError(e) && (await revParse(git, root, `refs/heads/${s.baseBranch}`)) !== baseTip) throw baseMoved(s);
      throw e;
    }
  }
  return {
    sessionId: s.id,
    strategy: req.strategy,
    base: s.baseBranch,
    before: baseTip,
    after: commit,
    via: checkout ? 'checkout-fast-forward' : via,
    baseCheckout: checkout,
    commits,
    mergedAt: Date.now(),
  };
}

function baseMoved(s: SessionRef): AppError {
  return new AppError(
    'BASE_MOVED',
    `${s.baseBranch} moved while "${s.name}" was being merged — nothing was changed; merge again to include the new commits.`,
    { base: s.baseBranch },
  );
}

/** A checkout of the base with staged or unstaged changes, or an operation in progress, is left alone. */
async function assertCleanCheckout(git: GitClient, checkout: string, base: string): Promise<void> {
  const dirty = (await readStatus(git, checkout)).filter((e) => !e.untracked);
  const op = await pendingOperation(git, checkout);
  if (dirty.length > 0 || op) {
    throw new AppError(
      'BASE_CHECKOUT_DIRTY',
      `${base} is checked out at ${checkout} with ${op ? `a ${op.kind} in progress` : `${dirty.length} uncommitted change(s)`} — it was not touched. Commit or stash there and merge again, or push the branch and open a pull request.`,
      { checkout, paths: dirty.slice(0, 20).map((e) => e.path) },
    );
  }
}
