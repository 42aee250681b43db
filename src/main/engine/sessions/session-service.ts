import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { RequestParsedInput } from '../../../shared/contract';
import type { Session, SessionStatus, TerminalActivity } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { canTransition, isRunningStatus, startableStatuses } from '../../../shared/session-state';
import type { EventHub } from '../rpc/event-hub';
import type { Logger } from '../core/logger';
import type { SessionStore } from '../store/session-store';
import type { SettingsStore } from '../store/settings-store';
import type { TerminalService } from '../terminals/terminal-service';
import type { WorktreeService } from '../git/worktree-service';
import { buildPtyEnv } from '../terminals/pty-env';
import { buildLaunchArgs, findAgent } from './agents';
import { planSessions, type PlannedSession } from './session-planner';
import { Scheduler } from './scheduler';
import { priorityToNiceness, sessionTypeTemplates } from './session-types';

export interface SessionServiceDeps {
  store: SessionStore;
  settings: SettingsStore;
  worktrees: WorktreeService;
  terminals: TerminalService;
  hub: EventHub;
  log: Logger;
  /** Called when a program exits 0 (counts a completed task). */
  onTaskCompleted?: (sessionId: string) => void;
}

const newId = () => randomBytes(6).toString('hex');

/**
 * Owns session records and their lifecycle: creation (worktree + record), program start/stop
 * through the terminal pipeline, the running cap with its priority queue, terminate with the
 * work-loss guards, persistence and reconciliation after a restart.
 */
export class SessionService {
  private readonly sessions = new Map<string, Session>();
  /** Why a program is being stopped: user stop, a limit, terminate. Consumed by the exit handler. */
  private readonly stopReasons = new Map<string, { status: SessionStatus; reason: string | null }>();
  private readonly scheduler: Scheduler;
  private readonly disposers: Array<() => void> = [];
  /** The running exit handler per session, so a stop can wait until the outcome is recorded. */
  private readonly exitHandling = new Map<string, Promise<void>>();

  constructor(private readonly d: SessionServiceDeps) {
    this.scheduler = new Scheduler({
      queued: () => [...this.sessions.values()].filter((s) => s.status === 'queued'),
      runningCount: () => [...this.sessions.values()].filter((s) => isRunningStatus(s.status)).length,
      maxRunning: async () => (await d.settings.get()).maxRunning,
      launch: (s) => this.launch(s.id),
    });
    this.disposers.push(
      d.terminals.onExit((e) => {
        const done = this.handleExit(e.sessionId, e.exitCode, e.signal).finally(() => {
          if (this.exitHandling.get(e.sessionId) === done) this.exitHandling.delete(e.sessionId);
        });
        this.exitHandling.set(e.sessionId, done);
      }),
    );
    this.disposers.push(d.terminals.onActivity((id, a) => this.handleActivity(id, a)));
  }

  // ── queries ────────────────────────────────────────────────────────────

  get(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new AppError('NOT_FOUND', `No session with id \`${sessionId}\` — list sessions to see the ids.`);
    return s;
  }

  list(filter: Partial<RequestParsedInput<'sessions.list'>> = {}): Session[] {
    const search = filter.search?.toLowerCase();
    return [...this.sessions.values()]
      .filter((s) => (filter.status ? s.status === filter.status : true))
      .filter((s) => (filter.type ? s.type === filter.type : true))
      .filter((s) =>
        filter.repoPath ? s.repoPath === filter.repoPath || s.repoPath === filter.repoPath.replace(/\/+$/, '') : true,
      )
      .filter((s) => (filter.includeTerminated === false ? s.status !== 'terminated' : true))
      .filter((s) =>
        search ? [s.name, s.branch, s.program, s.type, s.status].some((v) => v.toLowerCase().includes(search)) : true,
      );
  }

  // ── state changes ──────────────────────────────────────────────────────

