import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { RequestParsedInput } from '../../../shared/contract';
import type { Session, SessionStatus } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { canTransition, isRunningStatus, startableStatuses } from '../../../shared/session-state';
import type { Logger } from '../core/logger';
import type { Peer } from '../rpc/peer';
import type { SettingsService } from '../settings/settings-service';
import type { SessionStore } from '../store/session-store';
import type { AttachResult, TerminalBackend } from '../terminals/terminal-backend';
import { buildPtyEnv } from '../terminals/pty-env';
import { behindScope, type LimitService } from '../limits/limit-service';
import type { AgentService } from '../agents/agent-service';
import type { StatusDecision } from '../agents/status-arbiter';
import type { PortAllocator } from '../ports/port-allocator';
import type { ReportedColours } from '../terminals/headless-screen';
import type { RememberedView } from '../terminals/viewer-memory';
import { resumeArgs } from './agent-resume';
import { Scheduler } from './scheduler';
import type { SessionRegistry } from './session-registry';
import { priorityToNiceness } from './session-types';

/** The detector reports changes only: a program that starts quietly is checked once after this. */
export const FIRST_ACTIVITY_CHECK_MS = 2000;
/** How long a program gets to exit on SIGTERM when the host shuts down, before SIGKILL. */
export const SHUTDOWN_GRACE_MS = 500;

export interface ProgramLifecycleDeps {
  registry: SessionRegistry;
  store: SessionStore;
  settings: SettingsService;
  terminals: TerminalBackend;
  log: Logger;
  /** Launch additions (approval mode, status hooks, prompt delivery) and the one status decision. */
  agents: AgentService;
  ports: PortAllocator;
  limits: LimitService;
  /** Called when a program exits 0 (counts a completed task). */
  onTaskCompleted?: (sessionId: string) => void;
  /** Writes a running program down so a crash cannot orphan it (returns the crossing-out). */
  trackProcess?: (sessionId: string, pid: number, label: string) => () => Promise<void>;
  /** Where the size and colours viewers last had are remembered (new sessions start at that size). */
  view?: RememberedView;
}

/**
 * A session's program: start (through the running cap's priority queue), stop, restart, limits,
 * exit and activity handling, its terminal's screen and size, and the live settings of a running
 * session (priority, limits).
 */
export class ProgramLifecycle {
  /** Crossing-outs of running programs in the process ledger, per session. */
  private readonly tracked = new Map<string, () => Promise<void>>();
  /** Why a program is being stopped: user stop, a limit, terminate. Consumed by the exit handler. */
  private readonly stopReasons = new Map<string, { status: SessionStatus; reason: string | null }>();
  /** The running exit handler per session, so a stop can wait until the outcome is recorded. */
  private readonly exitHandling = new Map<string, Promise<void>>();
  private readonly scheduler: Scheduler;
  private readonly disposers: Array<() => void> = [];
  /** The cgroup's OOM-kill count when the program started: a higher one at exit means the kernel stopped it. */
  private readonly oomAtStart = new Map<string, number>();
  /** Prompts typed once the program is ready for input (first idle after start). */
  private readonly pendingPrompts = new Map<string, string>();
  /** Sessions whose next launch continues the agent's conversation (wake, cold restore). */
  private readonly resumeNext = new Set<string>();
  /** What the separator line above the next launch says, when not the usual "restarted" (a move between hosts). */
  private readonly nextReason = new Map<string, string>();
  /** Terminal events that arrive before the records are loaded wait here (replayed by `ready`). */
  private early: Array<() => void> | null = [];

  constructor(private readonly d: ProgramLifecycleDeps) {
    const { registry } = d;
    this.scheduler = new Scheduler({
      queued: () => registry.all().filter((s) => s.status === 'queued'),
      runningCount: () => registry.all().filter((s) => isRunningStatus(s.status)).length,
      maxRunning: async () => (await d.settings.get()).maxRunning,
      launch: (s) => this.launch(s.id),
    });
    this.disposers.push(
      d.terminals.onExit((e) => this.gate(() => void this.noteExit(e.sessionId, e.exitCode, e.signal))),
    );
    this.disposers.push(d.agents.onDecision((id, decision) => this.gate(() => this.handleActivity(id, decision))));
    // The record follows the terminal's size, also when a CLI attached straight to the terminal host changed it.
    this.disposers.push(
      d.terminals.onSize((id, cols, rows) => void this.rememberSize(id, cols, rows).catch(() => undefined)),
    );
  }

