import { lstat, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeVerdict, type RemovalVerdict } from '../../../shared/removal';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import type { GitClient } from '../git/git-client';
import { repoLockKey } from '../git/git-context';
import { branchExists, resolveRepo, type ResolvedRepo } from '../git/repo-inspection';
import type { KeyedMutex } from '../git/repo-lock';
import { listWorktreeEntries } from '../git/worktree-list';
import type { Database } from '../store/database';
import { OwnedFolders } from './owned-folders';
import { PlacedFilesStore } from './placed-files';
import { checkRemoval, isCovered, listed, type RemovalQuestion } from './removal-check';

/** Why the folder goes: a removal for good, or a pause (its work committed to the branch first). */
export type Purpose = 'remove' | 'pause';

/** The parts of a session record a removal needs. */
export interface RemovalSubject {
  sessionId: string | null;
  repoPath: string;
  worktreePath: string | null;
  branch: string | null;
  /** The branch existed before the session (deleting it is a loss in itself). */
  existingBranch: boolean;
}

export interface RemovalOutcome {
  removedWorktree: boolean;
  deletedBranch: boolean;
  keptBranchReason: string | null;
  /** The verdict the removal was decided on (computed under the repository lock). */
  verdict: RemovalVerdict;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A git call of the removal check that takes longer than this means "cannot tell" (a hung filesystem, a stuck hook). */
export const CHECK_GIT_TIMEOUT_MS = 60_000;

/** The typed refusal for a verdict that is not covered by what the user accepted. */
export function refusalFor(v: RemovalVerdict, what: string, stale: boolean): AppError {
  const details = { verdict: listed(v), stale };
  if (v.verdict === 'cannot-tell') {
    return new AppError(
      'CANNOT_VERIFY',
      `${what} was kept: ${v.reason}. Fix the cause, or accept this exact verdict (fingerprint ${v.fingerprint}) to delete it anyway.`,
      details,
    );
  }
  const changed = stale ? ' The list changed since it was shown;' : '';
  return new AppError(
    'WORK_AT_RISK',
    `${what} was kept:${changed} it ${describeVerdict(v)}. Commit or move that work, or accept exactly this list (fingerprint ${v.fingerprint}) to discard it.`,
    details,
  );
}

/**
 * The only code that deletes session worktree folders and branches. Every removal — terminate,
 * cleanup, orphans, pause — asks the one check (`checkRemoval`) under the repository lock and
 * proceeds only when the fresh verdict is safe or covered by the verdict the user accepted, and
 * only for folders the app created (`OwnedFolders.assertOwned`, never bypassed by force).
 */
export class RemovalService {
  readonly owned: OwnedFolders;
  readonly placed: PlacedFilesStore;
  /** The git client the check uses: the engine's, with a time limit on every call. */
  private readonly checkGit: GitClient;

  constructor(
    private readonly d: {
      git: GitClient;
      mutex: KeyedMutex;
      log: Logger;
      db: Database;
      keepIgnoredPatterns: () => Promise<string[]>;
      /** Longest any one git call of the check may take before the answer is "cannot tell". */
      checkTimeoutMs?: number;
    },
  ) {
    this.owned = new OwnedFolders(d.db);
    this.placed = new PlacedFilesStore(d.db);
    this.checkGit = d.git.withDefaults({ timeoutMs: d.checkTimeoutMs ?? CHECK_GIT_TIMEOUT_MS });
  }

  /** The question the check answers for a session's worktree and (optionally) its branch. */
  async question(s: RemovalSubject, deleteBranch: boolean, purpose: Purpose = 'remove'): Promise<RemovalQuestion> {
    return {
      purpose,
      repoPath: s.repoPath,
      worktreePath: s.worktreePath || null,
      branch: s.branch || null,
      deleteBranch,
      branchIsForeign: s.existingBranch,
      placed: s.sessionId ? await this.placed.get(s.sessionId) : new Map(),
      keepIgnoredPatterns: await this.d.keepIgnoredPatterns(),
    };
  }

