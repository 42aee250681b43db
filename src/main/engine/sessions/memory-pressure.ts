import type { MemoryPressureSettings, Session } from '../../../shared/domain';
import type { MemoryPressureStatus } from '../../../shared/lifetime-contract';
import { memoryPressureProblem } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import type { SystemMemory } from '../system/system-memory';
import { canResume } from './agent-resume';

/** A program started this recently is not idle yet, whatever its screen says (agents load quietly). */
export const DEFAULT_START_GRACE_MS = 60_000;
/** At most this many names in one notification; the rest are counted. */
const NAMES_SHOWN = 8;

export interface MemoryPressureDeps {
  settings: () => Promise<MemoryPressureSettings>;
  sessions: () => Session[];
  /** Hibernates the session if it is still idle when its turn comes (serialised); false when it was not. */
  hibernateIfIdle: (sessionId: string, reason: string) => Promise<boolean>;
  /**
   * Each running program's memory in MB: measured now (memory only, no metrics pass), or as the
   * last pass found it (measured now when a program started or ended since).
   */
  sessionMemory: (opts: { fresh: boolean }) => Promise<Map<string, number>>;
  /** The machine's figure (MemAvailable on Linux, os.freemem elsewhere). */
  systemMemory: () => SystemMemory;
  /** Commands or batch items at work in the session's worktree. */
  hasWork: (sessionId: string) => boolean;
  notify: (sessionId: string | null, title: string, body: string) => void;
  log: Logger;
  startGraceMs?: number;
  now?: () => number;
}

interface Reading {
  system: SystemMemory;
  perSession: Map<string, number>;
  sessionsMb: number;
  /** Why memory counts as short now, or null. */
  over: string | null;
}

const mb = (n: number) => `${Math.round(n).toLocaleString('en-US')} MB`;

/** Why memory is short under these settings, or null (also when the policy is off). */
function pressureOf(p: MemoryPressureSettings, system: SystemMemory, sessionsMb: number): string | null {
  if (!p.enabled) return null;
  if (p.minAvailableMb !== null && system.availableMb < p.minAvailableMb) {
    return `the machine had ${mb(system.availableMb)} available, below the ${mb(p.minAvailableMb)} threshold`;
  }
  if (p.maxSessionsMb !== null && sessionsMb > p.maxSessionsMb) {
    return `the sessions used ${mb(sessionsMb)}, above the ${mb(p.maxSessionsMb)} threshold`;
  }
  return null;
}

/**
 * The memory-pressure policy (Settings → Running, off by default): after each metrics pass, when
 * the machine's available memory is below its threshold or the sessions together use more than
 * theirs, the idlest session is hibernated — an agent that resumes its conversation on wake (never
 * a plain program: its state would be lost), idle (not busy, not waiting for the user, no command
 * or batch item at work, not just started), longest since its last activity first — then memory
 * is measured again, and so on until the pressure is gone or no session qualifies. Each hibernated
 * session keeps the reason in its record; one notification names them all.
 */
export class MemoryPressure {
  private inFlight: Promise<MemoryPressureStatus['lastAction']> | null = null;
  private last: MemoryPressureStatus['lastAction'] = null;
  /** Told once per episode of pressure that nothing could be hibernated. */
  private stuckTold = false;

  constructor(private readonly d: MemoryPressureDeps) {}

  /** Weighs memory now and hibernates while it is short; one pass at a time (a second call shares it). */
  check(): Promise<MemoryPressureStatus['lastAction']> {
    this.inFlight ??= this.pass().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * The figures and thresholds as Settings and `multisession memory` show them. The sessions'
   * memory is the last metrics pass's (at most one sampling interval old; read afresh, memory only,
   * when a program started or ended since): Settings asks every 5 s, and reading every process on
   * the machine each time was most of what an open Settings cost.
   */
  async status(): Promise<MemoryPressureStatus> {
    const settings = await this.d.settings();
    const r = await this.measure(settings, false);
    return {
      settings,
      availableMb: Math.round(r.system.availableMb),
      totalMb: Math.round(r.system.totalMb),
      source: r.system.source,
      sessionsMb: Math.round(r.sessionsMb),
      pressure: r.over,
      lastAction: this.last,
    };
  }

