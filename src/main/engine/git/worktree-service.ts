import { stat } from 'node:fs/promises';
import type { DiffSummary, RepoInfo } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import type { GitClient } from './git-client';
import type { GitContext } from './git-context';
import { findOrphans, removeOrphan, type Orphan } from './orphan-finder';
import { completePath } from './path-completion';
import { KeyedMutex } from './repo-lock';
import { changedPaths, inspectRepo, resolveRepo } from './repo-inspection';
import {
  createWorktree,
  type CreatedWorktree,
  type CreateWorktreeRequest,
  type WarmWorktrees,
} from './worktree-creation';
import { computeDiff } from './worktree-diff';
import { listWorktreeEntries } from './worktree-list';
import {
  countUnmerged,
  removeWorktree,
  type RemoveWorktreeRequest,
  type RemoveWorktreeResult,
} from './worktree-removal';

export type { CreatedWorktree, CreateWorktreeRequest } from './worktree-creation';
export type { RemoveWorktreeRequest, RemoveWorktreeResult } from './worktree-removal';
export type { Orphan } from './orphan-finder';

export interface WorktreeStatus {
  exists: boolean;
  dirty: boolean;
  /** Tracked files with staged or unstaged changes. */
  uncommitted: number;
  untracked: number;
}

/** The warm pool as creation sees it: claims under the lock, and which bases creates use. */
export type PoolForCreates = WarmWorktrees & { noteUse(repoRoot: string, baseBranch: string): Promise<void> };

/** Repositories, session worktrees and branches: everything the engine asks of git. */
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

  /** Whether the worktree folder is there and what removing it would lose. */
  async status(worktreePath: string): Promise<WorktreeStatus> {
    const isDir = await stat(worktreePath).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return { exists: false, dirty: false, uncommitted: 0, untracked: 0 };
    const probe = await this.ctx.git.exec(worktreePath, ['rev-parse', '--is-inside-work-tree']);
    if (probe.exitCode !== 0 || probe.stdout.trim() !== 'true') {
      return { exists: false, dirty: false, uncommitted: 0, untracked: 0 };
    }
    const changes = await changedPaths(this.ctx.git, worktreePath, 'all');
    const uncommitted = changes.tracked.length;
    const untracked = changes.untracked.length;
    return { exists: true, dirty: uncommitted + untracked > 0, uncommitted, untracked };
  }

  /** Commits on `branch` that `base` does not have (0 when the branch is gone). */
  async unmergedCommits(repoPath: string, branch: string, base: string): Promise<number> {
    const repo = await resolveRepo(this.ctx.git, repoPath);
    return countUnmerged(this.ctx, repo.root, branch, base);
  }

  /** Stages everything (untracked included) and commits; returns the new commit id, or null when clean. */
  async commitAll(worktreePath: string, message: string): Promise<string | null> {
    const { git } = this.ctx;
    const text = message.trim();
    if (!text) throw new AppError('BAD_INPUT', 'Give the commit a message.');
    await git.run(worktreePath, ['add', '--all']);
    const staged = await git.exec(worktreePath, ['diff', '--cached', '--quiet']);
    if (staged.exitCode === 0) return null;
    // Hooks and signing could wait for a person; this commit saves work on the user's behalf.
    await git.run(worktreePath, ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', text]);
    return (await git.run(worktreePath, ['rev-parse', 'HEAD'])).trim();
  }

  /** Removes a worktree (and on request its branch), refusing to lose work unless forced. */
  remove(req: RemoveWorktreeRequest): Promise<RemoveWorktreeResult> {
    return removeWorktree(this.ctx, req);
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

  /** Deletes an orphan found by `findOrphans` (never a branch); refuses unsaved work unless forced. */
  removeOrphan(orphan: { path: string; repoPath: string | null }, opts: { force: boolean }): Promise<void> {
    return removeOrphan(this.ctx, orphan, opts.force);
  }
}
