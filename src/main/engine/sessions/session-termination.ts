import { existsSync } from 'node:fs';
import type { RequestParsedInput } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { isRunningStatus } from '../../../shared/session-state';
import type { WorktreeService } from '../git/worktree-service';
import type { TerminalService } from '../terminals/terminal-service';
import type { ProgramLifecycle } from './program-lifecycle';
import type { SessionRegistry } from './session-registry';

/**
 * The end of a session: terminate (program stopped, worktree removed, branch kept unless asked)
 * with every guard checked before anything is touched, and forgetting a terminated record.
 */
export class SessionTermination {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      programs: ProgramLifecycle;
      worktrees: WorktreeService;
      terminals: TerminalService;
      /** Releases what the session held beyond its worktree (port block, hook files). */
      release: (sessionId: string) => Promise<void>;
    },
  ) {}

  async terminate(input: RequestParsedInput<'sessions.terminate'>): Promise<Session> {
    const { registry } = this.d;
    let s = registry.get(input.sessionId);
    if (s.status === 'terminated') return s;
    const hasWorktree = Boolean(s.worktreePath) && existsSync(s.worktreePath);
    // Check every guard before touching anything, so a refusal changes nothing.
    if (hasWorktree && !input.force) {
      const st = await this.d.worktrees.status(s.worktreePath);
      if (st.dirty && !input.commitMessage) {
        throw new AppError(
          'DIRTY_WORKTREE',
          `"${s.name}" has ${st.uncommitted} uncommitted and ${st.untracked} untracked file(s) in ${s.worktreePath} — commit them first (give a commit message) or terminate with force to discard them.`,
          { uncommitted: st.uncommitted, untracked: st.untracked },
        );
      }
    }
    if (input.deleteBranch && !input.force && s.branch) {
      const unmerged = await this.d.worktrees.unmergedCommits(s.repoPath, s.branch, s.baseBranch);
      if (unmerged > 0) {
        throw new AppError(
          'UNMERGED_BRANCH',
          `Branch \`${s.branch}\` has ${unmerged} commit(s) not on \`${s.baseBranch}\` — merge it first, keep the branch, or delete it with force.`,
          { unmerged },
        );
      }
    }
    if (isRunningStatus(s.status)) await this.d.programs.stopProgram(s, 'stopped', null);
    else if (s.status === 'queued' || s.status === 'initializing')
      s = await registry.commit(registry.get(s.id), { status: 'stopped' });
    s = registry.get(s.id);
    if (hasWorktree && input.commitMessage && !input.force) {
      await this.d.worktrees.commitAll(s.worktreePath, input.commitMessage);
    }
    let reason: string | null = null;
    if (s.worktreePath) {
      const res = await this.d.worktrees.remove({
        repoPath: s.repoPath,
        worktreePath: s.worktreePath,
        branch: s.branch,
        baseBranch: s.baseBranch,
        existingBranch: s.existingBranch,
        force: input.force,
        deleteBranch: input.deleteBranch,
      });
      reason = res.keptBranchReason;
    }
    this.d.terminals.release(s.id);
    await this.d.release(s.id);
    return registry.commit(registry.get(s.id), {
      status: 'terminated',
      ports: null,
      pid: null,
      stoppedAt: Date.now(),
      errorReason: reason ? `Branch kept: ${reason}` : s.errorReason,
    });
  }

  /** Drops a terminated session's record (cleanup). */
  async forget(sessionId: string): Promise<void> {
    const s = this.d.registry.get(sessionId);
    if (s.status !== 'terminated') throw new AppError('INVALID_STATE', `Session "${s.name}" is not terminated.`);
    this.d.terminals.release(sessionId);
    await this.d.release(sessionId);
    await this.d.registry.remove(sessionId);
  }
}
