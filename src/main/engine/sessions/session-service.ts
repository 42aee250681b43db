import { join } from 'node:path';
import type { RequestParsedInput } from '../../../shared/contract';
import type { IsolationFacts, LimitService } from '../limits/limit-service';
import type { DiffSummary, QuarantinedRecord, Session, UsageSummary } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { SessionPlan } from '../../../shared/session-plan';
import { isRunningStatus } from '../../../shared/session-state';
import { findAgentDef } from '../agents/agent-catalog';
import type { AgentService } from '../agents/agent-service';
import type { ScriptTrust } from '../trust/script-trust';
import type { PortAllocator } from '../ports/port-allocator';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import { KeyedMutex } from '../git/repo-lock';
import type { RemovalVerdict } from '../../../shared/removal';
import type { RemovalService } from '../safety/removal-service';
import type { UserCommitPlan } from '../safety/user-commit';
import type { EventHub } from '../rpc/event-hub';
import type { ReportedColours } from '../terminals/headless-screen';
import type { Peer } from '../rpc/peer';
import type { SettingsService } from '../settings/settings-service';
import type { SessionStore } from '../store/session-store';
import type { AttachResult, TerminalBackend } from '../terminals/terminal-backend';
import type { RuntimeStore } from '../store/runtime-store';
import { currentBootId } from '../system/boot-id';
import { ProgramLifecycle } from './program-lifecycle';
import { SessionCreation } from './session-creation';
import { PlacedAside } from './placed-aside';
import { reconcileRecords } from './session-reconcile';
import { resolveSessionRef } from '../../../shared/session-ref';
import { adoptLegacyFolders } from '../safety/legacy-adoption';
import type { LedgerEntry, Leftover, ProcessLedger } from '../process/process-ledger';
import { SessionPause } from './session-pause';
import { SessionRestore } from './session-restore';
import { OlderHostMove } from './older-host-move';
import type { OlderHost, RestartHereResult } from '../../../shared/lifetime-contract';
import { SessionRegistry, type SessionFilter } from './session-registry';
import { SessionTermination, type QuiesceWork } from './session-termination';
import { checkApproval } from './session-planner';
import { RememberedView } from '../terminals/viewer-memory';

export interface SessionServiceDeps {
  store: SessionStore;
  settings: SettingsService;
  worktrees: WorktreeService;
  /** The one removal check and executor (safety/). */
  removal: RemovalService;
  terminals: TerminalBackend;
  hub: EventHub;
  log: Logger;
  agents: AgentService;
  ports: PortAllocator;
  /** Repository-provided scripts the user trusted (by exact content). */
  trust: ScriptTrust;
  /** Kernel limits (cgroups) or the sampling fallback; also finds a session's escaped processes. */
  limits: LimitService;
  /** The engine's own facts across runs (the boot it last ran in). */
  runtime: RuntimeStore;
  /** Called when a program exits 0 (counts a completed task). */
  onTaskCompleted?: (sessionId: string) => void;
  /** Stops a session's commands and batch items before it is terminated (bound late: commands come after sessions). */
  quiesce?: QuiesceWork;
  /** Where programs and setup scripts are written down while they run (found again after a crash). */
  ledger?: ProcessLedger;
  /** The data dir (pause keeps the app's placed files under `paused/`, owner-only). */
  dataDir: string;
}

/**
 * The sessions room's front door. Each concern lives in its own file: the records
 * (session-registry), creation (session-creation), the program and its terminal
 * (program-lifecycle), the end (session-termination) and start-up reconciliation
 * (session-reconcile). Other services see sessions only through `get` and `list`.
 */
export class SessionService {
  private readonly registry: SessionRegistry;
  private readonly programs: ProgramLifecycle;
  private readonly creation: SessionCreation;
  private readonly termination: SessionTermination;
  /** One operation per session at a time (start, stop, restart, update, terminate): no interleaving. */
  private readonly ops = new KeyedMutex();
  private quarantine: QuarantinedRecord[] = [];
  private readonly restore: SessionRestore;
  private readonly olderHost: OlderHostMove;
  private readonly pausing: SessionPause;
  private readonly view: RememberedView;