  /**
   * A program an earlier engine started still runs in the terminal host: it holds its session's
   * cgroup again (released by the exit, as after a launch), its agent's hooks are followed and its
   * process-ledger entry is crossed out when it ends.
   */
  adopt(sessionId: string, crossOut?: () => Promise<void>): void {
    const s = this.d.registry.find(sessionId);
    if (!s) return;
    // Still written down in the process ledger: crossed out when it ends, as after a launch.
    if (crossOut) this.tracked.set(s.id, crossOut);
    this.d.limits.prepare(s);
    this.oomAtStart.set(s.id, this.d.limits.oomKills(s.id));
    this.d.agents.adopt(s);
  }

  /** The records are loaded: terminal events that came early are handled now, in order. */
  ready(): void {
    const early = this.early ?? [];
    this.early = null;
    for (const f of early) f();
  }

  private gate(f: () => void): void {
    if (this.early) this.early.push(f);
    else f();
  }

  /** A program's exit (live, or one that happened while no engine ran): its outcome is recorded. */
  noteExit(sessionId: string, exitCode: number | null, signal: number | null): Promise<void> {
    const done = this.handleExit(sessionId, exitCode, signal).finally(() => {
      if (this.exitHandling.get(sessionId) === done) this.exitHandling.delete(sessionId);
    });
    this.exitHandling.set(sessionId, done);
    return done;
  }

  /** Starts queued sessions while there are free slots under the running cap. */
  pump(): Promise<void> {
    return this.scheduler.pump();
  }

  /**
   * Starts (queues) the session's program. `continueConversation` launches the agent with its
   * resume command (default: only when waking a hibernated session).
   */
  async start(
    sessionId: string,
    opts: { continueConversation?: boolean; restartReason?: string } = {},
  ): Promise<Session> {
    const { registry } = this.d;
    const s = registry.get(sessionId);
    if (isRunningStatus(s.status) || s.status === 'queued') return s;
    if (s.status === 'paused') {
      throw new AppError(
        'INVALID_STATE',
        `Session "${s.name}" is paused: its folder is freed — resume it to run again.`,
      );
    }
    if (!startableStatuses.includes(s.status)) {
      throw new AppError(
        'INVALID_STATE',
        `Session "${s.name}" is ${s.status}; only stopped, completed or failed sessions start.`,
      );
    }
    if (s.worktreeMissing || !existsSync(s.worktreePath)) {
      throw new AppError(
        'INVALID_STATE',
        `The worktree of "${s.name}" is missing (${s.worktreePath}) — terminate the session and create a new one.`,
      );
    }
    if (opts.continueConversation ?? s.status === 'hibernated') this.resumeNext.add(s.id);
    else this.resumeNext.delete(s.id);
    if (opts.restartReason) this.nextReason.set(s.id, opts.restartReason);
    else this.nextReason.delete(s.id);
    await registry.commit(s, { status: 'queued', errorReason: null, exitCode: null });
    await this.pump();
    return registry.get(sessionId);
  }

  async stop(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (s.status === 'queued') return this.d.registry.commit(s, { status: 'stopped' });
    if (!isRunningStatus(s.status)) return s;
    await this.stopProgram(s, 'stopped', null);
    return this.d.registry.get(sessionId);
  }

  async restart(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (isRunningStatus(s.status)) await this.stopProgram(s, 'stopped', null);
    return this.start(sessionId);
  }

