import { lstat, mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AppError, isAppError } from '../../../shared/errors';
import {
  assertValidBranchName,
  branchClashes as clashes,
  branchNameFromTemplate,
  withUniqueSuffix,
} from './branch-names';
import { copyIn } from './copy-in';
import { MAX_INCLUDED, WORKTREE_INCLUDE, worktreeIncludeFiles } from './worktree-include';
import { repoLockKey, type GitContext } from './git-context';
import {
  branchExists,
  currentBranch,
  localBranches,
  resolveRepo,
  resolveRevision,
  type ResolvedRepo,
} from './repo-inspection';
import { runSetupScript } from './setup-script';
import type { SpawnRecord } from '../process/isolated-spawn';
import { listWorktreeEntries } from './worktree-list';
import { worktreePathFor } from './worktree-paths';

export interface CreateWorktreeRequest {
  repoPath: string;
  sessionId: string;
  sessionName: string;
  sessionType: string;
  /** Default: the repository's current branch. */
  baseBranch?: string;
  /** Work on this existing branch instead of creating one (it must not be checked out elsewhere). */
  existingBranch?: string;
  /** Explicit name of the branch to create (validated, must not exist). */
  branchName?: string;
  /** Used when branchName is absent; the result is made unique (-2, -3 …). */
  branchTemplate: string;
  /** Untracked files copied from the repository into the new worktree. */
  copyInPatterns: string[];
  /** Shell script run in the new worktree; a non-zero exit rolls everything back. */
  setupScript?: string;
  /**
   * The repository's .worktreeinclude content to apply — the exact text the user trusted, never
   * re-read from disk (null/absent: none is applied).
   */
  worktreeInclude?: string | null;
  /** Cone-mode sparse checkout: only these folders are checked out (the repository's setting). */
  sparse?: string[];
  onProgress?: (step: string, message: string) => void;
  /** Told the setup script's pid at its spawn (the process ledger); the script runs once it is recorded. */
  onSetupSpawn?: (pid: number) => SpawnRecord;
  /** The validated worktree root (default: the context's). */
  worktreeRoot?: string;
  /**
   * Records a folder as created by the app before git makes it (or a warm worktree moves there),
   * and forgets it after a rollback removed it (safety/owned-folders).
   */
  ownership?: { claim(path: string): Promise<void>; release(path: string): Promise<void> };
  /**
   * After checkout, copy-in and setup script, still inside the rollback (a failure removes the
   * worktree): record what the app placed, and the finished worktree in the session record.
   */
  onPopulated?: (created: PopulatedWorktree) => Promise<void>;
}

/**
 * Worktrees prepared ahead (the warm pool). `claim` runs under the repository lock and moves a
 * ready, detached, clean worktree of this base to `targetPath`, or returns null.
 */
export interface WarmWorktrees {
  hasReady(repoRoot: string, baseBranch: string, sparse: string[]): boolean;
  claim(
    repo: ResolvedRepo,
    baseBranch: string,
    sparse: string[],
    targetPath: string,
  ): Promise<{ path: string; rev: string } | null>;
}

export interface CreatedWorktree {
  repoRoot: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
  existingBranch: boolean;
}

/** What `onPopulated` learns besides the worktree itself. */
export interface PopulatedWorktree extends CreatedWorktree {
  /**
   * Nothing but the commit's own files is there: no copy-in ran and no setup script — the folder
   * is a fresh checkout (or a warm worktree checked clean, ignored files included, when prepared).
   */
  pristine: boolean;
}

type BranchPlan =
  | { kind: 'existing'; branch: string; baseBranch: string }
  | { kind: 'explicit'; branch: string; baseBranch: string; baseRev: string }
  | { kind: 'template'; candidate: string; baseBranch: string; baseRev: string };

interface Registered {
  path: string;
  branch: string;
  createdBranch: boolean;
  /** Claimed from the warm pool: its files are checked out at this commit (not at the branch yet). */
  pooledRev?: string;
}