  private async commit(s: Session, patch: Partial<Session>): Promise<Session> {
    if (patch.status && !canTransition(s.status, patch.status)) {
      throw new AppError('INVALID_STATE', `Session "${s.name}" cannot go from ${s.status} to ${patch.status}.`);
    }
    const next: Session = { ...s, ...patch, updatedAt: Date.now() };
    this.sessions.set(s.id, next);
    this.d.hub.emit('sessions.changed', { session: next });
    await this.d.store.save(next);
    return next;
  }

  // ── create ─────────────────────────────────────────────────────────────

  async create(input: RequestParsedInput<'sessions.create'>): Promise<Session[]> {
    const settings = await this.d.settings.get();
    const repo = await this.d.worktrees.inspect(input.repoPath, { changes: false });
    const plans = planSessions(input, repo, settings);
    const opId = input.operationId ?? newId();
    const created = await Promise.all(plans.map((p, i) => this.createOne(p, input, settings.branchTemplate, opId, i)));
    const failures = created.filter((c): c is { error: unknown } => 'error' in c);
    if (failures.length > 0 && failures.length === created.length) throw failures[0].error;
    await this.rememberRepo(repo.root);
    const ok = created.filter((c): c is Session => !('error' in c));
    if (failures.length > 0) {
      const e = failures[0].error;
      const msg = e instanceof Error ? e.message : String(e);
      this.d.log.warn('sessions', `${failures.length} of ${created.length} copies failed: ${msg}`);
    }
    return ok;
  }

  private async createOne(
    plan: PlannedSession,
    input: RequestParsedInput<'sessions.create'>,
    branchTemplate: string,
    opId: string,
    index: number,
  ): Promise<Session | { error: unknown }> {
    const now = Date.now();
    const id = newId();
    let session: Session = {
      ...plan.session,
      id,
      status: 'initializing',
      createdAt: now,
      updatedAt: now,
    };
    const progress = (step: string, message: string, done = false, error: string | null = null) =>
      this.d.hub.emit('progress', {
        operationId: opId,
        sessionId: id,
        step,
        message: `${plan.session.name}: ${message}`,
        fraction: null,
        done,
        error,
      });
    // The record exists before any git work, so a crash mid-way leaves something to reconcile.
    this.sessions.set(id, session);
    await this.d.store.save(session);
    this.d.hub.emit('sessions.changed', { session });
    progress('worktree', `creating worktree (copy ${index + 1})`);
    try {
      const wt = await this.d.worktrees.create({
        repoPath: plan.session.repoPath,
        sessionId: id,
        sessionName: plan.session.name,
        sessionType: plan.session.type,
        baseBranch: input.baseBranch,
        existingBranch: input.existingBranch,
        branchName: plan.branchName,
        branchTemplate,
        copyInPatterns: plan.copyInPatterns,
        setupScript: plan.setupScript,
        onProgress: (step, message) => progress(step, message),
      });
      session = await this.commit(this.get(id), {
        repoPath: wt.repoRoot,
        worktreePath: wt.worktreePath,
        branch: wt.branch,
        baseBranch: wt.baseBranch,
        existingBranch: wt.existingBranch,
        status: input.autoStart ? 'queued' : 'stopped',
      });
      progress('ready', input.autoStart ? 'worktree ready, starting program' : 'worktree ready', true);
      if (input.autoStart) await this.scheduler.pump();
      return this.get(id);
    } catch (error) {
      // Nothing half-created: the worktree service rolled back its part; drop the record.
      this.sessions.delete(id);
      await this.d.store.delete(id).catch(() => undefined);
      this.d.hub.emit('sessions.removed', { sessionId: id });
      progress('failed', error instanceof Error ? error.message : String(error), true, String(error));
      return { error };
    }
  }

  private async rememberRepo(root: string): Promise<void> {
    const s = await this.d.settings.get();
    const recentRepos = [root, ...s.recentRepos.filter((r) => r !== root)].slice(0, 10);
    if (recentRepos.join('\n') !== s.recentRepos.join('\n')) {
      const next = await this.d.settings.update({ recentRepos });
      this.d.hub.emit('settings.changed', { settings: next });
    }
  }

