import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { OlderHost, RestartHereResult } from '../../../shared/lifetime-contract';
import type { Logger } from '../core/logger';
import type { SessionStore } from '../store/session-store';
import type { IncompatibleHost, TerminalBackend } from '../terminals/terminal-backend';
import type { ProgramLifecycle } from './program-lifecycle';
import type { SessionRegistry } from './session-registry';

/** Operations the older-host guard routes (`OlderHostMove.route`). */
export type HeldOp = 'start' | 'restart' | 'stop' | 'pause' | 'terminate';

/** A host that predates the frozen `handOver`: only stopping it as a whole is left. */
class HandOverUnsupported extends Error {}

const hostName = (h: Pick<IncompatibleHost, 'appVersion' | 'protocol'>) =>
  `Multisession ${h.appVersion} (terminal host protocol ${h.protocol})`;

/**
 * Sessions still running in the terminal host of another (older) app version, found on start:
 * they are reported, not lost, and "restart them here" moves each into this version's host — its
 * program stopped there (the screen kept, above a separator), started here with the agent's
 * resume command (the cold-restore path) — and lets the old host exit once it holds nothing.
 * Worktrees and branches are not touched.
 */
export class OlderHostMove {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      programs: ProgramLifecycle;
      terminals: TerminalBackend;
      store: SessionStore;
      log: Logger;
    },
  ) {}

  /** Hosts of another protocol that still run programs, with their sessions' names. */
  hosts(): OlderHost[] {
    return this.d.terminals
      .incompatibleHosts()
      .map((h) => ({
        protocol: h.protocol,
        appVersion: h.appVersion,
        pid: h.pid,
        sessions: h.sessions
          .filter((x) => x.running)
          .map((x) => ({ sessionId: x.sessionId, name: this.d.registry.find(x.sessionId)?.name ?? null, pid: x.pid })),
      }))
      .filter((h) => h.sessions.length > 0);
  }

  /** The older host running this session's program, if any. */
  holder(sessionId: string): IncompatibleHost | undefined {
    return this.d.terminals
      .incompatibleHosts()
      .find((h) => h.sessions.some((x) => x.sessionId === sessionId && x.running));
  }

  /**
   * The one guard for operations on a session an older terminal host may still run (it is
   * recorded stopped, but its program writes in the folder): Start and Restart move it here, Stop
   * stops it there, Pause and Terminate are refused — they would remove the folder under it.
   * A session no older host holds runs `here`. Never two programs in one worktree.
   */
  route(sessionId: string, op: HeldOp, here: () => Promise<Session>): Promise<Session> {
    const host = this.holder(sessionId);
    if (!host) return here();
    if (op === 'start' || op === 'restart') return this.moveOne(sessionId);
    if (op === 'stop') return this.stopThere(sessionId);
    const s = this.d.registry.get(sessionId);
    throw new AppError(
      'INVALID_STATE',
      `"${s.name}" is still running in the terminal host of an older Multisession (${host.appVersion}, pid ${host.pid}), so it cannot ${op} — its folder is in use there. Stop it, or restart it here (Start, or "Restart them here"), first; nothing was changed.`,
      { sessionId, olderHostPid: host.pid },
    );
  }

  /**
   * The sessions to move: the ones named (each must exist — NOT_FOUND — and run in an older host —
   * INVALID_STATE, checked before anything is done) or every one an older host runs.
   */
  targets(ids: string[] | undefined): string[] {
    if (!ids)
      return this.hosts().flatMap((h) =>
        h.sessions.filter((x) => this.d.registry.find(x.sessionId)).map((x) => x.sessionId),
      );
    for (const id of ids) {
      const s = this.d.registry.get(id);
      if (!this.holder(id)) {
        throw new AppError(
          'INVALID_STATE',
          `"${s.name}" does not run in an older terminal host — nothing to restart here.`,
        );
      }
    }
    return [...new Set(ids)];
  }

  /** Moves one session (the caller serialises it with the session's other operations). */
  async moveOne(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (s.status === 'terminated' || s.worktreeMissing) {
      throw new AppError(
        'INVALID_STATE',
        `"${s.name}" has no worktree to restart in — its program stays in the older host.`,
      );
    }
    const host = await this.takeOver(s);
    return this.start(s, host);
  }

  /** Stop on a session an older host runs: its program stops there, its screen is kept here, nothing starts. */
  async stopThere(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    const host = await this.takeOver(s);
    await this.d.terminals.retireIncompatibleHost(host.pid).catch(() => false);
    return this.d.registry.commit(s, { errorReason: null, stoppedAt: Date.now() });
  }

  /** Stops the session's program in the older host and keeps its screen here (scrollback and terminal). */
  private async takeOver(s: Session): Promise<IncompatibleHost> {
    const host = this.holder(s.id);
    if (!host) throw new AppError('INVALID_STATE', `"${s.name}" does not run in an older terminal host.`);
    const r = await this.d.terminals.handOverFrom(host.pid, s.id);
    if (r === 'unsupported') throw new HandOverUnsupported(host.pid.toString());
    if (r?.screen) {
      // The screen it had becomes the scrollback above the separator of the program started here.
      await this.d.store.saveScrollback(s.id, r.screen, r.cols, r.rows);
      await this.d.terminals.restore(s.id, r.screen, r.cols, r.rows);
    }
    return host;
  }

  /** Moves the sessions; an older host left with nothing exits. Failures are reported per session. */
  async restartHere(
    ids: string[] | undefined,
    serial: (sessionId: string, fn: () => Promise<Session>) => Promise<Session>,
  ): Promise<RestartHereResult> {
    const targets = this.targets(ids);
    const hostsBefore = new Map(this.d.terminals.incompatibleHosts().map((h) => [h.pid, h]));
    const result: RestartHereResult = { restarted: [], failed: [], hostsExited: [] };
    const unsupported = new Map<number, string[]>();
    for (const id of targets) {
      try {
        result.restarted.push(await serial(id, () => this.moveOne(id)));
      } catch (e) {
        if (e instanceof HandOverUnsupported) {
          const pid = Number(e.message);
          unsupported.set(pid, [...(unsupported.get(pid) ?? []), id]);
        } else {
          result.failed.push({ sessionId: id, message: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    for (const [pid, ids] of unsupported) await this.wholeHost(pid, ids, serial, result);
    for (const pid of hostsBefore.keys()) {
      if (await this.d.terminals.retireIncompatibleHost(pid).catch(() => false)) result.hostsExited.push(pid);
    }
    this.tell(result, [...hostsBefore.values()]);
    return result;
  }

  /**
   * A host that cannot hand sessions over one by one: when every program it runs is being moved,
   * it is stopped as a whole (their screens there are lost; the conversations resume here).
   */
  private async wholeHost(
    pid: number,
    ids: string[],
    serial: (sessionId: string, fn: () => Promise<Session>) => Promise<Session>,
    result: RestartHereResult,
  ): Promise<void> {
    const host = this.d.terminals.incompatibleHosts().find((h) => h.pid === pid);
    const running = host?.sessions.filter((x) => x.running).map((x) => x.sessionId) ?? [];
    if (!host || running.some((id) => !ids.includes(id))) {
      for (const id of ids) {
        result.failed.push({
          sessionId: id,
          message: `The older terminal host (pid ${pid}) predates moving sessions one by one: restart all of its sessions here at once.`,
        });
      }
      return;
    }
    this.d.log.info('sessions', `stopping the older terminal host ${pid} as a whole (it predates handOver)`);
    await this.d.terminals.stopIncompatibleHost(pid);
    result.hostsExited.push(pid);
    for (const id of ids) {
      try {
        result.restarted.push(await serial(id, () => this.start(this.d.registry.get(id), host)));
      } catch (e) {
        result.failed.push({ sessionId: id, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  private start(s: Session, from: IncompatibleHost): Promise<Session> {
    return this.d.programs.start(s.id, {
      continueConversation: true,
      restartReason: `moved here from the terminal host of Multisession ${from.appVersion}`,
    });
  }

  private tell(r: RestartHereResult, hosts: IncompatibleHost[]): void {
    if (r.restarted.length === 0 && r.failed.length === 0) return;
    const names = r.restarted.map((s) => s.name).join(', ');
    const from = hosts.length === 1 ? hostName(hosts[0]) : 'older terminal hosts';
    this.d.registry.notify(
      r.failed.length > 0 ? 'error' : 'info',
      r.restarted.length === 1 && r.failed.length === 0 ? r.restarted[0].id : null,
      `Restarted ${r.restarted.length} session${r.restarted.length === 1 ? '' : 's'} in this version`,
      [
        r.restarted.length ? `Moved from ${from}, resuming their conversations where the agent can: ${names}.` : '',
        r.failed.length ? `${r.failed.length} could not be moved: ${r.failed.map((f) => f.message).join(' ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }

  /** Said once on start: which sessions still run in an older host and what to do about it. */
  announce(): void {
    const hosts = this.hosts();
    const held = hosts.flatMap((h) => h.sessions.filter((x) => x.name !== null));
    if (held.length === 0) return;
    this.d.registry.notify(
      'info',
      held.length === 1 ? held[0].sessionId : null,
      `${held.length} session${held.length === 1 ? ' runs' : 's run'} in an older terminal host`,
      `${held.map((x) => x.name).join(', ')} kept running in ${hosts.length === 1 ? hostName(hosts[0]) : 'older terminal hosts'} after the update. Nothing is lost: "Restart them here" moves them to this version, resuming their conversations.`,
    );
  }
}