const MAX_NAME_ATTEMPTS = 500;

async function pathExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function missingBase(ctx: GitContext, repo: ResolvedRepo, base: string): Promise<AppError> {
  const branches = await localBranches(ctx.git, repo.root);
  const shown = branches.slice(0, 10).join(', ') + (branches.length > 10 ? ', …' : '');
  return new AppError(
    'BRANCH_NOT_FOUND',
    `Base branch \`${base}\` does not exist in ${repo.root} — pick one of: ${shown}`,
    {
      branch: base,
      branches,
    },
  );
}

/** Everything that can be checked without touching the disk or the repository. */
async function planBranch(ctx: GitContext, repo: ResolvedRepo, req: CreateWorktreeRequest): Promise<BranchPlan> {
  // The current branch is only needed when no base was named (sessions name it: one git call less).
  const base =
    req.baseBranch?.trim() ||
    (await currentBranch(ctx.git, repo.root)) ||
    (await ctx.git.run(repo.root, ['rev-parse', 'HEAD'])).trim();
  const baseRev = await resolveRevision(ctx.git, repo.root, base);
  if (req.existingBranch !== undefined) {
    const branch = req.existingBranch.trim();
    await assertValidBranchName(ctx.git, branch);
    if (!(await branchExists(ctx.git, repo.root, branch))) {
      const branches = await localBranches(ctx.git, repo.root);
      throw new AppError(
        'BRANCH_NOT_FOUND',
        `Branch \`${branch}\` does not exist in ${repo.root} — pick one of: ${branches.slice(0, 10).join(', ')}`,
        { branch, branches },
      );
    }
    if (req.baseBranch && !baseRev) throw await missingBase(ctx, repo, base);
    return { kind: 'existing', branch, baseBranch: baseRev ? base : branch };
  }
  if (!baseRev) throw await missingBase(ctx, repo, base);
  if (req.branchName !== undefined) {
    const branch = req.branchName.trim();
    await assertValidBranchName(ctx.git, branch);
    return { kind: 'explicit', branch, baseBranch: base, baseRev };
  }
  const candidate = branchNameFromTemplate(req.branchTemplate, { name: req.sessionName, type: req.sessionType });
  await assertValidBranchName(ctx.git, candidate);
  return { kind: 'template', candidate, baseBranch: base, baseRev };
}

/** `git worktree add`; a failure leaves no folder, registration or new branch behind. */
async function addWorktree(
  ctx: GitContext,
  repo: ResolvedRepo,
  req: CreateWorktreeRequest,
  args: string[],
  reg: Registered,
): Promise<Registered> {
  // Recorded and marked before git creates the folder, so a crash leaves an owned folder behind.
  await req.ownership?.claim(reg.path);
  try {
    await ctx.git.run(repo.root, args);
    return reg;
  } catch (e) {
    // BRANCH_EXISTS means git refused before creating anything; the branch is someone else's.
    if (!(isAppError(e) && e.code === 'BRANCH_EXISTS')) await unregister(ctx, repo, req, reg);
    else await req.ownership?.release(reg.path);
    throw e;
  }
}