  // ── program lifecycle ──────────────────────────────────────────────────

  async start(sessionId: string): Promise<Session> {
    const s = this.get(sessionId);
    if (isRunningStatus(s.status) || s.status === 'queued') return s;
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
    await this.commit(s, { status: 'queued', errorReason: null, exitCode: null });
    await this.scheduler.pump();
    return this.get(sessionId);
  }

  /** Starts a queued session's program now (called by the scheduler when a slot is free). */
  private async launch(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s || s.status !== 'queued') return;
    const agent = findAgent(s.agent);
    const prompt = s.promptSent ? '' : s.prompt;
    const { args, typePrompt } = buildLaunchArgs(agent, s.args, prompt);
    try {
      const { pid } = this.d.terminals.spawn({
        sessionId: s.id,
        file: s.program,
        args,
        cwd: s.worktreePath,
        env: buildPtyEnv({ ...s.env, MULTISESSION_SESSION_ID: s.id, MULTISESSION_SESSION_NAME: s.name }),
        cols: s.cols,
        rows: s.rows,
        niceness: priorityToNiceness(s.priority),
        agent: s.agent,
      });
      const now = Date.now();
      await this.commit(s, {
        status: 'active',
        pid,
        startedAt: now,
        lastActivityAt: now,
        stoppedAt: null,
        exitCode: null,
        errorReason: null,
        promptSent: s.promptSent || Boolean(s.prompt),
      });
      if (typePrompt) setTimeout(() => this.typeInto(s.id, typePrompt), 400);
      // The detector reports changes only; a program that starts quietly would stay `active`.
      setTimeout(() => {
        const stats = this.d.terminals.stats(s.id);
        if (stats && this.sessions.get(s.id)?.status === 'active') this.handleActivity(s.id, stats.activity);
      }, 2000).unref();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      await this.commit(s, { status: 'error', errorReason: `Could not start \`${s.program}\`: ${reason}`, pid: null });
      this.notify('error', s.id, `${s.name} could not start`, reason);
    }
  }

  private typeInto(sessionId: string, text: string): void {
    // Text then a separate Enter: agent TUIs treat one fast write as a paste and would not submit it.
    const r = this.d.terminals.broadcast([sessionId], text, true);
    for (const f of r.failed)
      this.d.log.warn('sessions', `could not type the initial prompt into ${sessionId}: ${f.message}`);
  }

  async stop(sessionId: string): Promise<Session> {
    const s = this.get(sessionId);
    if (s.status === 'queued') return this.commit(s, { status: 'stopped' });
    if (!isRunningStatus(s.status)) return s;
    await this.stopProgram(s, 'stopped', null);
    return this.get(sessionId);
  }

  async restart(sessionId: string): Promise<Session> {
    const s = this.get(sessionId);
    if (isRunningStatus(s.status)) await this.stopProgram(s, 'stopped', null);
    return this.start(sessionId);
  }

  private async stopProgram(s: Session, status: SessionStatus, reason: string | null): Promise<void> {
    this.stopReasons.set(s.id, { status, reason });
    const exit = await this.d.terminals.stop(s.id);
    await this.exitHandling.get(s.id);
    // The exit handler normally records the outcome; if the terminal was already gone, do it here.
    if (!exit && this.stopReasons.has(s.id)) await this.handleExit(s.id, null, null);
  }

  /** A limit was exceeded (metrics service): the program is stopped and the session goes to error. */
  async limitExceeded(sessionId: string, kind: 'memory' | 'runtime', reason: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s || !isRunningStatus(s.status) || this.stopReasons.has(sessionId)) return;
    this.d.log.info('sessions', `${s.name}: ${reason}`);
    this.notify('error', s.id, `${s.name} stopped: ${kind} limit`, reason);
    await this.stopProgram(s, 'error', reason);
  }

  private async handleExit(sessionId: string, exitCode: number | null, signal: number | null): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    const requested = this.stopReasons.get(sessionId);
    this.stopReasons.delete(sessionId);
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
      errorReason = signal
        ? `Program was killed by signal ${signal}`
        : `Program exited with code ${exitCode ?? 'unknown'}`;
    }
    if (s.status !== 'terminated' && canTransition(s.status, status)) {
      await this.commit(s, { status, exitCode, errorReason, pid: null, stoppedAt: Date.now() });
    }
    if (!requested) {
      const title = status === 'completed' ? `${s.name} finished` : `${s.name} exited with an error`;
      this.notify('exited', s.id, title, errorReason ?? 'Program exited with code 0');
    }
    await this.scheduler.pump();
  }

  private handleActivity(sessionId: string, activity: TerminalActivity): void {
    const s = this.sessions.get(sessionId);
    if (!s || !isRunningStatus(s.status) || this.stopReasons.has(sessionId)) return;
    if (s.status === activity) return;
    void this.commit(s, { status: activity, lastActivityAt: Date.now() }).catch((e) =>
      this.d.log.warn('sessions', `activity update failed: ${String(e)}`),
    );
    if (activity === 'waiting')
      this.notify('waiting', s.id, `${s.name} needs your input`, 'The program is asking a question.');
  }

  private notify(kind: 'waiting' | 'exited' | 'error' | 'info', sessionId: string, title: string, body: string): void {
    this.d.hub.emit('notify', { kind, sessionId, title, body, at: Date.now() });
  }

  async saveScrollback(s: Session): Promise<void> {
    const data = this.d.terminals.serialize(s.id);
    if (data !== null) await this.d.store.saveScrollback(s.id, data, s.cols, s.rows).catch(() => undefined);
  }

  // ── update / terminate ─────────────────────────────────────────────────

  async update(input: RequestParsedInput<'sessions.update'>): Promise<Session> {
    const s = this.get(input.sessionId);
    const patch: Partial<Session> = {};
    if (input.name) patch.name = input.name;
    if (input.limits) patch.limits = { ...s.limits, ...input.limits };
    if (input.priority !== undefined) {
      patch.priority = input.priority;
      if (s.pid) this.reniceTree(s.pid, priorityToNiceness(input.priority));
    }
    const next = await this.commit(s, patch);
    await this.scheduler.pump();
    return next;
  }

  private reniceTree(pid: number, niceness: number): void {
    try {
      // Lowering niceness needs privileges; raising it never does. Best effort.
      setPriority(pid, niceness);
    } catch (e) {
      this.d.log.warn('sessions', `could not renice ${pid}: ${String(e)}`);
    }
  }

  async terminate(input: RequestParsedInput<'sessions.terminate'>): Promise<Session> {
    let s = this.get(input.sessionId);
    if (s.status === 'terminated') return s;
    const hasWorktree = Boolean(s.worktreePath) && existsSync(s.worktreePath);
    // Check every guard before touching anything, so a refusal changes nothing.
    if (hasWorktree && !input.force) {
      const st = await this.d.worktrees.status(s.worktreePath);
      if (st.dirty && !input.commitMessage) {
        throw new AppError(
          'DIRTY_WORKTREE',
          `"${s.name}" has ${st.uncommitted} uncommitted and ${st.untracked} untracked file(s) in ${s.worktreePath} — commit them first (give a commit message) or terminate with force to discard them.`,
          { uncommitted: st.uncommitted, untracked: st.untracked },
        );
      }
    }
    if (input.deleteBranch && !input.force && s.branch) {
      const unmerged = await this.d.worktrees.unmergedCommits(s.repoPath, s.branch, s.baseBranch);
      if (unmerged > 0) {
        throw new AppError(
          'UNMERGED_BRANCH',
          `Branch \`${s.branch}\` has ${unmerged} commit(s) not on \`${s.baseBranch}\` — merge it first, keep the branch, or delete it with force.`,
          { unmerged },
        );
      }
    }
    if (isRunningStatus(s.status)) await this.stopProgram(s, 'stopped', null);
    else if (s.status === 'queued' || s.status === 'initializing')
      s = await this.commit(this.get(s.id), { status: 'stopped' });
    s = this.get(s.id);
    if (hasWorktree && input.commitMessage && !input.force) {
      await this.d.worktrees.commitAll(s.worktreePath, input.commitMessage);
    }
    let reason: string | null = null;
    if (s.worktreePath) {
      const res = await this.d.worktrees.remove({
        repoPath: s.repoPath,
        worktreePath: s.worktreePath,
        branch: s.branch,
        baseBranch: s.baseBranch,
        existingBranch: s.existingBranch,
        force: input.force,
        deleteBranch: input.deleteBranch,
      });
      reason = res.keptBranchReason;
    }
    this.d.terminals.release(s.id);
    return this.commit(this.get(s.id), {
      status: 'terminated',
      pid: null,
      stoppedAt: Date.now(),
      errorReason: reason ? `Branch kept: ${reason}` : s.errorReason,
    });
  }

  /** Drops a terminated session's record (cleanup). */
  async forget(sessionId: string): Promise<void> {
    const s = this.get(sessionId);
    if (s.status !== 'terminated') throw new AppError('INVALID_STATE', `Session "${s.name}" is not terminated.`);
    this.sessions.delete(sessionId);
    this.d.terminals.release(sessionId);
    await this.d.store.delete(sessionId);
    this.d.hub.emit('sessions.removed', { sessionId });
  }

  // ── terminals ──────────────────────────────────────────────────────────

  /** Makes sure the terminal service knows this session's screen (restored after a restart). */
  async ensureTerminal(sessionId: string): Promise<void> {
    const s = this.get(sessionId);
    if (this.d.terminals.stats(s.id)) return;
    const saved = await this.d.store.loadScrollback(s.id);
    this.d.terminals.restore(s.id, saved?.data ?? '', saved?.cols ?? s.cols, saved?.rows ?? s.rows);
  }

  async rememberSize(sessionId: string, cols: number, rows: number): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (s && (s.cols !== cols || s.rows !== rows)) {
      const next = { ...s, cols, rows };
      this.sessions.set(s.id, next);
      await this.d.store.save(next);
    }
  }

  // ── start-up and shutdown ──────────────────────────────────────────────

  /** Loads records and reconciles them with the disk: nothing comes back running. */
  async load(): Promise<void> {
    const records = await this.d.store.list();
    const changed: Session[] = [];
    for (const r of records) {
      let s = r;
      const patch: Partial<Session> = {};
      if (s.status === 'initializing') {
        patch.status = 'error';
        patch.errorReason =
          'Creation was interrupted when the host stopped — terminate this session and create it again.';
      } else if (isRunningStatus(s.status) || s.status === 'queued') {
        patch.status = 'stopped';
        patch.stoppedAt = Date.now();
      }
      patch.pid = null;
      if (s.status !== 'terminated') {
        const exists = Boolean(s.worktreePath) && existsSync(s.worktreePath);
        patch.worktreeMissing = exists
          ? null
          : s.worktreePath
            ? `The worktree folder ${s.worktreePath} no longer exists.`
            : 'The worktree was never created.';
      }
      s = { ...s, ...patch };
      if (JSON.stringify(s) !== JSON.stringify(r)) changed.push(s);
      this.sessions.set(s.id, s);
    }
    await this.d.store.saveMany(changed);
  }

  async shutdown(): Promise<void> {
    for (const d of this.disposers) d();
    const running = [...this.sessions.values()].filter((s) => isRunningStatus(s.status));
    await Promise.all(
      running.map(async (s) => {
        await this.saveScrollback(s);
        this.stopReasons.set(s.id, { status: 'stopped', reason: null });
        await this.d.terminals.stop(s.id, { graceMs: 500 }).catch(() => undefined);
        const latest = this.sessions.get(s.id)!;
        await this.d.store.save({ ...latest, status: 'stopped', pid: null, stoppedAt: Date.now() });
      }),
    );
  }

  templates() {
    return Object.values(sessionTypeTemplates);
  }
}