  /** Stops the program (if any) and records the outcome as `status` before resolving. */
  async stopProgram(s: Session, status: SessionStatus, reason: string | null): Promise<void> {
    this.stopReasons.set(s.id, { status, reason });
    const exit = await this.d.terminals.stop(s.id);
    // What left the program's process tree (setsid, double fork) goes too: cgroup or marker.
    const escaped = await this.d.limits.killAll(s.id);
    if (escaped > 0) this.d.log.info('sessions', `${s.name}: killed ${escaped} escaped process(es)`);
    await this.exitHandling.get(s.id);
    // The exit handler normally records the outcome; if the terminal was already gone, do it here.
    if (!exit && this.stopReasons.has(s.id)) await this.handleExit(s.id, null, null);
    // Its cgroup is empty now (escaped daemons included): the folder goes unless a command runs there.
    this.d.limits.tidy(s.id);
  }

  /** A limit was exceeded (metrics service): the program is stopped and the session goes to error. */
  async limitExceeded(sessionId: string, kind: 'memory' | 'runtime', reason: string): Promise<void> {
    const s = this.d.registry.find(sessionId);
    if (!s || !isRunningStatus(s.status) || this.stopReasons.has(sessionId)) return;
    this.d.log.info('sessions', `${s.name}: ${reason}`);
    this.d.registry.notify('error', s.id, `${s.name} stopped: ${kind} limit`, reason);
    await this.stopProgram(s, 'error', reason);
  }

  /** Name, limits and priority of a session; a running program is reniced at once. */
  async update(input: RequestParsedInput<'sessions.update'>): Promise<Session> {
    const s = this.d.registry.get(input.sessionId);
    let limitsChanged = false;
    const patch: Partial<Session> = {};
    if (input.name) patch.name = input.name;
    if (input.limits) patch.limits = { ...s.limits, ...input.limits };
    if (input.priority !== undefined) {
      patch.priority = input.priority;
      limitsChanged = true;
      if (s.pid) this.renice(s.pid, priorityToNiceness(input.priority));
    }
    const next = await this.d.registry.commit(s, patch);
    if (limitsChanged || input.limits) this.d.limits.apply(next);
    await this.pump();
    return next;
  }

  // ── terminals ──────────────────────────────────────────────────────────

  /** A viewer opens the session's terminal: snapshot + live stream, at the viewer's size. */
  async attach(
    sessionId: string,
    peer: Peer,
    cols: number,
    rows: number,
    colours?: ReportedColours,
  ): Promise<AttachResult> {
    await this.ensureTerminal(sessionId);
    const r = await this.d.terminals.attach(sessionId, peer, cols, rows, colours);
    this.d.view?.noteSize(cols, rows);
    void this.rememberSize(sessionId, r.cols, r.rows);
    return r;
  }

  /** A viewer's window size; the terminal's size follows the size policy over its viewers. */
  async resize(sessionId: string, cols: number, rows: number, from?: Peer): Promise<{ cols: number; rows: number }> {
    this.d.registry.get(sessionId);
    const r = await this.d.terminals.resize(sessionId, cols, rows, from);
    if (from) this.d.view?.noteSize(cols, rows);
    void this.rememberSize(sessionId, r.cols, r.rows);
    return r;
  }

  /** Makes sure the terminal service knows this session's screen (restored after a restart). */
  async ensureTerminal(sessionId: string): Promise<void> {
    const s = this.d.registry.get(sessionId);
    if (this.d.terminals.stats(s.id)) return;
    const saved = await this.d.store.loadScrollback(s.id);
    await this.d.terminals.restore(s.id, saved?.data ?? '', saved?.cols ?? s.cols, saved?.rows ?? s.rows);
  }

  async rememberSize(sessionId: string, cols: number, rows: number): Promise<void> {
    const s = this.d.registry.find(sessionId);
    if (s && (s.cols !== cols || s.rows !== rows)) await this.d.registry.remember({ ...s, cols, rows });
  }

  async saveScrollback(s: Session): Promise<void> {
    const data = await this.d.terminals.serialize(s.id).catch(() => null);
    if (data !== null) await this.d.store.saveScrollback(s.id, data, s.cols, s.rows).catch(() => undefined);
  }