/** Inside the repository lock: pick the branch name, create branch and worktree. */
async function register(
  ctx: GitContext,
  repo: ResolvedRepo,
  req: CreateWorktreeRequest,
  plan: BranchPlan,
  root: string,
  pool: WarmWorktrees | undefined,
): Promise<Registered> {
  const sparse = req.sparse ?? [];
  // The pool is asked only when it holds a worktree of this base: otherwise the normal path, unchanged.
  const warm = pool?.hasReady(repo.root, plan.baseBranch, sparse) ? pool : undefined;
  /** Hands a claimed worktree to `branch` (HEAD only; its files move to the branch after the lock). */
  const adopt = async (branch: string, path: string, createdBranch: boolean): Promise<Registered | null> => {
    if (!warm) return null;
    await req.ownership?.claim(path);
    const claimed = await warm.claim(repo, plan.baseBranch, sparse, path);
    if (!claimed) {
      await req.ownership?.release(path);
      return null;
    }
    const reg = { path, branch, createdBranch, pooledRev: claimed.rev };
    try {
      await ctx.git.run(path, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    } catch (e) {
      await unregister(ctx, repo, req, reg);
      throw e;
    }
    return reg;
  };
  /** Creates `branch` at the base only if no such branch exists (atomic: update-ref with an empty old value). */
  const createBranch = async (branch: string, baseRev: string): Promise<boolean> =>
    (await ctx.git.exec(repo.root, ['update-ref', `refs/heads/${branch}`, baseRev, ''])).exitCode === 0;
  /** After createBranch: a claimed worktree, else a normal registration of the now existing branch. */
  const onNewBranch = async (branch: string, path: string): Promise<Registered> => {
    const adopted = await adopt(branch, path, true);
    if (adopted) return adopted;
    const reg = { path, branch, createdBranch: true };
    return addWorktree(ctx, repo, req, ['worktree', 'add', '--quiet', '--no-checkout', '--', path, branch], reg);
  };
  const pathFor = (branch: string) => worktreePathFor(root, repo.root, branch, req.sessionId);
  const folderTaken = (path: string) =>
    new AppError('INVALID_STATE', `The folder \`${path}\` already exists — remove it or clean up orphans first.`, {
      path,
    });

  if (plan.kind === 'existing') {
    const holder = (await listWorktreeEntries(ctx.git, repo.root)).find((w) => w.branch === plan.branch);
    if (holder) {
      throw new AppError(
        'BRANCH_EXISTS',
        `Branch \`${plan.branch}\` is already checked out at ${holder.path} — pick another branch or let the session create a new one.`,
        { branch: plan.branch, checkedOutAt: holder.path },
      );
    }
    const path = pathFor(plan.branch);
    if (await pathExists(path)) throw folderTaken(path);
    const adopted = await adopt(plan.branch, path, false);
    if (adopted) return adopted;
    const reg = { path, branch: plan.branch, createdBranch: false };
    return addWorktree(ctx, repo, req, ['worktree', 'add', '--quiet', '--no-checkout', '--', path, plan.branch], reg);
  }

  const addArgs = (branch: string, path: string) => [
    'worktree',
    'add',
    '--quiet',
    '--no-checkout',
    '--no-track',
    '-b',
    branch,
    '--',
    path,
    plan.baseRev,
  ];
  if (plan.kind === 'explicit') {
    if (await branchExists(ctx.git, repo.root, plan.branch)) {
      throw new AppError('BRANCH_EXISTS', `A branch named \`${plan.branch}\` already exists — choose another name.`, {
        branch: plan.branch,
      });
    }
    const path = pathFor(plan.branch);
    if (await pathExists(path)) throw folderTaken(path);
    if (warm) {
      if (!(await createBranch(plan.branch, plan.baseRev))) {
        throw new AppError('BRANCH_EXISTS', `A branch named \`${plan.branch}\` already exists — choose another name.`, {
          branch: plan.branch,
        });
      }
      return onNewBranch(plan.branch, path);
    }
    return addWorktree(ctx, repo, req, addArgs(plan.branch, path), { path, branch: plan.branch, createdBranch: true });
  }

  const taken = new Set(await localBranches(ctx.git, repo.root));
  for (let k = 1; k <= MAX_NAME_ATTEMPTS; k++) {
    const branch = withUniqueSuffix(plan.candidate, k);
    if (clashes(branch, taken)) continue;
    const path = pathFor(branch);
    if (await pathExists(path)) continue;
    if (warm) {
      if (await createBranch(branch, plan.baseRev)) return onNewBranch(branch, path);
      taken.add(branch);
      continue;
    }
    try {
      return await addWorktree(ctx, repo, req, addArgs(branch, path), { path, branch, createdBranch: true });
    } catch (e) {
      if (!(isAppError(e) && e.code === 'BRANCH_EXISTS')) throw e;
      taken.add(branch);
    }
  }
  throw new AppError('BRANCH_EXISTS', `Could not find a free branch name for \`${plan.candidate}\` — choose a name.`, {
    branch: plan.candidate,
  });
}

/**
 * Undoes a registration within the same create call: the worktree this call made, its folder,
 * git's record of it, and the branch if we made it. Nothing in it predates this call, so this
 * rollback is the one deletion that does not ask the removal check (safety/removal-check).
 */
async function unregister(
  ctx: GitContext,
  repo: ResolvedRepo,
  req: CreateWorktreeRequest,
  reg: Registered,
): Promise<void> {
  const { git } = ctx;
  await git.exec(repo.root, ['worktree', 'remove', '--force', '--force', '--', reg.path]).catch(() => undefined);
  await rm(reg.path, { recursive: true, force: true, maxRetries: 3 }).catch((e: unknown) =>
    ctx.log.error('git', `could not delete ${reg.path} while rolling back`, e),
  );
  await req.ownership
    ?.release(reg.path)
    .catch((e: unknown) => ctx.log.warn('git', `could not forget ${reg.path}: ${String(e)}`));
  // The per-repository folder goes too if this was its only worktree (rmdir refuses non-empty ones).
  await rmdir(dirname(reg.path)).catch(() => undefined);
  await git.exec(repo.root, ['worktree', 'prune']).catch(() => undefined);
  if (reg.createdBranch && (await branchExists(git, repo.root, reg.branch))) {
    const r = await git.exec(repo.root, ['branch', '-D', '--', reg.branch]);
    if (r.exitCode !== 0) ctx.log.warn('git', `could not delete branch ${reg.branch} while rolling back: ${r.stderr}`);
  }
}

/**
 * Undoes a registration without force: git refuses when the folder holds changed or untracked
 * files, and then everything stays. Returns why it was kept, or null when it is gone.
 */
async function unregisterGently(ctx: GitContext, repo: ResolvedRepo, reg: Registered): Promise<string | null> {
  const r = await ctx.git.exec(repo.root, ['worktree', 'remove', '--', reg.path]);
  if (r.exitCode !== 0) return `git would not remove it: ${r.stderr.trim()}`;
  await rmdir(dirname(reg.path)).catch(() => undefined);
  if (reg.createdBranch) await ctx.git.exec(repo.root, ['branch', '-D', '--', reg.branch]);
  return null;
}

/**
 * Creates a session's worktree: validate, register under the repository lock (unique branch name,
 * branch and `git worktree add --no-checkout` in one critical section), then populate outside the
 * lock (checkout, copy-in, setup script). Any failure removes everything this call created, then rethrows.
 */
export async function createWorktree(
  ctx: GitContext,
  req: CreateWorktreeRequest,
  pool?: WarmWorktrees,
): Promise<CreatedWorktree> {
  const progress = (step: string, message: string) => {
    try {
      req.onProgress?.(step, message);
    } catch (e) {
      ctx.log.warn('git', `progress listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  progress('validate', `Checking ${req.repoPath}`);
  const repo = await resolveRepo(ctx.git, req.repoPath);
  const plan = await planBranch(ctx, repo, req);
  const root = resolve(req.worktreeRoot ?? ctx.worktreeRoot());
  await mkdir(root, { recursive: true });

  progress('worktree', 'Creating the worktree');
  const reg = await ctx.mutex.run(repoLockKey(repo), () => register(ctx, repo, req, plan, root, pool));
  ctx.log.info('git', `created worktree ${reg.path} on ${reg.branch}`);
  if (reg.pooledRev !== undefined) progress('warm', `Using a worktree prepared ahead (${plan.baseBranch})`);
  let populated = false;
  let appPlacedFiles = false;
  try {
    // Registration (branch + worktree record) is serialised; writing the files is the slow part
    // and touches only this worktree's own index, so it runs outside the lock, in parallel with
    // other sessions being created on the same repository.
    progress('checkout', `Checking out ${reg.branch}`);
    if (reg.pooledRev !== undefined) {
      // A warm worktree holds the base as it was when it was prepared: move its files to the
      // branch's commit — only what differs, and git refuses rather than overwrite anything.
      const tip = (await ctx.git.run(reg.path, ['rev-parse', 'HEAD'])).trim();
      if (tip !== reg.pooledRev) await ctx.git.run(reg.path, ['read-tree', '-m', '-u', reg.pooledRev, tip]);
    } else {
      if (req.sparse && req.sparse.length > 0) {
        await ctx.git.run(reg.path, ['sparse-checkout', 'set', '--cone', '--', ...req.sparse]);
      }
      await ctx.git.run(reg.path, ['reset', '--hard', '--quiet']);
    }
    populated = true;
    progress('worktree', `Checked out ${reg.branch} in ${reg.path}`);
    // The repository's own .worktreeinclude (the convention of Claude Code and other tools) adds
    // the ignored files it lists to the app's copy-in patterns — in the content that was trusted.
    const include = req.worktreeInclude ? await worktreeIncludeFiles(ctx.git, repo.root, req.worktreeInclude) : null;
    if (include?.truncated) {
      progress('copy', `${WORKTREE_INCLUDE} selects more than ${MAX_INCLUDED} files — only the first ones are copied`);
    }
    if (req.copyInPatterns.length > 0 || (include && include.paths.length > 0)) {
      progress('copy', include ? `Copying local files (with ${WORKTREE_INCLUDE})` : 'Copying local files');
      const copied = await copyIn(repo.root, reg.path, req.copyInPatterns, include?.paths ?? []);
      if (copied.copied.length > 0) appPlacedFiles = true;
      for (const path of copied.copied) progress('copy', `Copied ${path}`);
      for (const s of copied.skipped) progress('copy', `Skipped ${s.path}: ${s.reason}`);
    }
    if (req.setupScript?.trim()) {
      progress('setup', 'Running the setup script');
      appPlacedFiles = true;
      await runSetupScript({
        cwd: reg.path,
        script: req.setupScript,
        env: {
          MULTISESSION_SESSION_ID: req.sessionId,
          MULTISESSION_SESSION_NAME: req.sessionName,
          MULTISESSION_REPO: repo.root,
          MULTISESSION_WORKTREE: reg.path,
          MULTISESSION_BRANCH: reg.branch,
          MULTISESSION_BASE_BRANCH: plan.baseBranch,
        },
        onLine: (line) => progress('setup', line),
        onSpawn: req.onSetupSpawn,
      });
    }
    await req.onPopulated?.({
      repoRoot: repo.root,
      worktreePath: reg.path,
      branch: reg.branch,
      baseBranch: plan.baseBranch,
      existingBranch: plan.kind === 'existing',
      pristine: !appPlacedFiles,
    });
  } catch (e) {
    progress('rollback', 'Setup failed — removing the worktree');
    if (reg.pooledRev !== undefined && !populated) {
      // A warm worktree whose files git refused to move may hold something nobody expected: keep it.
      const kept = await ctx.mutex.run(repoLockKey(repo), () => unregisterGently(ctx, repo, reg));
      if (!kept) {
        await req.ownership?.release(reg.path).catch(() => undefined);
        throw e;
      }
      throw new AppError('GIT_ERROR', `${kept} — the worktree was kept at ${reg.path}.`, { path: reg.path });
    }
    await ctx.mutex.run(repoLockKey(repo), () => unregister(ctx, repo, req, reg));
    if (isAppError(e)) throw e;
    throw new AppError(
      'GIT_ERROR',
      `Preparing the worktree failed: ${e instanceof Error ? e.message : String(e)} — nothing was kept.`,
    );
  }
  progress('done', 'Worktree ready');
  return {
    repoRoot: repo.root,
    worktreePath: reg.path,
    branch: reg.branch,
    baseBranch: plan.baseBranch,
    existingBranch: plan.kind === 'existing',
  };
}