  constructor(private readonly d: SessionServiceDeps) {
    this.registry = new SessionRegistry({ store: d.store, hub: d.hub });
    this.view = new RememberedView(d.dataDir, d.log);
    this.programs = new ProgramLifecycle({
      view: this.view,
      registry: this.registry,
      store: d.store,
      settings: d.settings,
      terminals: d.terminals,
      log: d.log,
      agents: d.agents,
      ports: d.ports,
      limits: d.limits,
      onTaskCompleted: d.onTaskCompleted,
      trackProcess: d.ledger
        ? (sessionId, pid, label) => d.ledger!.track({ kind: 'program', pid, sessionId, label })
        : undefined,
    });
    this.creation = new SessionCreation({
      registry: this.registry,
      settings: d.settings,
      worktrees: d.worktrees,
      removal: d.removal,
      ledger: d.ledger,
      hub: d.hub,
      log: d.log,
      agents: d.agents,
      ports: d.ports,
      trust: d.trust,
      view: this.view,
      pump: () => this.programs.pump(),
    });
    this.restore = new SessionRestore({
      registry: this.registry,
      programs: this.programs,
      terminals: d.terminals,
      settings: d.settings,
      log: d.log,
    });
    d.terminals.onHostLost((loss) => void this.restore.hostLost(loss));
    this.olderHost = new OlderHostMove({
      registry: this.registry,
      programs: this.programs,
      terminals: d.terminals,
      store: d.store,
      log: d.log,
    });
    const aside = new PlacedAside(join(d.dataDir, 'paused'));
    this.pausing = new SessionPause({
      aside,
      registry: this.registry,
      programs: this.programs,
      removal: d.removal,
      worktrees: d.worktrees,
      log: d.log,
      quiesce: (id) => d.quiesce?.(id) ?? Promise.resolve(() => undefined),
    });
    this.termination = new SessionTermination({
      registry: this.registry,
      programs: this.programs,
      removal: d.removal,
      git: d.worktrees.git,
      terminals: d.terminals,
      release: async (id) => {
        await d.limits.killAll(id);
        d.limits.release(id);
        await d.ports.release(id);
        d.agents.forget(id);
      },
      log: d.log,
      quiesce: (id) => d.quiesce?.(id) ?? Promise.resolve(() => undefined),
      aside,
    });
  }

  /** What enforces limits and isolation here (status, session detail). */
  isolationFacts(): IsolationFacts {
    return this.d.limits.facts();
  }

  get(sessionId: string): Session {
    return this.registry.get(sessionId);
  }

  list(filter: SessionFilter = {}): Session[] {
    return this.registry.list(filter);
  }

  /** A typed reference → one session (shared/session-ref rules), or a typed error with the candidates. */
  resolve(ref: string, destructive: boolean): Session {
    const r = resolveSessionRef(this.registry.all(), ref, { destructive });
    if (r.ok) return r.session;
    throw new AppError(r.code, r.message, { ref, candidates: r.candidates });
  }

  create(input: RequestParsedInput<'sessions.create'>): Promise<Session[]> {
    return this.creation.create(input);
  }

  plan(input: RequestParsedInput<'sessions.create'>): Promise<SessionPlan[]> {
    return this.creation.plan(input);
  }

  start(sessionId: string, opts: { continueConversation?: boolean } = {}): Promise<Session> {
    return this.serial(sessionId, () =>
      this.olderHost.route(sessionId, 'start', () => this.programs.start(sessionId, opts)),
    );
  }

  /** Terminal hosts of an older app version that still run this data dir's programs. */
  olderHosts(): OlderHost[] {
    return this.olderHost.hosts();
  }

  /** Moves sessions held by an older terminal host into this version's (all of them without ids). */
  restartHere(sessionIds?: string[]): Promise<RestartHereResult> {
    return this.olderHost.restartHere(sessionIds, (id, fn) => this.serial(id, fn));
  }

  hibernate(sessionId: string): Promise<Session> {
    return this.serial(sessionId, () => this.restore.hibernate(sessionId));
  }

  /**
   * The memory-pressure policy's hibernate: only a session still idle when its turn comes (not
   * busy or waiting meanwhile), with the reason kept on its record. False when it was not idle.
   */
  hibernateIfIdle(sessionId: string, reason: string): Promise<boolean> {
    return this.serial(sessionId, async () => {
      if (this.registry.get(sessionId).status !== 'idle') return false;
      await this.restore.hibernate(sessionId, reason);
      return true;
    });
  }

