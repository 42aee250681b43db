import type { MetricsSeries, Session, SessionMetrics, SystemStatus } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { isQuietStatus, isRunningStatus } from '../../../shared/session-state';
import type { CommandService } from '../commands/command-service';
import type { CommandCounters } from '../commands/command-store';
import type { SessionLookup } from '../commands/session-lookup';
import type { EventHub } from '../rpc/event-hub';
import type { Logger } from '../core/logger';
import { listProcesses, type ProcInfo } from '../process/process-tree';
import type { Database } from '../store/database';
import { LimitWatch, type LimitKind } from './limit-watch';
import { MetricsStore, type SampleRow } from './metrics-store';
import { ResourceSampler, treeMemoryMb } from './resource-sampler';
import type { LimitService } from '../limits/limit-service';

const DEFAULT_INTERVAL_MS = 2000;
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** With no program running there is nothing to measure: only record status counts this often. */
const IDLE_HEARTBEAT_MS = 30_000;
/**
 * Programs that are all quiet (idle, or waiting for the user) change slowly: sample them this
 * often. A pass reads every process on the machine, which was most of an idle host's CPU (bench:
 * idle_cpu_pct_100); any session that turns busy brings back the normal interval on the next tick.
 */
const QUIET_SAMPLE_MS = 10_000;
const isQuiet = (s: Session) => isQuietStatus(s.status);
const PRUNE_EVERY_MS = 60_000;

export interface MetricsServiceOptions {
  db: Database;
  hub: EventHub;
  log: Logger;
  sessions: SessionLookup;
  commands: CommandService;
  intervalMs?: number;
  retentionMs?: number;
  outputBytes: (sessionId: string) => number;
  /** Every process of each session, escaped ones included (cgroup members or marker carriers). */
  limits?: Pick<LimitService, 'pids' | 'facts' | 'enforcesMemory'>;
  onLimitExceeded: (sessionId: string, kind: LimitKind, reason: string) => void;
  countWorktrees: () => Promise<number> | number;
  /** Damaged session records kept aside (shown in the status). */
  countQuarantined?: () => number;
  /** After each timed sampling pass (the memory-pressure policy weighs the new figures). */
  onSampled?: () => void;
}

const isRunning = (s: Session) => s.pid !== null && s.status !== 'terminated';

/** Whether figures keyed by session cover exactly these running programs (none started or ended since). */
const covers = (figures: ReadonlyMap<string, unknown>, running: Session[]) =>
  running.length === figures.size && running.every((s) => figures.has(s.id));

/**
 * Samples each running program's process tree (one process snapshot per tick for all sessions),
 * enforces memory and runtime limits, keeps a downsampled history for the charts and answers the
 * session and system metrics requests. Costs nothing measurable while no program runs.
 */
export class MetricsService {
  private readonly store: MetricsStore;
  private readonly sampler = new ResourceSampler();
  private readonly limits = new LimitWatch();
  private readonly latest = new Map<string, { cpuPercent: number; memoryMb: number }>();
  private readonly intervalMs: number;
  private readonly retentionMs: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private lastSampleAt = 0;
  /** Sampling passes run so far (each persists a row and emits a sample); for tests and diagnostics. */
  passes = 0;
  /** Memory-only readings between passes (each reads every process on the machine). */
  memoryReadings = 0;
  /** The last memory-only reading: answers again while it covers the running programs. */
  private lastReading: { at: number; memory: Map<string, number> } | null = null;
  private lastPruneAt = 0;

