import type {
  AgentChoice,
  AgentPreset,
  PortBlock,
  Session,
  SessionType,
  SessionTypeInfo,
  StatusSource,
  TerminalActivity,
} from '../../../shared/domain';
import { sessionTypes } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import type { SettingsService } from '../settings/settings-service';
import { sessionTypeTemplates } from '../sessions/session-types';
import { agentCatalog } from './agent-catalog';
import { resolveDefaultProgram, resolveTypeAgent } from './agent-defaults';
import { AgentDetector } from './agent-detection';
import { AgentEventWatcher } from './agent-event-watcher';
import { AnswerBudget, answerFor } from './auto-approver';
import { hookPaths, removeHookFiles, type HookEvent, type HookPaths } from './hook-injection';
import { buildLaunchPlan, type LaunchPlan } from './launch-plan';
import { StatusArbiter, type StatusDecision } from './status-arbiter';

/** What the agents room needs of the terminals (in-process or the terminal host). */
export interface AgentTerminals {
  onActivity(
    listener: (sessionId: string, activity: TerminalActivity, source?: 'screen' | 'output' | 'cpu') => void,
  ): () => void;
  screenLines(sessionId: string): string[] | null | Promise<string[] | null>;
  input(sessionId: string, data: string): void;
}

export interface AgentServiceDeps {
  dataDir: string;
  settings: SettingsService;
  terminals: AgentTerminals;
  log: Logger;
  detector?: AgentDetector;
  findSession: (sessionId: string) => Session | undefined;
  /** Tells the user (the `notify` event). */
  notify: (kind: 'waiting' | 'limit' | 'info', sessionId: string, title: string, body: string) => void;
}

export type DecisionListener = (sessionId: string, decision: StatusDecision) => void;

/**
 * Agents as first-class: what is installed and the defaults that follow, the per-session launch
 * (approval mode, status hooks, prompt delivery), one status decision from hooks and screen, and
 * auto-yes. Sessions consume decisions through `onDecision`.
 */
export class AgentService {
  readonly detector: AgentDetector;
  readonly paths: HookPaths;
  private readonly arbiter = new StatusArbiter();
  private readonly watcher: AgentEventWatcher;
  private readonly listeners = new Set<DecisionListener>();
  private readonly budget = new AnswerBudget();
  private readonly disposers: Array<() => void> = [];
  /** Listeners for auto-yes answers (the session counts them). */
  private readonly answered = new Set<(sessionId: string) => void>();

  constructor(private readonly d: AgentServiceDeps) {
    this.detector = d.detector ?? new AgentDetector();
    this.paths = hookPaths(d.dataDir);
    this.watcher = new AgentEventWatcher(this.paths, (id, event) => this.hookEvent(id, event));
    this.disposers.push(
      d.terminals.onActivity((id, activity, source) =>
        this.emit(id, this.arbiter.fromTerminal(id, activity, source ?? 'screen')),
      ),
    );
  }

  /** The catalog with what is installed here (cached briefly; `refresh` looks again). */
  list(refresh = false): AgentPreset[] {
    return this.detector.list({ refresh }).map((x) => ({
      id: x.def.id,
      name: x.def.name,
      command: x.def.command,
      promptMode: x.def.prompt,
      promptFlag: x.def.promptFlag,
      defaultArgs: x.def.defaultArgs,
      installed: x.resolvedPath !== null,
      resolvedPath: x.resolvedPath,
      foundIn: x.foundIn,
      description: x.def.description,
      statusHooks: x.def.hooks,
      approvalModes: x.def.approvalModes,
      autoYes: x.def.confirmations.length > 0,
    }));
  }

  async defaultProgram(): Promise<AgentChoice> {
    return resolveDefaultProgram(await this.d.settings.get(), this.detector.list());
  }

  async typeAgent(type: SessionType): Promise<AgentChoice> {
    return resolveTypeAgent(type, await this.d.settings.get(), this.detector.list());
  }

  async defaults(): Promise<{ defaultProgram: AgentChoice; types: Array<AgentChoice & { type: SessionType }> }> {
    const settings = await this.d.settings.get();
    const detected = this.detector.list();
    return {
      defaultProgram: resolveDefaultProgram(settings, detected),
      types: sessionTypes.map((type) => ({ type, ...resolveTypeAgent(type, settings, detected) })),
    };
  }