  wake(sessionId: string): Promise<Session> {
    return this.serial(sessionId, () => this.restore.wake(sessionId));
  }

  /** Commits the work in progress to the branch and frees the folder (session-pause). */
  pause(input: RequestParsedInput<'sessions.pause'>): Promise<Session> {
    return this.serial(input.sessionId, () =>
      this.olderHost.route(input.sessionId, 'pause', () => this.pausing.pause(input)),
    );
  }

  /** Recreates a paused session's folder with its work and starts the program, resuming. */
  resume(sessionId: string): Promise<Session> {
    return this.serial(sessionId, () => this.pausing.resume(sessionId));
  }

  /** A storage failure refuses before the program is killed (never "killed, but the call failed"). */
  stop(sessionId: string): Promise<Session> {
    return this.serial(sessionId, async () => {
      await this.registry.touch(this.registry.get(sessionId));
      return this.olderHost.route(sessionId, 'stop', () => this.programs.stop(sessionId));
    });
  }

  restart(sessionId: string): Promise<Session> {
    return this.serial(sessionId, async () => {
      await this.registry.touch(this.registry.get(sessionId));
      return this.olderHost.route(sessionId, 'restart', () => this.programs.restart(sessionId));
    });
  }

  update(input: RequestParsedInput<'sessions.update'>): Promise<Session> {
    return this.serial(input.sessionId, () => this.programs.update(input));
  }