  private async measure(p: MemoryPressureSettings, fresh = true): Promise<Reading> {
    const perSession = await this.d.sessionMemory({ fresh });
    const system = this.d.systemMemory();
    let sessionsMb = 0;
    for (const v of perSession.values()) sessionsMb += v;
    return { system, perSession, sessionsMb, over: pressureOf(p, system, sessionsMb) };
  }

  /** Idle sessions that may be hibernated, idlest (longest since its last activity) first. */
  private candidates(skip: ReadonlySet<string>): Session[] {
    const now = (this.d.now ?? Date.now)();
    const grace = this.d.startGraceMs ?? DEFAULT_START_GRACE_MS;
    return this.d
      .sessions()
      .filter(
        (s) =>
          s.status === 'idle' &&
          s.pid !== null &&
          // Only an agent that continues its conversation after a wake: a quiet shell may hold a
          // job, an editor's unsaved buffer or a REPL's state, which a hibernation would kill.
          canResume(s) &&
          !skip.has(s.id) &&
          (s.startedAt === null || now - s.startedAt >= grace) &&
          !this.d.hasWork(s.id),
      )
      .sort((a, b) => (a.lastActivityAt ?? a.startedAt ?? 0) - (b.lastActivityAt ?? b.startedAt ?? 0));
  }

  private async pass(): Promise<MemoryPressureStatus['lastAction']> {
    const settings = await this.d.settings();
    if (!settings.enabled || memoryPressureProblem(settings)) return null;
    // Right after a metrics pass: its figures, no second pass (measured afresh after each hibernation).
    let reading = await this.measure(settings, false);
    if (!reading.over) {
      this.stuckTold = false;
      return null;
    }
    const why = reading.over;
    const hibernated: Array<{ sessionId: string; name: string; memoryMb: number }> = [];
    const tried = new Set<string>();
    while (reading.over) {
      const [next] = this.candidates(tried);
      if (!next) break;
      tried.add(next.id);
      const used = reading.perSession.get(next.id) ?? 0;
      const time = new Date((this.d.now ?? Date.now)()).toTimeString().slice(0, 8);
      const reason = `Hibernated at ${time} to free memory: ${reading.over}; it used ${mb(used)} and was the idlest session. Wake it to continue.`;
      if (!(await this.d.hibernateIfIdle(next.id, reason))) continue;
      this.d.log.info('memory', `hibernated ${next.name} (${mb(used)}): ${reading.over}`);
      hibernated.push({ sessionId: next.id, name: next.name, memoryMb: Math.round(used) });
      reading = await this.measure(settings);
    }
    const relieved = reading.over === null;
    if (hibernated.length > 0) {
      this.last = { at: (this.d.now ?? Date.now)(), reason: why, hibernated, relieved };
      const shown = hibernated.slice(0, NAMES_SHOWN).map((h) => `${h.name} (${mb(h.memoryMb)})`);
      const more = hibernated.length - shown.length;
      this.d.notify(
        hibernated.length === 1 ? hibernated[0].sessionId : null,
        `Hibernated ${hibernated.length} idle session${hibernated.length === 1 ? '' : 's'} to free memory`,
        `${why[0].toUpperCase()}${why.slice(1)}. Hibernated, idlest first: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}. ` +
          (relieved
            ? 'Memory is no longer short. Wake them to continue their conversations.'
            : 'Memory is still short: every other session is busy, waiting for you or just started.'),
      );
      this.stuckTold = !relieved;
    } else if (!this.stuckTold) {
      this.stuckTold = true;
      this.d.notify(
        null,
        'Memory is short',
        `${why[0].toUpperCase()}${why.slice(1)}, but no session could be hibernated: every running session is busy, waiting for you, running a command or just started.`,
      );
    }
    return hibernated.length > 0 ? this.last : null;
  }
}