  /** What removing would lose (full item list; send `listed()` to clients). */
  async check(
    s: RemovalSubject,
    deleteBranch: boolean,
    purpose: Purpose = 'remove',
    extra: Pick<RemovalQuestion, 'alsoLost'> = {},
  ): Promise<RemovalVerdict> {
    const q = { ...(await this.question(s, deleteBranch, purpose)), ...extra };
    const verdict = await checkRemoval(this.checkGit, q);
    if (verdict.verdict !== 'cannot-tell') return verdict;
    // A worktree being added at that moment (a creation, the warm pool) has no commondir yet and
    // makes git's worktree list fail. Asked again under the repository's lock, like the removal
    // itself, so a shown cannot-tell is one the removal will see too (its fingerprint matches).
    const repo = (await isDirectory(q.repoPath)) ? await resolveRepo(this.d.git, q.repoPath).catch(() => null) : null;
    return repo ? this.d.mutex.run(repoLockKey(repo), () => checkRemoval(this.checkGit, q)) : verdict;
  }

  /**
   * Removes the worktree folder (and the branch when asked) if the fresh verdict is safe or
   * covered by `accepted`; otherwise throws WORK_AT_RISK / CANNOT_VERIFY and removes nothing. A
   * folder the app did not create is refused with UNSAFE_PATH whatever was accepted. `pause`
   * judges the folder as pause does (its work is on the branch; what git cannot commit is lost).
   */
  async remove(
    s: RemovalSubject,
    deleteBranch: boolean,
    accepted: RemovalVerdict | null,
    purpose: Purpose = 'remove',
    extra: Pick<RemovalQuestion, 'sinceCommitted' | 'alsoLost'> = {},
  ): Promise<RemovalOutcome> {
    const q = { ...(await this.question(s, deleteBranch, purpose)), ...extra };
    const wt = q.worktreePath ? resolve(q.worktreePath) : null;
    if (wt && (await exists(wt))) await this.owned.assertOwned(wt);
    const repo = (await isDirectory(q.repoPath)) ? await resolveRepo(this.d.git, q.repoPath).catch(() => null) : null;
    const work = () => this.removeLocked(q, wt, repo, accepted);
    return repo ? this.d.mutex.run(repoLockKey(repo), work) : work();
  }

  private async removeLocked(
    q: RemovalQuestion,
    wt: string | null,
    repo: ResolvedRepo | null,
    accepted: RemovalVerdict | null,
  ): Promise<RemovalOutcome> {
    const { git, log } = this.d;
    const verdict = await checkRemoval(this.checkGit, q);
    if (!isCovered(verdict, accepted)) {
      throw refusalFor(verdict, wt ? `The worktree ${wt}` : `Branch ${q.branch}`, accepted !== null);
    }
    let removedWorktree = false;
    if (wt) {
      if (repo && (await exists(wt))) {
        const entries = await listWorktreeEntries(git, repo.root);
        const realWt = await real(wt);
        const paths = await Promise.all(entries.slice(1).map((e) => real(e.path)));
        if (paths.includes(realWt)) {
          // The verdict covers everything in it; git's own refusals (submodules, locks) are moot.
          await git.exec(repo.root, ['worktree', 'remove', '--force', '--force', '--', wt]);
        }
      }
      if (await exists(wt)) await rm(wt, { recursive: true, force: true, maxRetries: 3 });
      removedWorktree = !(await exists(wt));
      if (removedWorktree) {
        await this.owned.release(wt);
        // Drop the per-repository folder once its last worktree is gone (rmdir refuses non-empty ones).
        await rmdir(dirname(wt)).catch(() => undefined);
      }
      if (repo) await git.run(repo.root, ['worktree', 'prune']);
    }
    let deletedBranch = false;
    let keptBranchReason: string | null = q.deleteBranch ? null : 'branch kept (deleting it was not requested)';
    if (q.deleteBranch && q.branch) {
      if (!repo) keptBranchReason = 'the repository no longer exists';
      else if (!(await branchExists(git, repo.root, q.branch))) keptBranchReason = `\`${q.branch}\` no longer exists`;
      else {
        const holder = (await listWorktreeEntries(git, repo.root)).find((e) => e.branch === q.branch);
        if (holder) keptBranchReason = `\`${q.branch}\` is checked out at ${holder.path}, so it was kept`;
        else {
          await git.run(repo.root, ['branch', '-D', '--', q.branch]);
          deletedBranch = true;
        }
      }
    }
    log.info(
      'safety',
      `removed ${wt ?? '(no folder)'}${deletedBranch ? ` and branch ${q.branch}` : ''} (${verdict.verdict})`,
    );
    return { removedWorktree, deletedBranch, keptBranchReason, verdict };
  }
}
