import type { DiffSummary, RepoInfo } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import type { GitClient } from './git-client';
import { repoLockKey, type GitContext } from './git-context';
import { findOrphans, type Orphan } from './orphan-finder';
import { completePath } from './path-completion';
import { KeyedMutex } from './repo-lock';
import { inspectRepo, localBranches, resolveRepo } from './repo-inspection';
import {
  createWorktree,
  type CreatedWorktree,
  type CreateWorktreeRequest,
  type WarmWorktrees,
} from './worktree-creation';
import { computeDiff } from './worktree-diff';
import { listWorktreeEntries } from './worktree-list';

export type { CreatedWorktree, CreateWorktreeRequest } from './worktree-creation';
export type { Orphan } from './orphan-finder';

/** The warm pool as creation sees it: claims under the lock, and which bases creates use. */
export type PoolForCreates = WarmWorktrees & { noteUse(repoRoot: string, baseBranch: string): Promise<void> };

/**
 * Repositories and session worktrees: inspection, creation, diffs, orphans. Removing a worktree or
 * a branch is not here: it goes through safety/removal-service (the one fail-closed check).
 */
export class WorktreeService {
  private readonly ctx: GitContext;

  private readonly pool: PoolForCreates | undefined;

  constructor(opts: {
    git: GitClient;
    worktreeRoot: () => string;
    log: Logger;
    mutex?: KeyedMutex;
    /** Warm worktrees that creates claim (sharing this service's repository locks). */
    pool?: PoolForCreates;
  }) {
    this.ctx = { git: opts.git, worktreeRoot: opts.worktreeRoot, log: opts.log, mutex: opts.mutex ?? new KeyedMutex() };
    this.pool = opts.pool;
  }

  /** The engine's one git client (shared with the removal check). */
  get git(): GitClient {
    return this.ctx.git;
  }

  /**
   * Validates a folder picked as a repository and describes it (typed errors for unusable folders).
   * With `changes: false` the uncommitted-change count is skipped (reported clean).
   */
  inspect(path: string, opts: { changes?: boolean } = {}): Promise<RepoInfo> {
    return inspectRepo(this.ctx.git, path, opts);
  }

  /** Creates a session's branch and worktree, copies local files in and runs the setup script. */
  async create(req: CreateWorktreeRequest): Promise<CreatedWorktree> {
    const created = await createWorktree(this.ctx, req, this.pool);
    if (!created.existingBranch) {
      await this.pool
        ?.noteUse(created.repoRoot, created.baseBranch)
        .catch((e: unknown) => this.ctx.log.warn('pool', `could not record the base: ${String(e)}`));
    }
    return created;
  }

  /**
   * Puts an existing branch back in a worktree at `path` (resume of a paused session), under the
   * repository lock like every change of the worktree list, with the sparse checkout it had. A
   * stale registration of the path (its folder gone) is pruned first; git refuses a folder that
   * exists and is not empty.
   */
  async restoreWorktree(
    repoPath: string,
    path: string,
    branch: string,
    sparse: { cone: boolean; patterns: string[] } | null = null,
  ): Promise<void> {
    const repo = await resolveRepo(this.ctx.git, repoPath);
    await this.ctx.mutex.run(repoLockKey(repo), async () => {
      await this.ctx.git.run(repo.root, ['worktree', 'prune']);
      await this.ctx.git.run(repo.root, ['worktree', 'add', '--quiet', '--no-checkout', '--', path, branch]);
    });
    // The files are written outside the lock (only this worktree's index), as creation does.
    if (sparse) {
      await this.ctx.git.run(path, [
        'sparse-checkout',
        'set',
        sparse.cone ? '--cone' : '--no-cone',
        '--',
        ...sparse.patterns,
      ]);
    }
    await this.ctx.git.run(path, ['reset', '--hard', '--quiet']);
  }

  /** Local branch names of a repository. */
  async listBranches(repoPath: string): Promise<string[]> {
    const repo = await resolveRepo(this.ctx.git, repoPath);
    return localBranches(this.ctx.git, repo.root);
  }

  /** Worktrees registered in the repository, the main one first. */
  async listWorktrees(
    repoPath: string,
  ): Promise<{ path: string; branch: string | null; head: string | null; prunable: boolean }[]> {
    const repo = await resolveRepo(this.ctx.git, repoPath);
    const entries = await listWorktreeEntries(this.ctx.git, repo.root);
    return entries.map((e) => ({ path: e.path, branch: e.branch, head: e.head, prunable: e.prunable }));
  }

  /** What the session changed against `base`: ahead/behind, per-file counts and a truncated patch. */
  diff(worktreePath: string, base: string): Promise<Omit<DiffSummary, 'sessionId'>> {
    return computeDiff(this.ctx.git, worktreePath, base);
  }

  /** Child folders completing a typed path, for the browser-mode path field. */
  completePath(prefix: string): Promise<string[]> {
    return completePath(prefix);
  }

  /** Worktrees and folders under the worktree root that no session owns. */
  findOrphans(opts: { knownWorktreePaths: string[]; repoPaths: string[] }): Promise<Orphan[]> {
    return findOrphans(this.ctx, opts);
  }
}
