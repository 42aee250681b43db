import { createHash } from 'node:crypto';
import type { Session } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import { fdCloser, type FdCloser } from '../process/isolated-spawn';
import { priorityToNiceness } from '../sessions/session-types';
import { probeCgroups, type LimitMechanism } from './cgroup-probe';
import { pidsWithMarker } from './marker-scan';
import { SessionCgroups, type KernelLimits } from './session-cgroups';

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

  constructor(opts: { dataDir: string; log: Logger }) {
    const probe = probeCgroups();
    const group = `multisession-${createHash('sha256').update(opts.dataDir).digest('hex').slice(0, 12)}`;
    this.cgroups = probe.layout ? new SessionCgroups(probe.layout, group) : null;
    this.reason = probe.reason;
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

  /** Before a session's program or command starts: its cgroups with current limits (none in the fallback). */
  prepare(s: Session): { cgroupProcs: string[]; mechanism: LimitMechanism } {
    if (!this.cgroups) return { cgroupProcs: [], mechanism: 'sampling' };
    try {
      return { cgroupProcs: this.cgroups.prepare(s.id, kernelLimits(s)), mechanism: this.cgroups.layout.mechanism };
    } catch {
      return { cgroupProcs: [], mechanism: 'sampling' };
    }
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

  release(sessionId: string): void {
    this.cgroups?.release(sessionId);
  }
}
