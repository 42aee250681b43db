import { createHash } from 'node:crypto';
import type { Session } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import { fdCloser, type FdCloser } from '../process/isolated-spawn';
import { priorityToNiceness } from '../sessions/session-types';
import { probeCgroups, type LimitMechanism } from './cgroup-probe';
import { pidsWithMarker } from './marker-scan';
import { SessionCgroups, type KernelLimits } from './session-cgroups';
import { scopeArgv, systemdNames, type SystemdNames } from './systemd-scope';
export { behindScope } from './systemd-scope';

/** What enforces a session's limits and isolation on this machine (shown by `status` and the detail). */
export interface IsolationFacts {
  /** cgroup-v2 / cgroup-v1: the kernel caps memory and processes; sampling: the engine polls and stops. */
  limits: LimitMechanism;
  /** Controllers whose limits the kernel enforces (memory, pids, cpu). */
  controllers: string[];
  /** Why the kernel is not used, when it is not. */
  reason: string | null;
  /** What closes inherited fds in each child ('none': not closed, see the reason). */
  fdCloser: FdCloser;
}

/** Where a child of a session goes: cgroup.procs files to join, or a systemd-run prefix for its argv. */
export interface KernelPlacement {
  cgroupProcs: string[];
  /** `systemd-run --user --scope … --` to put in front of the program (empty: none). */
  scope: string[];
  mechanism: LimitMechanism;
}

const kernelLimits = (s: Session): KernelLimits => ({
  memoryMb: s.limits.memoryMb,
  niceness: priorityToNiceness(s.priority),
});

/**
 * A session's limits and the whole of its processes. Where the kernel offers cgroups, each
 * session runs in its own (memory, pids, CPU weight from its priority): an escaped daemon is still
 * counted, capped and killed. Elsewhere (the fallback) the metrics service samples and stops, and
 * escaped processes are found by the session marker in their environment.
 */
export class LimitService {
  private readonly cgroups: SessionCgroups | null;
  private readonly reason: string | null;
  private readonly names: SystemdNames;
  /**
   * Per session, how many of its children (program, commands) were given its cgroup and have not
   * ended yet. A cgroup is removed only at zero: removing it between prepare and the child's exec
   * would let the child run outside its limits.
   */
  private readonly holders = new Map<string, number>();

  constructor(opts: { dataDir: string; log: Logger }) {
    const probe = probeCgroups();
    const hash = createHash('sha256').update(opts.dataDir).digest('hex').slice(0, 12);
    this.names = systemdNames(hash);
    const names = this.names;
    const prefix = names.sessionSlice('').slice(0, -'.slice'.length);
    this.cgroups = !probe.layout
      ? null
      : probe.layout.via === 'systemd-scope'
        ? new SessionCgroups(probe.layout, names.groupSlice, {
            folder: (id) => names.sessionSlice(id),
            idOf: (f) =>
              f.startsWith(prefix) && f.endsWith('.slice') ? f.slice(prefix.length, -'.slice'.length) : null,
          })
        : new SessionCgroups(probe.layout, `multisession-${hash}`);
    this.reason = probe.reason;
    // Folders left by a host that did not close (a crash): the empty ones go now.
    this.sweep();
    const f = this.facts();
    opts.log.info(
      'limits',
      f.limits === 'sampling'
        ? `limits by sampling: ${f.reason}`
        : `limits by the kernel (${f.limits}: ${f.controllers.join(', ')})`,
    );
  }

  facts(): IsolationFacts {
    return {
      limits: this.cgroups?.layout.mechanism ?? 'sampling',
      controllers: this.cgroups?.layout.controllers ?? [],
      reason: this.reason,
      fdCloser: fdCloser().closer,
    };
  }

  /**
   * Before a session's program or command starts: its cgroups with current limits (none in the
   * fallback). Every prepare is paired with one `ended` when that child is gone.
   */
  prepare(s: Session): KernelPlacement {
    if (!this.cgroups) return { cgroupProcs: [], scope: [], mechanism: 'sampling' };
    try {
      const cgroupProcs = this.cgroups.prepare(s.id, kernelLimits(s));
      // Through systemd: the child starts behind `systemd-run --user --scope …` in the session's slice.
      const scope = this.cgroups.layout.via === 'systemd-scope' ? scopeArgv(this.names, s.id, kernelLimits(s)) : [];
      this.holders.set(s.id, (this.holders.get(s.id) ?? 0) + 1);
      return { cgroupProcs, scope, mechanism: this.cgroups.layout.mechanism };
    } catch {
      return { cgroupProcs: [], scope: [], mechanism: 'sampling' };
    }
  }

  /** Whether the kernel holds sessions to their memory limit here (then sampling must not race it). */
  enforcesMemory(): boolean {
    return this.cgroups?.layout.controllers.includes('memory') ?? false;
  }

  /** A child given the session's cgroup ended: the last one out removes the cgroup if it is empty. */
  ended(sessionId: string): void {
    const n = (this.holders.get(sessionId) ?? 0) - 1;
    if (n > 0) this.holders.set(sessionId, n);
    else this.holders.delete(sessionId);
    this.tidy(sessionId);
  }

  /** Removes the session's cgroup when none of our children holds it and it is empty (after a stop's killAll). */
  tidy(sessionId: string): void {
    if (!this.holders.has(sessionId)) this.cgroups?.release(sessionId);
  }

  /** The session's peak memory as the kernel measured it (MB; null where not known). Read before `ended`. */
  peakMb(sessionId: string): number | null {
    return this.cgroups?.peakMb(sessionId) ?? null;
  }

  /** Limits or priority changed: the kernel applies them to the running session at once. */
  apply(s: Session): void {
    this.cgroups?.apply(s.id, kernelLimits(s));
  }

  /** Every process of each session, escaped ones included (cgroup members, or marker carriers). */
  pids(sessionIds: readonly string[]): Map<string, number[]> {
    const cg = this.cgroups;
    if (cg) return new Map(sessionIds.map((id) => [id, cg.pids(id)]));
    return pidsWithMarker(sessionIds);
  }

  oomKills(sessionId: string): number {
    return this.cgroups?.oomKills(sessionId) ?? 0;
  }

  /** Kills whatever of the session still runs (after its program's tree was stopped). */
  async killAll(sessionId: string): Promise<number> {
    if (this.cgroups) return this.cgroups.killAll(sessionId);
    let killed = 0;
    for (let round = 0; round < 5; round++) {
      const pids = (pidsWithMarker([sessionId]).get(sessionId) ?? []).filter((p) => p !== process.pid);
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
          killed++;
        } catch {
          // Gone already.
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return killed;
  }

  /** The session is gone (terminated): its cgroups go, whoever held them. */
  release(sessionId: string): void {
    this.holders.delete(sessionId);
    this.cgroups?.release(sessionId);
  }

  /**
   * Removes the empty cgroups of sessions nothing of ours is starting or running in, and the data
   * dir's group when it is left empty (engine start and close). A cgroup with a process in it —
   * a program kept running by the terminal host — is refused by the kernel and stays.
   */
  /** The engine closes: nothing of ours starts any more; empty cgroups go, busy ones stay. */
  close(): void {
    this.holders.clear();
    this.sweep();
  }

  sweep(): void {
    const cg = this.cgroups;
    if (!cg) return;
    for (const id of cg.sessionIds()) if (!this.holders.has(id)) cg.release(id);
    cg.releaseGroup();
  }
}
