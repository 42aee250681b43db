import type { RequestParsedInput } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import type { LossItem, RemovalVerdict } from '../../../shared/removal';
import { AppError } from '../../../shared/errors';
import { isRunningStatus } from '../../../shared/session-state';
import type { Logger } from '../core/logger';
import { listed } from '../safety/removal-check';
import { refusalFor, type RemovalService, type RemovalSubject } from '../safety/removal-service';
import { commitUserWork, planUserCommit, type UserCommitPlan } from '../safety/user-commit';
import type { GitClient } from '../git/git-client';
import type { TerminalBackend } from '../terminals/terminal-backend';
import { dropPauseRecord } from './paused-work';
import type { PlacedAside } from './placed-aside';
import type { ProgramLifecycle } from './program-lifecycle';
import type { SessionRegistry } from './session-registry';

/** Stops a session's commands and batch items and keeps new ones out; returns the release. */
export type QuiesceWork = (sessionId: string) => Promise<() => void>;

/** Loss kinds a commit made for the user takes care of (the files go into the commit). */
const COMMITTABLE: ReadonlySet<LossItem['kind']> = new Set(['uncommitted', 'untracked']);

export function removalSubject(s: Session): RemovalSubject {
  return {
    sessionId: s.id,
    repoPath: s.repoPath,
    worktreePath: s.worktreePath || null,
    branch: s.branch || null,
    existingBranch: s.existingBranch,
  };
}

/**
 * The end of a session. Everything is decided before anything is touched: the one removal check
 * (safety/removal-check) says what would be lost, and unless that is nothing, or exactly what
 * the caller accepted (`acceptLoss` = the verdict's fingerprint), or files a requested commit
 * takes, the call is refused with the list and nothing changes. Then the session's commands and
 * batch items are stopped, the program is stopped, the user's files are committed (never files
 * the app placed), and the worktree is removed through the one executor, which checks again.
 */
export class SessionTermination {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      programs: ProgramLifecycle;
      removal: RemovalService;
      git: GitClient;
      terminals: TerminalBackend;
      /** Releases what the session held beyond its worktree (port block, hook files). */
      release: (sessionId: string) => Promise<void>;
      log: Logger;
      quiesce?: QuiesceWork;
      /** A paused session's placed files, kept aside in the data dir: dropped when it ends. */
      aside: PlacedAside;
    },
  ) {}

  /** A paused session's exact file bytes kept aside: lost with it, so listed by its removal check. */
  private keptAside(s: Session): { alsoLost?: () => Promise<LossItem[]> } {
    return s.paused ? { alsoLost: () => this.d.aside.lostItems(s.id) } : {};
  }

  /** What terminating would lose, as shown to the user before they accept it. */
  async check(sessionId: string, deleteBranch: boolean): Promise<RemovalVerdict> {
    const s = this.d.registry.get(sessionId);
    if (s.status === 'terminated') throw new AppError('INVALID_STATE', `Session "${s.name}" is already terminated.`);
    return listed(await this.d.removal.check(removalSubject(s), deleteBranch, 'remove', this.keptAside(s)));
  }

  /** What a commit for the user would take and leave out (the app's own placed files). */
  async commitPreview(sessionId: string): Promise<UserCommitPlan> {
    const s = this.d.registry.get(sessionId);
    if (s.status === 'terminated' || !s.worktreePath) {
      throw new AppError('INVALID_STATE', `"${s.name}" has no worktree to commit from.`);
    }
    return planUserCommit(this.d.git, s.worktreePath, await this.d.removal.placed.get(s.id));
  }

  async terminate(input: RequestParsedInput<'sessions.terminate'>): Promise<Session> {
    const { registry, removal } = this.d;
    const s = registry.get(input.sessionId);
    if (s.status === 'terminated') {
      throw new AppError('INVALID_STATE', `Session "${s.name}" is already terminated.`, { sessionId: s.id });
    }
    if (input.commitMessage && input.deleteBranch) {
      throw new AppError(
        'BAD_INPUT',
        'Committing and deleting the branch in one step would delete the new commit with the branch — keep the branch, or do not commit.',
      );
    }
    const subject = removalSubject(s);
    const before = await removal.check(subject, input.deleteBranch, 'remove', this.keptAside(s));
    const accepted = this.acceptance(before, input);
    // A storage failure must refuse here, before the program is stopped (read-only or full disk).
    await registry.touch(registry.get(s.id));

    const release = (await this.d.quiesce?.(s.id)) ?? (() => undefined);
    try {
      const now = registry.get(s.id);
      if (isRunningStatus(now.status)) await this.d.programs.stopProgram(now, 'stopped', null);
      else if (now.status === 'queued' || now.status === 'initializing')
        await registry.commit(now, { status: 'stopped' });
      if (input.commitMessage && s.worktreePath) {
        await commitUserWork(this.d.git, s.worktreePath, input.commitMessage, await removal.placed.get(s.id));
      }
      const res = await removal.remove(subject, input.deleteBranch, accepted, 'remove', this.keptAside(s));
      // A paused session's record ref (staged state, copied-in files) ends with it; its work is on the branch.
      if (now.paused) {
        await dropPauseRecord(this.d.git, s.repoPath, now.paused.ref).catch(() => undefined);
        await this.d.aside.drop(s.id).catch(() => undefined);
      }
      await removal.placed.delete(s.id);
      await this.d.terminals.release(s.id);
      await this.d.release(s.id);
      const latest = registry.get(s.id);
      return await registry.commit(latest, {
        status: 'terminated',
        paused: null,
        ports: null,
        pid: null,
        stoppedAt: Date.now(),
        errorReason:
          res.keptBranchReason && input.deleteBranch ? `Branch kept: ${res.keptBranchReason}` : latest.errorReason,
      });
    } finally {
      release();
    }
  }

  /**
   * The verdict the caller accepted, or null when nothing needs accepting; throws the refusal
   * (with the verdict) otherwise. A requested commit covers uncommitted and untracked files.
   */
  private acceptance(before: RemovalVerdict, input: RequestParsedInput<'sessions.terminate'>): RemovalVerdict | null {
    const what = `"${this.d.registry.get(input.sessionId).name}"`;
    if (input.acceptLoss !== undefined) {
      if (input.acceptLoss === before.fingerprint) return before.verdict === 'safe' ? null : before;
      if (before.verdict === 'safe') return null;
      throw refusalFor(before, `The worktree of ${what}`, true);
    }
    if (before.verdict === 'safe') return null;
    if (before.verdict === 'loses' && input.commitMessage && before.items.every((i) => COMMITTABLE.has(i.kind))) {
      return null;
    }
    throw refusalFor(before, `The worktree of ${what}`, false);
  }

  /** Drops a terminated session's record (cleanup). */
  async forget(sessionId: string): Promise<void> {
    const s = this.d.registry.get(sessionId);
    if (s.status !== 'terminated') throw new AppError('INVALID_STATE', `Session "${s.name}" is not terminated.`);
    await this.d.terminals.release(sessionId);
    await this.d.release(sessionId);
    await this.d.removal.placed.delete(sessionId);
    await this.d.registry.remove(sessionId);
  }
}
