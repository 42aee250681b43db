import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { isRunningStatus } from '../../../shared/session-state';
import type { Logger } from '../core/logger';
import type { SettingsService } from '../settings/settings-service';
import type { TerminalBackend, TerminalHostLoss } from '../terminals/terminal-backend';
import { canResume } from './agent-resume';
import type { ProgramLifecycle } from './program-lifecycle';
import type { ReconcilePlan } from './session-reconcile';
import type { SessionRegistry } from './session-registry';

/** At most this many names in one notification; the rest are counted. */
const NAMES_SHOWN = 8;

function names(sessions: Session[]): string {
  const shown = sessions.slice(0, NAMES_SHOWN).map((s) => s.name);
  const more = sessions.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Sessions across the life and death of processes: what start-up found (re-adopted programs,
 * exits that happened while no engine ran, orphans, programs lost), the terminal host dying under
 * a running app, cold restore after a reboot, and hibernate / wake.
 */
export class SessionRestore {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      programs: ProgramLifecycle;
      terminals: TerminalBackend;
      settings: SettingsService;
      log: Logger;
    },
  ) {}

  /** Acts on what reconciliation found; the records themselves are already in place. */
  async afterLoad(
    plan: ReconcilePlan,
    /** The process ledger's crossing-out of a re-adopted program's entry (written down by an earlier engine). */
    crossOutOf: (sessionId: string) => (() => Promise<void>) | undefined = () => undefined,
  ): Promise<void> {
    const { registry, terminals, log } = this.d;
    if (plan.adopted.length > 0) log.info('sessions', `re-adopted ${plan.adopted.length} running program(s)`);
    for (const id of plan.adopted) this.d.programs.adopt(id, crossOutOf(id));
    for (const id of plan.orphans) {
      log.warn('sessions', `stopping a program of no live session (${id}) found in the terminal host`);
      await terminals.stop(id).catch(() => null);
      await terminals.release(id).catch(() => undefined);
    }
    for (const e of plan.exitedAway) {
      // Held as if adopted, so recording the exit releases the cgroup the program had.
      this.d.programs.adopt(e.sessionId, crossOutOf(e.sessionId));
      await this.d.programs.noteExit(e.sessionId, e.exitCode, e.signal);
    }
    const lost = plan.lost.map((id) => registry.get(id));
    if (lost.length > 0) {
      registry.notify(
        'error',
        lost.length === 1 ? lost[0].id : null,
        `${lost.length} session${lost.length === 1 ? ' was' : 's were'} lost`,
        `Their programs stopped when the terminal host stopped while Multisession was closed: ${names(lost)}. Start them again to continue.`,
      );
    }
    if (plan.toRestore.length > 0) {
      if ((await this.d.settings.get()).restoreAfterRestart) await this.coldRestore(plan.toRestore);
      else {
        const idle = plan.toRestore.map((id) => registry.get(id));
        registry.notify(
          'info',
          null,
          `${idle.length} session${idle.length === 1 ? '' : 's'} stopped by the restart`,
          `${names(idle)} were running before the machine restarted. Start them to continue (restoring after a restart is off in Settings).`,
        );
      }
    }
    this.d.programs.ready();
    await this.d.programs.pump();
  }

  /**
   * Brings back sessions whose programs were lost to a restart of the machine: agents that can
   * continue their conversation are launched with their resume command, other programs restart,
   * each in its own worktree. One notification says which is which.
   */
  async coldRestore(ids: string[]): Promise<Session[]> {
    const { registry } = this.d;
    const out: Session[] = [];
    const resumed: Session[] = [];
    const restarted: Session[] = [];
    for (const id of ids) {
      const s = registry.get(id);
      if (s.worktreeMissing) continue;
      (canResume(s) ? resumed : restarted).push(s);
      // Continuing: an agent that can resumes its conversation; any other program simply restarts.
      out.push(await this.d.programs.start(id, { continueConversation: true }));
    }
    if (out.length > 0) {
      const parts = [
        resumed.length ? `resuming their conversation: ${names(resumed)}` : '',
        restarted.length ? `restarting: ${names(restarted)}` : '',
      ].filter(Boolean);
      registry.notify(
        'info',
        out.length === 1 ? out[0].id : null,
        `Restored ${out.length} session${out.length === 1 ? '' : 's'} after a restart`,
        `${parts.join('; ')}.`,
      );
    }
    return out;
  }

  /** The terminal host died under a running app: its sessions are lost; say which. */
  async hostLost(loss: TerminalHostLoss): Promise<void> {
    const { registry } = this.d;
    const lost: Session[] = [];
    for (const id of loss.sessionIds) {
      const s = registry.find(id);
      if (!s || !isRunningStatus(s.status)) continue;
      lost.push(
        await registry.commit(s, {
          status: 'error',
          pid: null,
          stoppedAt: Date.now(),
          errorReason: `${loss.reason}; the program was lost. Start the session again to continue.`,
        }),
      );
    }
    if (lost.length === 0) return;
    registry.notify(
      'error',
      lost.length === 1 ? lost[0].id : null,
      `The terminal host stopped: ${lost.length} session${lost.length === 1 ? '' : 's'} lost`,
      `${names(lost)}. A new terminal host was started; start the sessions again to continue.`,
    );
  }

  /**
   * Stops an idle session's program to free memory; worktree, branch, scrollback and conversation
   * stay. `reason` (the memory-pressure policy's) stays on the record until the session wakes.
   */
  async hibernate(sessionId: string, reason: string | null = null): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (s.status === 'hibernated') return s;
    if (!isRunningStatus(s.status)) {
      throw new AppError('INVALID_STATE', `"${s.name}" is ${s.status}: only a running program can hibernate.`);
    }
    await this.d.programs.stopProgram(s, 'hibernated', reason);
    return this.d.registry.get(sessionId);
  }

  /** Starts a hibernated session again, continuing the agent's conversation where it can. */
  wake(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (s.status !== 'hibernated') {
      throw new AppError('INVALID_STATE', `"${s.name}" is ${s.status}, not hibernated.`);
    }
    return this.d.programs.start(sessionId, { continueConversation: true });
  }
}