  /** Runs `fn` after every earlier operation on the session finished (an unknown id fails at once). */
  private serial<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    this.registry.get(sessionId);
    return this.ops.run(sessionId, fn);
  }

  /** Starts queued sessions while there are free slots (e.g. after the running cap was raised). */
  pump(): Promise<void> {
    return this.programs.pump();
  }

  limitExceeded(sessionId: string, kind: 'memory' | 'runtime', reason: string): Promise<void> {
    return this.programs.limitExceeded(sessionId, kind, reason);
  }

  /**
   * Terminate, serialised with every other operation on the session: of two terminates at once
   * the second finds the session terminated and fails (INVALID_STATE) — only one claims success.
   */
  terminate(input: RequestParsedInput<'sessions.terminate'>): Promise<Session> {
    return this.serial(input.sessionId, () =>
      this.olderHost.route(input.sessionId, 'terminate', () => this.termination.terminate(input)),
    );
  }

  /** What terminating (and deleting the branch) would lose, to show before the user accepts it. */
  removalCheck(sessionId: string, deleteBranch: boolean): Promise<RemovalVerdict> {
    return this.termination.check(sessionId, deleteBranch);
  }

  /** What a commit made for the user would take and leave out. */
  commitPreview(sessionId: string): Promise<UserCommitPlan> {
    return this.termination.commitPreview(sessionId);
  }

  /** Stored records that failed validation, kept aside and shown (never silently dropped). */
  quarantined(): QuarantinedRecord[] {
    return this.quarantine;
  }

  forget(sessionId: string): Promise<void> {
    return this.termination.forget(sessionId);
  }

  attachTerminal(
    sessionId: string,
    peer: Peer,
    cols: number,
    rows: number,
    colours?: ReportedColours,
  ): Promise<AttachResult> {
    return this.programs.attach(sessionId, peer, cols, rows, colours);
  }

  /**
   * What a terminal of the app looks like now (its theme; the pane's size once known), reported when
   * the app connects and when its theme changes: programs that start before any tab shows them are
   * told these colours and start at this size.
   */
  noteView(view: { colours: ReportedColours; cols?: number; rows?: number }): void {
    this.view.note(view.colours);
    if (view.cols !== undefined && view.rows !== undefined) this.view.noteSize(view.cols, view.rows);
  }

  resizeTerminal(sessionId: string, cols: number, rows: number, peer?: Peer): Promise<{ cols: number; rows: number }> {
    return this.programs.resize(sessionId, cols, rows, peer);
  }

  ensureTerminal(sessionId: string): Promise<void> {
    return this.programs.ensureTerminal(sessionId);
  }

  /** The session's changes against its base (its worktree must exist). */
  async diff(sessionId: string): Promise<DiffSummary> {
    const s = this.registry.get(sessionId);
    if (s.status === 'terminated' || s.worktreeMissing) {
      throw new AppError('INVALID_STATE', `"${s.name}" has no worktree to diff.`);
    }
    return { sessionId: s.id, ...(await this.d.worktrees.diff(s.worktreePath, s.baseBranch)) };
  }

  /**
   * Loads the records and reconciles them with the disk and the terminal host: programs still
   * running there are re-adopted as they are (`claimed`: their process-ledger entries), exits that happened meanwhile are recorded, programs
   * lost to a reboot are restored and others reported; an interrupted creation finds the folder it
   * had claimed; damaged records are quarantined and shown; worktree folders of records from
   * before ownership was tracked are recorded as the app's.
   */
  async load(leftovers: Leftover[] = [], claimed: ReadonlyMap<string, LedgerEntry> = new Map()): Promise<void> {
    const [{ sessions: stored, quarantined }, live] = await Promise.all([this.d.store.load(), this.d.terminals.list()]);
    this.quarantine = quarantined;
    for (const q of quarantined) this.d.log.warn('sessions', `quarantined damaged session record ${q.id}: ${q.reason}`);
    const withFolders = await Promise.all(stored.map((r) => this.creation.findClaimedFolder(r)));
    const rebooted = await this.d.runtime.noteBoot(currentBootId());
    const plan = reconcileRecords(withFolders, { live, rebooted, elsewhere: this.elsewhere(), leftovers });
    this.registry.replaceAll(plan.sessions);
    await this.d.store.saveMany(plan.changed);
    await this.pausing.reconcile();
    const root = this.d.settings.worktreeRoot();
    await adoptLegacyFolders(this.d.removal.owned, plan.sessions, root, {
      trustedRoot: root === this.d.settings.defaultWorktreeRootPath(),
      log: this.d.log,
    }).catch((e: unknown) => this.d.log.warn('safety', `could not record legacy worktree folders: ${String(e)}`));
    const ledger = this.d.ledger;
    await this.restore.afterLoad(plan, (id) => {
      const e = claimed.get(id);
      return e && ledger ? ledger.crossOut(e) : undefined;
    });
    this.olderHost.announce();
  }

  /** Sessions whose programs run in a terminal host of another protocol version. */
  private elsewhere(): Set<string> {
    return new Set(
      this.d.terminals.incompatibleHosts().flatMap((h) => h.sessions.filter((x) => x.running).map((x) => x.sessionId)),
    );
  }

  /** Keeps the worktree of a creation the host was stopped in the middle of (SessionCreation.keepInterrupted). */
  recover(sessionId: string): Promise<Session> {
    return this.serial(sessionId, () => this.creation.keepInterrupted(sessionId));
  }

  async shutdown(opts: { stopPrograms: boolean }): Promise<void> {
    await this.programs.shutdown(opts);
    // Empty cgroups of this data dir go (a program kept running keeps its own: the kernel refuses).
    this.d.limits.close();
  }

  /** Auto-yes answered one of the agent's confirmations: counted on the session. */
  async autoAnswered(sessionId: string): Promise<void> {
    const s = this.registry.find(sessionId);
    if (s) await this.registry.commit(s, { autoApproved: s.autoApproved + 1 });
  }

  /** Records usage read from the agent's own records (usage service). */
  async setUsage(sessionId: string, usage: UsageSummary): Promise<void> {
    const s = this.registry.find(sessionId);
    if (s) await this.registry.commit(s, { usage });
  }

  /**
   * A new approval policy. Off and auto-yes act at once (auto-yes is the engine answering); an
   * agent mode is a launch argument, so a running agent gets it at its next start, or now with `restart`.
   */
  async setApproval(input: RequestParsedInput<'sessions.setApproval'>): Promise<Session> {
    const s = this.registry.get(input.sessionId);
    if (s.status === 'terminated') throw new AppError('INVALID_STATE', `"${s.name}" is terminated.`);
    const approval = checkApproval(input.approval, findAgentDef(s.agent), s.agent);
    const next = await this.registry.commit(s, { approval });
    const argsChanged = approval.policy === 'agent' || s.approval.policy === 'agent';
    if (input.restart && argsChanged && isRunningStatus(s.status)) return this.programs.restart(s.id);
    if (approval.policy === 'auto-yes' && next.status === 'waiting') await this.d.agents.answerIfWaiting(s.id);
    return next;
  }
}