  constructor(private readonly opts: MetricsServiceOptions) {
    this.store = new MetricsStore(opts.db);
    this.intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.tick().finally(() => {
          if (this.timer) loop();
        });
      }, this.intervalMs);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    const sessions = this.opts.sessions.list();
    if (sessions.length === 0) return;
    const running = sessions.filter(isRunning);
    const since = Date.now() - this.lastSampleAt;
    const due = running.some((s) => !isQuiet(s)) || since >= (running.length > 0 ? QUIET_SAMPLE_MS : IDLE_HEARTBEAT_MS);
    if (!due) return;
    try {
      await this.sampleNow();
    } catch (e) {
      this.opts.log.error('metrics', 'Sampling failed', e);
      return;
    }
    this.opts.onSampled?.();
  }

  /** One sampling pass: measure, check limits, persist, emit. Concurrent calls share one pass. */
  sampleNow(): Promise<void> {
    if (!this.inFlight) this.inFlight = this.samplePass().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /**
   * Each running program's memory (its whole tree, escaped members included): measured now, or
   * (`fresh: false`) as the last pass found it — unless a program started or ended since, then
   * measured now too.
   */
  async memoryBySession(opts: { fresh: boolean } = { fresh: true }): Promise<Map<string, number>> {
    const running = this.opts.sessions.list().filter(isRunning);
    if (!opts.fresh) {
      if (this.lastSampleAt !== 0 && covers(this.latest, running)) {
        return new Map([...this.latest].map(([id, u]) => [id, u.memoryMb]));
      }
      const r = this.lastReading;
      if (r && Date.now() - r.at < QUIET_SAMPLE_MS && covers(r.memory, running)) return new Map(r.memory);
    }
    // Memory only: a reading between the timed passes stores no history row, emits no sample and
    // computes no CPU share (over a few milliseconds it would read 0 % or a spike).
    this.memoryReadings++;
    const at = Date.now();
    const snapshot = running.length > 0 ? await listProcesses() : [];
    const members = this.sessionMembers(running);
    const memory = new Map(
      running.map((s) => [s.id, treeMemoryMb(s.pid as number, snapshot, members.get(s.id))] as const),
    );
    this.lastReading = { at, memory };
    return new Map(memory);
  }

  private async samplePass(): Promise<void> {
    this.passes++;
    const sessions = this.opts.sessions.list();
    const running = sessions.filter(isRunning);
    const snapshot: ProcInfo[] = running.length > 0 ? await listProcesses() : [];
    const t = Date.now();
    this.lastSampleAt = t;

    const rows: SampleRow[] = [];
    const members = this.sessionMembers(running);
    for (const s of running) {
      const usage = this.sampler.sample(s.id, s.pid as number, snapshot, t, members.get(s.id));
      this.latest.set(s.id, { cpuPercent: usage.cpuPercent, memoryMb: usage.memoryMb });
      rows.push({ sessionId: s.id, cpuPercent: usage.cpuPercent, memoryMb: usage.memoryMb, status: s.status });
      if (!usage.alive) continue;
      // Where the kernel holds this run to its memory limit (its cgroup), it stops the program and
      // says so with its own peak; a sampled sum of RSS, which counts shared pages once per process,
      // must not race it and report a different outcome.
      const kernelMemory = s.limitMechanism !== null && s.limitMechanism !== 'sampling' && this.kernelEnforcesMemory();
      for (const o of this.limits.check(s, kernelMemory ? null : usage.memoryMb, t)) {
        this.opts.log.info('metrics', `${s.name}: ${o.reason}`);
        try {
          this.opts.onLimitExceeded(o.sessionId, o.kind, o.reason);
        } catch (e) {
          this.opts.log.error('metrics', `Limit handler failed for ${s.name}`, e);
        }
      }
    }
    const runningIds = new Set(running.map((s) => s.id));
    this.sampler.retain(runningIds);
    this.limits.retain(runningIds);
    for (const id of this.latest.keys()) if (!runningIds.has(id)) this.latest.delete(id);

    if (sessions.length === 0) return;
    await this.store.saveTick(t, rows, countByStatus(sessions));
    if (t - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = t;
      await this.store.prune(t - this.retentionMs);
    }
    const live = sessions.filter((s) => s.status !== 'terminated');
    if (live.length > 0) {
      const counters = await this.opts.commands.allCounters();
      this.opts.hub.emit('metrics.sample', { t, sessions: live.map((s) => this.metricsOf(s, counters.get(s.id), t)) });
    }
  }

  /** Whether a memory cgroup holds runs to their limits here (the kernel's, not ours, to enforce). */
  private kernelEnforcesMemory(): boolean {
    return this.opts.limits?.enforcesMemory() ?? false;
  }

  /**
   * Processes of each session outside its program's tree (a daemon that double-forked): they count
   * toward its memory. With cgroups this is cheap (one file per session); the fallback reads every
   * process's environment for the session marker, so it runs only for sessions with a memory limit.
   */
  private sessionMembers(running: Session[]): Map<string, number[]> {
    const limits = this.opts.limits;
    if (!limits || running.length === 0) return new Map();
    const ids =
      limits.facts().limits === 'sampling'
        ? running.filter((s) => s.limits.memoryMb !== null).map((s) => s.id)
        : running.map((s) => s.id);
    try {
      return limits.pids(ids);
    } catch {
      return new Map();
    }
  }

  private metricsOf(s: Session, c: CommandCounters | undefined, now: number): SessionMetrics {
    const usage = this.latest.get(s.id);
    const executed = c?.commandsExecuted ?? 0;
    const succeeded = c?.commandsSucceeded ?? 0;
    return {
      sessionId: s.id,
      uptimeSec: uptimeSec(s, now),
      commandsExecuted: executed,
      commandsSucceeded: succeeded,
      successRate: rate(succeeded, executed),
      tasksCompleted: c?.tasksCompleted ?? 0,
      cpuPercent: isRunning(s) ? (usage?.cpuPercent ?? 0) : 0,
      memoryMb: isRunning(s) ? (usage?.memoryMb ?? 0) : 0,
      outputBytes: this.opts.outputBytes(s.id),
    };
  }

  async sessionMetrics(sessionId: string): Promise<SessionMetrics> {
    const s = this.opts.sessions.get(sessionId);
    return this.metricsOf(s, await this.opts.commands.counters(sessionId), Date.now());
  }

  async allSessionMetrics(): Promise<SessionMetrics[]> {
    const counters = await this.opts.commands.allCounters();
    const now = Date.now();
    return this.opts.sessions.list().map((s) => this.metricsOf(s, counters.get(s.id), now));
  }

  async systemStatus(): Promise<SystemStatus> {
    const sessions = this.opts.sessions.list();
    const [totals, gitWorktrees] = await Promise.all([this.opts.commands.totals(), this.opts.countWorktrees()]);
    return {
      totalSessions: sessions.length,
      activeSessions: sessions.filter((s) => isRunningStatus(s.status)).length,
      sessionsByStatus: countByStatus(sessions),
      gitWorktrees,
      commandsExecuted: totals.commandsExecuted,
      successRate: rate(totals.commandsSucceeded, totals.commandsExecuted),
      uptimeSec: Math.floor(process.uptime()),
      runningPrograms: sessions.filter(isRunning).length,
      queuedSessions: sessions.filter((s) => s.status === 'queued').length,
      quarantinedSessions: this.opts.countQuarantined?.() ?? 0,
    };
  }

  /** History for the charts, each series downsampled to about `maxPoints` (bucket averages). */
  async series(input: { from: number; to?: number; maxPoints: number }): Promise<MetricsSeries> {
    const to = input.to ?? Date.now();
    if (to < input.from) {
      throw new AppError('BAD_INPUT', 'The end of the range is before its start', { field: 'to' });
    }
    const from = Math.floor(input.from);
    const maxPoints = Math.max(1, Math.floor(input.maxPoints));
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / maxPoints));
    const [samples, statusCounts, commands] = await Promise.all([
      this.store.samples(from, to, bucketMs),
      this.store.statusCounts(from, to, bucketMs),
      this.opts.commands.finishedBetween(from, to, maxPoints),
    ]);
    return { from, to, samples, statusCounts, commands };
  }
}

function countByStatus(sessions: Session[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sessions) counts[s.status] = (counts[s.status] ?? 0) + 1;
  return counts;
}

function rate(succeeded: number, executed: number): number {
  return executed > 0 ? Math.round((succeeded / executed) * 1000) / 10 : 0;
}

/** How long the program has been running, or ran last time. */
function uptimeSec(s: Session, now: number): number {
  if (s.startedAt === null) return 0;
  if (isRunning(s)) return Math.max(0, Math.floor((now - s.startedAt) / 1000));
  if (s.stoppedAt !== null && s.stoppedAt >= s.startedAt) return Math.floor((s.stoppedAt - s.startedAt) / 1000);
  return 0;
}
