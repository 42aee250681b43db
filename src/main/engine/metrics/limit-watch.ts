import type { Session } from '../../../shared/domain';

export type LimitKind = 'memory' | 'runtime';

export interface LimitOffence {
  sessionId: string;
  kind: LimitKind;
  reason: string;
}

/**
 * Decides when a running program is over its session's memory or runtime limit, reporting each
 * offence once per program run (keyed by pid and start time), however many ticks it lasts.
 */
export class LimitWatch {
  /** Per session: the offences already reported, as `pid:startedAt:kind`. */
  private readonly reported = new Map<string, Set<string>>();

  /** `memoryMb` null: memory is not this watch's to enforce (the kernel does it for this run). */
  check(session: Session, memoryMb: number | null, now: number): LimitOffence[] {
    if (session.pid === null) return [];
    const seen = this.reported.get(session.id) ?? new Set<string>();
    this.reported.set(session.id, seen);
    const run = `${session.pid}:${session.startedAt ?? 0}`;
    const out: LimitOffence[] = [];
    const report = (kind: LimitKind, reason: string) => {
      const key = `${run}:${kind}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ sessionId: session.id, kind, reason });
    };
    const { memoryMb: memLimit, runtimeSec } = session.limits;
    if (memLimit !== null && memoryMb !== null && memoryMb > memLimit) {
      report('memory', `Memory limit exceeded: ${Math.round(memoryMb)} MB used, limit ${memLimit} MB`);
    }
    if (runtimeSec !== null && session.startedAt !== null && now - session.startedAt >= runtimeSec * 1000) {
      const ran = Math.floor((now - session.startedAt) / 1000);
      report('runtime', `Time limit reached: ran ${ran} s, limit ${runtimeSec} s`);
    }
    return out;
  }

  /** Forgets runs of sessions that no longer run a program. */
  retain(runningSessionIds: Set<string>): void {
    for (const id of this.reported.keys()) if (!runningSessionIds.has(id)) this.reported.delete(id);
  }
}