  /**
   * Engine shutdown. With `stopPrograms` every running program is stopped and recorded `stopped`
   * with its scrollback; otherwise the programs keep running in the terminal host, recorded as
   * they are, for the next engine to re-adopt.
   */
  async shutdown(opts: { stopPrograms: boolean }): Promise<void> {
    for (const d of this.disposers) d();
    if (!opts.stopPrograms) return;
    const running = this.d.registry.all().filter((s) => isRunningStatus(s.status));
    await Promise.all(
      running.map(async (s) => {
        await this.saveScrollback(s);
        this.stopReasons.set(s.id, { status: 'stopped', reason: null });
        await this.d.terminals.stop(s.id, { graceMs: SHUTDOWN_GRACE_MS }).catch(() => undefined);
        await this.untrack(s.id);
        const latest = this.d.registry.get(s.id);
        await this.d.store.save({ ...latest, status: 'stopped', pid: null, stoppedAt: Date.now() });
      }),
    );
  }

  // ── internals ──────────────────────────────────────────────────────────

  private async untrack(sessionId: string): Promise<void> {
    const done = this.tracked.get(sessionId);
    this.tracked.delete(sessionId);
    await done?.();
  }

  /** Starts a queued session's program now (called by the scheduler when a slot is free). */
  private async launch(sessionId: string): Promise<void> {
    const { registry } = this.d;
    const s = registry.find(sessionId);
    if (!s || s.status !== 'queued') return;
    const resuming = this.resumeNext.delete(s.id);
    const reason = this.nextReason.get(s.id);
    this.nextReason.delete(s.id);
    try {
      const ports = s.ports ?? (await this.d.ports.allocate(s.id));
      const plan = this.d.agents.prepareLaunch(s, ports);
      const env = buildPtyEnv(
        { ...plan.env, ...s.env, MULTISESSION_SESSION_ID: s.id, MULTISESSION_SESSION_NAME: s.name },
        process.env,
        s.passEnv,
      );
      // Waking or restoring: the agent continues its conversation (no prompt again); an agent that
      // cannot, or has none to continue, simply restarts.
      const resumed = resuming ? await resumeArgs(s, plan.args, env) : null;
      const restoredAs: Session['restoredAs'] = resumed ? 'resumed' : resuming ? 'restarted' : null;
      // Its own cgroup (memory, pids, CPU weight), joined by the program before it execs.
      const kernel = this.d.limits.prepare(s);
      this.oomAtStart.set(s.id, this.d.limits.oomKills(s.id));
      // Through systemd (cgroup v2 without a delegated subtree) the program starts behind systemd-run.
      const argv = behindScope(kernel.scope, s.program, resumed ?? plan.args);
      const { pid } = await this.d.terminals.spawn({
        sessionId: s.id,
        file: argv.file,
        args: argv.args,
        cwd: s.worktreePath,
        env,
        cols: s.cols,
        rows: s.rows,
        niceness: priorityToNiceness(s.priority),
        agent: s.agent,
        cgroupProcs: kernel.cgroupProcs,
        restartReason:
          reason ?? (s.exitCode !== null ? `restarted · last run exited with code ${s.exitCode}` : 'restarted'),
      });
      const track = this.d.trackProcess?.(s.id, pid, s.program);
      if (track) this.tracked.set(s.id, track);
      const now = Date.now();
      await registry.commit(s, {
        status: 'active',
        pid,
        startedAt: now,
        lastActivityAt: now,
        stoppedAt: null,
        exitCode: null,
        errorReason: null,
        ports,
        statusSource: null,
        limitMechanism: kernel.mechanism,
        promptSent: s.promptSent || (Boolean(s.prompt) && s.promptDelivery !== 'not-sent'),
        restoredAs,
      });
      if (plan.typeWhenReady && !resumed) this.pendingPrompts.set(s.id, plan.typeWhenReady);
      setTimeout(() => {
        const stats = this.d.terminals.stats(s.id);
        if (stats && registry.find(s.id)?.status === 'active') this.d.agents.reportTerminal(s.id, stats.activity);
      }, FIRST_ACTIVITY_CHECK_MS).unref();
    } catch (e) {
      if (this.oomAtStart.delete(s.id)) this.d.limits.ended(s.id);
      const reason = e instanceof Error ? e.message : String(e);
      await registry.commit(s, {
        status: 'error',
        errorReason: `Could not start \`${s.program}\`: ${reason}`,
        pid: null,
      });
      registry.notify('error', s.id, `${s.name} could not start`, reason);
    }
  }

