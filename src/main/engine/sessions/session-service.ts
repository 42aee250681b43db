import type { RequestParsedInput } from '../../../shared/contract';
import type { IsolationFacts, LimitService } from '../limits/limit-service';
import type { DiffSummary, Session, UsageSummary } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { SessionPlan } from '../../../shared/session-plan';
import { isRunningStatus } from '../../../shared/session-state';
import { findAgentDef } from '../agents/agent-catalog';
import type { AgentService } from '../agents/agent-service';
import type { ScriptTrust } from '../trust/script-trust';
import type { PortAllocator } from '../ports/port-allocator';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import type { EventHub } from '../rpc/event-hub';
import type { ReportedColours } from '../terminals/headless-screen';
import type { Peer } from '../rpc/peer';
import type { SettingsService } from '../settings/settings-service';
import type { SessionStore } from '../store/session-store';
import type { AttachResult, TerminalService } from '../terminals/terminal-service';
import { ProgramLifecycle } from './program-lifecycle';
import { SessionCreation } from './session-creation';
import { reconcileRecords } from './session-reconcile';
import { SessionRegistry, type SessionFilter } from './session-registry';
import { SessionTermination } from './session-termination';
import { checkApproval } from './session-planner';

export interface SessionServiceDeps {
  store: SessionStore;
  settings: SettingsService;
  worktrees: WorktreeService;
  terminals: TerminalService;
  hub: EventHub;
  log: Logger;
  agents: AgentService;
  ports: PortAllocator;
  /** Repository-provided scripts the user trusted (by exact content). */
  trust: ScriptTrust;
  /** Kernel limits (cgroups) or the sampling fallback; also finds a session's escaped processes. */
  limits: LimitService;
  /** Called when a program exits 0 (counts a completed task). */
  onTaskCompleted?: (sessionId: string) => void;
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

  constructor(private readonly d: SessionServiceDeps) {
    this.registry = new SessionRegistry({ store: d.store, hub: d.hub });
    this.programs = new ProgramLifecycle({
      registry: this.registry,
      store: d.store,
      settings: d.settings,
      terminals: d.terminals,
      log: d.log,
      agents: d.agents,
      ports: d.ports,
      limits: d.limits,
      onTaskCompleted: d.onTaskCompleted,
    });
    this.creation = new SessionCreation({
      registry: this.registry,
      settings: d.settings,
      worktrees: d.worktrees,
      hub: d.hub,
      log: d.log,
      agents: d.agents,
      ports: d.ports,
      trust: d.trust,
      pump: () => this.programs.pump(),
    });
    this.termination = new SessionTermination({
      registry: this.registry,
      programs: this.programs,
      worktrees: d.worktrees,
      terminals: d.terminals,
      release: async (id) => {
        await d.limits.killAll(id);
        d.limits.release(id);
        await d.ports.release(id);
        d.agents.forget(id);
      },
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

  create(input: RequestParsedInput<'sessions.create'>): Promise<Session[]> {
    return this.creation.create(input);
  }

  plan(input: RequestParsedInput<'sessions.create'>): Promise<SessionPlan[]> {
    return this.creation.plan(input);
  }

  start(sessionId: string): Promise<Session> {
    return this.programs.start(sessionId);
  }

  stop(sessionId: string): Promise<Session> {
    return this.programs.stop(sessionId);
  }

  restart(sessionId: string): Promise<Session> {
    return this.programs.restart(sessionId);
  }

  update(input: RequestParsedInput<'sessions.update'>): Promise<Session> {
    return this.programs.update(input);
  }

  /** Starts queued sessions while there are free slots (e.g. after the running cap was raised). */
  pump(): Promise<void> {
    return this.programs.pump();
  }

  limitExceeded(sessionId: string, kind: 'memory' | 'runtime', reason: string): Promise<void> {
    return this.programs.limitExceeded(sessionId, kind, reason);
  }

  terminate(input: RequestParsedInput<'sessions.terminate'>): Promise<Session> {
    return this.termination.terminate(input);
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

  resizeTerminal(sessionId: string, cols: number, rows: number, from?: Peer): { cols: number; rows: number } {
    return this.programs.resize(sessionId, cols, rows, from);
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

  /** Loads records and reconciles them with the disk: nothing comes back running. */
  async load(): Promise<void> {
    const { sessions, changed } = reconcileRecords(await this.d.store.list());
    this.registry.replaceAll(sessions);
    await this.d.store.saveMany(changed);
  }

  async shutdown(): Promise<void> {
    await this.programs.shutdown();
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