  /** Session type templates with each type's program resolved on this machine. */
  async typeInfos(): Promise<SessionTypeInfo[]> {
    const settings = await this.d.settings.get();
    const detected = this.detector.list();
    return sessionTypes.map((type) => {
      const choice = resolveTypeAgent(type, settings, detected);
      return { ...sessionTypeTemplates[type], agent: choice.agent, agentReason: choice.reason };
    });
  }

  /** Writes the per-session hook files, starts following its events and returns argv/env additions. */
  prepareLaunch(s: Session, ports: PortBlock | null): LaunchPlan {
    const plan = buildLaunchPlan(s, { paths: this.paths, hostPath: process.env.PATH ?? '', ports });
    this.arbiter.begin(s.id, plan.hookCoverage);
    if (plan.hookCoverage) this.watcher.track(s.id, true);
    return plan;
  }

  /**
   * A program started by an earlier engine is still running (re-adopted from the terminal host):
   * its hooks keep reporting to the same files, so follow them from here on, as at its launch.
   */
  adopt(s: Session): void {
    const plan = buildLaunchPlan(s, { paths: this.paths, hostPath: process.env.PATH ?? '', ports: s.ports ?? null });
    this.arbiter.begin(s.id, plan.hookCoverage);
    if (plan.hookCoverage) this.watcher.track(s.id, false);
  }

  /** The program ended: its hooks go quiet. */
  programEnded(sessionId: string): void {
    this.watcher.drain(sessionId);
    this.watcher.untrack(sessionId);
    this.arbiter.end(sessionId);
  }

  /** The session is gone: its hook files and events file are removed. */
  forget(sessionId: string): void {
    this.programEnded(sessionId);
    this.budget.forget(sessionId);
    removeHookFiles(this.paths, sessionId);
  }

  sourceOf(sessionId: string): StatusSource | null {
    return this.arbiter.sourceOf(sessionId);
  }

  onDecision(listener: DecisionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAutoAnswer(listener: (sessionId: string) => void): () => void {
    this.answered.add(listener);
    return () => this.answered.delete(listener);
  }

  /** A terminal-side observation made outside the terminal's own reports (the first check after start). */
  reportTerminal(sessionId: string, activity: TerminalActivity, source: 'screen' | 'output' | 'cpu' = 'screen'): void {
    this.emit(sessionId, this.arbiter.fromTerminal(sessionId, activity, source));
  }

  /** Auto-yes was just switched on: a question already on screen is answered now, not at the next one. */
  answerIfWaiting(sessionId: string): Promise<void> {
    return this.maybeAutoAnswer(sessionId);
  }

  /** Reads new hook events of a session now (tests; the watcher does it on its own). */
  drainEvents(sessionId: string): void {
    this.watcher.drain(sessionId);
  }

  dispose(): void {
    for (const d of this.disposers) d();
    this.watcher.dispose();
  }

  private hookEvent(sessionId: string, event: HookEvent): void {
    this.emit(sessionId, this.arbiter.fromHook(sessionId, event));
  }

  private emit(sessionId: string, decision: StatusDecision | null): void {
    if (!decision) return;
    for (const l of this.listeners) l(sessionId, decision);
    if (decision.activity === 'waiting') void this.maybeAutoAnswer(sessionId);
  }

  /** Auto-yes: answers a known confirmation on screen, within a per-minute budget. */
  private async maybeAutoAnswer(sessionId: string): Promise<void> {
    const s = this.d.findSession(sessionId);
    if (!s || s.approval.policy !== 'auto-yes') return;
    const lines = await this.d.terminals.screenLines(sessionId);
    const keys = lines ? answerFor(s.agent, lines) : null;
    const ask = (why: string) => this.d.notify('waiting', s.id, `${s.name} needs your input`, why);
    if (!keys) return ask('Auto-yes does not know this question — answer it yourself.');
    if (!this.budget.take(sessionId)) {
      this.d.log.warn('agents', `auto-yes paused for ${s.name}: too many confirmations in a minute`);
      return ask('Auto-yes paused: the agent asked too many times in a minute.');
    }
    try {
      this.d.terminals.input(sessionId, keys);
      for (const l of this.answered) l(sessionId);
    } catch (e) {
      this.d.log.warn('agents', `auto-yes could not answer ${s.name}: ${String(e)}`);
    }
  }
}

export { agentCatalog };