  private async typeInto(sessionId: string, text: string): Promise<void> {
    // Text then a separate Enter: agent TUIs treat one fast write as a paste and would not submit it.
    const r = await this.d.terminals.broadcast([sessionId], text, true);
    for (const f of r.failed)
      this.d.log.warn('sessions', `could not type the initial prompt into ${sessionId}: ${f.message}`);
  }

  private async handleExit(sessionId: string, exitCode: number | null, signal: number | null): Promise<void> {
    const { registry } = this.d;
    const s = registry.find(sessionId);
    if (!s) return;
    const requested = this.stopReasons.get(sessionId);
    this.stopReasons.delete(sessionId);
    this.pendingPrompts.delete(sessionId);
    await this.untrack(sessionId);
    this.d.agents.programEnded(sessionId);
    await this.saveScrollback(s);
    let status: SessionStatus;
    let errorReason: string | null = null;
    if (requested) {
      status = requested.status;
      errorReason = requested.reason;
    } else if (exitCode === 0) {
      status = 'completed';
      this.d.onTaskCompleted?.(sessionId);
    } else {
      status = 'error';
      const oom = this.d.limits.oomKills(sessionId) > (this.oomAtStart.get(sessionId) ?? 0);
      const peak = this.d.limits.peakMb(sessionId);
      errorReason = oom
        ? `Memory limit reached: the kernel stopped the program at ${s.limits.memoryMb} MB` +
          (peak !== null ? ` (peak ${peak.toFixed(1)} MB)` : '')
        : signal
          ? `Program was killed by signal ${signal}`
          : `Program exited with code ${exitCode ?? 'unknown'}`;
    }
    // The program held the session's cgroup since its launch; the folder goes once it is empty.
    if (this.oomAtStart.delete(sessionId)) this.d.limits.ended(sessionId);
    if (s.status !== 'terminated' && canTransition(s.status, status)) {
      await registry.commit(s, { status, exitCode, errorReason, pid: null, stoppedAt: Date.now() });
    }
    // Outcome and scrollback are on record: the terminal host need not stay up for this exit.
    this.d.terminals.exitHandled(sessionId);
    if (!requested) {
      const title = status === 'completed' ? `${s.name} finished` : `${s.name} exited with an error`;
      registry.notify('exited', s.id, title, errorReason ?? 'Program exited with code 0');
    }
    await this.pump();
  }

  private handleActivity(sessionId: string, decision: StatusDecision): void {
    const { registry } = this.d;
    const { activity, source } = decision;
    const s = registry.find(sessionId);
    if (!s || !isRunningStatus(s.status) || this.stopReasons.has(sessionId)) return;
    const pending = this.pendingPrompts.get(sessionId);
    if (pending !== undefined && activity === 'idle') {
      // Ready for input: the prompt is typed now, never into a question or a busy screen.
      this.pendingPrompts.delete(sessionId);
      void this.typeInto(sessionId, pending).catch((e) =>
        this.d.log.warn('sessions', `could not type the initial prompt into ${sessionId}: ${String(e)}`),
      );
    }
    if (s.status === activity && s.statusSource === source) return;
    const changed = s.status !== activity;
    void registry
      .commit(s, { status: activity, statusSource: source, ...(changed ? { lastActivityAt: Date.now() } : {}) })
      .catch((e) => this.d.log.warn('sessions', `activity update failed: ${String(e)}`));
    // Auto-yes sessions are announced by the agents room only when it could not answer.
    if (changed && activity === 'waiting' && s.approval.policy !== 'auto-yes')
      registry.notify('waiting', s.id, `${s.name} needs your input`, 'The program is asking a question.');
    if (decision.finished && s.status === 'busy')
      registry.notify('finished', s.id, `${s.name} finished its turn`, 'The agent is waiting for your next message.');
  }

  private renice(pid: number, niceness: number): void {
    try {
      // Lowering niceness needs privileges; raising it never does. Best effort.
      setPriority(pid, niceness);
    } catch (e) {
      this.d.log.warn('sessions', `could not renice ${pid}: ${String(e)}`);
    }
  }
}
