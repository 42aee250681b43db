import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from './rpc/router';
import { Router } from './rpc/router';
import { EventHub } from './rpc/event-hub';
import type { Logger } from './core/logger';
import type { AgentDetector } from './agents/agent-detection';
import { Database } from './store/database';
import { LimitService } from './limits/limit-service';
import { hostVariableAllowList } from './terminals/pty-env';
import { ensurePrivateFile, secureDataDir } from './store/data-dir-permissions';
import { SessionStore } from './store/session-store';
import { RuntimeStore } from './store/runtime-store';
import { SettingsStore } from './store/settings-store';
import { SettingsService } from './settings/settings-service';
import { TerminalService } from './terminals/terminal-service';
import { LocalTerminals } from './terminals/local-terminals';
import type { TerminalBackend } from './terminals/terminal-backend';
import { GitClient } from './git/git-client';
import { WorktreeService } from './git/worktree-service';
import { KeyedMutex } from './git/repo-lock';
import { PoolStore } from './pool/pool-store';
import { WorktreePool } from './pool/worktree-pool';
import { RemovalService } from './safety/removal-service';
import { ProcessLedger, type LedgerEntry } from './process/process-ledger';
import { SessionService } from './sessions/session-service';
import { AgentService } from './agents/agent-service';
import { PortAllocator } from './ports/port-allocator';
import { ScriptTrust } from './trust/script-trust';
import { UsageService } from './usage/usage-service';
import type { UsageEnv } from './usage/usage-types';
import { SkillRegistry } from './skills/skill-registry';
import { CommandService } from './commands/command-service';
import { BatchService } from './batch/batch-service';
import { MetricsService } from './metrics/metrics-service';
import { MemoryPressure } from './sessions/memory-pressure';
import { readSystemMemory, type SystemMemory } from './system/system-memory';
import { CleanupService } from './cleanup/cleanup-service';
import { openPath } from './system/open-path';
import { ReviewService } from './review/review-service';
import { ReviewLive } from './review/review-live';
import { ReviewStore } from './review/review-store';
import { reviewHandlers } from './review/review-handlers';
import { hasWorktreeFolder } from '../../shared/session-state';
import { RememberedView } from './terminals/viewer-memory';

export interface EngineOptions {
  dataDir: string;
  log: Logger;
  mode: 'electron' | 'browser' | 'cli';
  version: string;
  /** Metrics sampling interval (tests and benchmarks shorten or lengthen it). */
  metricsIntervalMs?: number;
  /** Agent detection (tests point it at a private PATH and HOME). */
  agentDetector?: AgentDetector;
  /** Where the agents keep their usage records (tests: a private HOME); default the real HOME. */
  usageEnv?: UsageEnv;
  usageIntervalMs?: number;
  /** Warm pool timing (tests prepare at once with idleMs 0). */
  pool?: { idleMs?: number; refreshMs?: number };
  /** The git executable (default `git` on PATH); tests point it at a missing one. */
  gitBinary?: string;
  /** Time limit of each git call of the removal check (tests shorten it). */
  removalCheckTimeoutMs?: number;
  /**
   * Where terminals live. UI hosts and the CLI pass the detached terminal host's client
   * (RemoteTerminals); without it they live in this process (unit tests).
   */
  terminals?: (hub: EventHub) => Promise<TerminalBackend>;
  /**
   * The memory-pressure policy: how long a started program is left alone (tests shorten it) and
   * the machine's memory reading (tests may give the system figure; default MemAvailable/freemem).
   */
  memoryPressure?: { startGraceMs?: number; systemMemory?: () => SystemMemory };
}

/** Every service of the engine, built by `createEngine` with its dependencies explicit. */
export interface EngineServices {
  hub: EventHub;
  db: Database;
  settings: SettingsService;
  sessions: SessionService;
  agents: AgentService;
  ports: PortAllocator;
  trust: ScriptTrust;
  usage: UsageService;
  terminals: TerminalBackend;
  worktrees: WorktreeService;
  pool: WorktreePool;
  commands: CommandService;
  batches: BatchService;
  metrics: MetricsService;
  skills: SkillRegistry;
  cleanup: CleanupService;
  review: ReviewService;
  reviewLive: ReviewLive;
  memoryPressure: MemoryPressure;
}

const ok = { ok: true as const };

/**
 * Builds the Electron-free engine in one step: opens the data dir's database, composes every
 * service with explicit dependencies, loads and reconciles the stored sessions, starts metrics.
 */
export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const { dataDir, log } = opts;
  const tightened = secureDataDir(dataDir);
  if (tightened > 0)
    log.warn(
      'engine',
      `made ${tightened} item(s) of the data dir ${dataDir} owner-only (they were readable by others)`,
    );
  // SQLite gives its -wal and -shm files the database file's mode: create it owner-only first.
  ensurePrivateFile(join(dataDir, 'multisession.db'));
  const hub = new EventHub();
  const db = await Database.open(join(dataDir, 'multisession.db'));
  try {
    const settings = await SettingsService.open(new SettingsStore(db), hub, dataDir);
    const terminals = opts.terminals
      ? await opts.terminals(hub)
      : new LocalTerminals(
          new TerminalService({
            hub,
            log,
            colours: new RememberedView(dataDir, log),
          }),
        );
    // Before anything new runs: what a crashed host had started (programs, setup scripts,
    // commands) is found by pid and start time, stopped, and told to the records below.
    const ledger = new ProcessLedger({ db, log });
    // …except programs still running in a terminal host (this version's or another's): those are
    // re-adopted, not leftovers. Their entries stay and are crossed out when they end.
    const livePrograms = new Map<string, number>();
    for (const t of await terminals.list()) if (t.running && t.pid !== null) livePrograms.set(t.sessionId, t.pid);
    for (const h of terminals.incompatibleHosts())
      for (const t of h.sessions) if (t.running && t.pid !== null) livePrograms.set(t.sessionId, t.pid);
    const claimed = new Map<string, LedgerEntry>();
    const leftovers = await ledger.recover((e) => {
      if (e.kind !== 'program' || !e.sessionId || livePrograms.get(e.sessionId) !== e.pid) return false;
      claimed.set(e.sessionId, e);
      return true;
    });
    const limits = new LimitService({ dataDir, log });
    // One git client (one cap on git processes) and one per-repository lock for all of the engine:
    // creation, the warm pool, review and the removal check share them.
    const git = new GitClient({ log, binary: opts.gitBinary });
    const repoMutex = new KeyedMutex();
    const gitContext = { git, mutex: repoMutex, worktreeRoot: () => settings.worktreeRoot(), log };
    const pool = new WorktreePool({
      ctx: gitContext,
      store: new PoolStore(db),
      settings: () => settings.get(),
      log,
      ...opts.pool,
    });
    const worktrees = new WorktreeService({ ...gitContext, pool });
    const removal = new RemovalService({
      git,
      mutex: repoMutex,
      log,
      db,
      keepIgnoredPatterns: async () => (await settings.get()).keepIgnoredPatterns,
      checkTimeoutMs: opts.removalCheckTimeoutMs,
    });
    const skills = new SkillRegistry({ getSettingsSkills: async () => (await settings.get()).skills });
    // Commands count completed tasks of sessions, and sessions exist before commands: bound late.
    let commands: CommandService | null = null;
    // The agents room reads session records (approval policy) and sessions consume its decisions.
    let sessionsRef: SessionService | null = null;
    const agents = new AgentService({
      dataDir,
      settings,
      terminals: {
        onActivity: (listener) => terminals.onActivity(listener),
        screenLines: (id) => terminals.screenLines(id),
        // Auto-yes keys: a program that just exited has nowhere to take them.
        input: (id, data) =>
          void terminals.input(id, data).catch((e) => log.warn('agents', `could not type into ${id}: ${String(e)}`)),
      },
      log,
      detector: opts.agentDetector,
      findSession: (id) => sessionsRef?.list().find((x) => x.id === id),
      notify: (kind, sessionId, title, body) => hub.emit('notify', { kind, sessionId, title, body, at: Date.now() }),
    });
    const ports = new PortAllocator(db);
    const trust = new ScriptTrust(db);
    const sessions = new SessionService({
      trust,
      store: new SessionStore(db),
      runtime: new RuntimeStore(db),
      settings,
      worktrees,
      removal,
      terminals,
      hub,
      log,
      agents,
      ports,
      limits,
      onTaskCompleted: (id) => void commands?.addTaskCompleted(id),
      quiesce: (id) => (commands ? commands.quiesce(id) : Promise.resolve(() => undefined)),
      ledger,
      dataDir,
    });
    sessionsRef = sessions;
    agents.onAutoAnswer((id) => void sessions.autoAnswered(id));
    const usage = new UsageService({
      db,
      log,
      sessions: () => sessions.list(),
      setUsage: (id, summary) => sessions.setUsage(id, summary),
      notify: (sessionId, title, body) => hub.emit('notify', { kind: 'limit', sessionId, title, body, at: Date.now() }),
      env: opts.usageEnv,
      intervalMs: opts.usageIntervalMs,
    });
    // A finished turn or a stopped program has just written its usage: read it now, not at the next tick.
    agents.onDecision((id, decision) => {
      if (decision.finished) void usage.scan([id]);
    });
    commands = new CommandService({ db, hub, log, sessions, skills, limits, ledger });
    const batches = new BatchService({ db, hub, log, sessions, commands, getSettings: () => settings.get() });
    const metrics = new MetricsService({
      db,
      hub,
      log,
      sessions,
      commands,
      intervalMs: opts.metricsIntervalMs,
      outputBytes: (id) => terminals.stats(id)?.outputBytes ?? 0,
      limits,
      onLimitExceeded: (id, kind, reason) => void sessions.limitExceeded(id, kind, reason),
      countWorktrees: () => sessions.list().filter((s) => hasWorktreeFolder(s.status) && !s.worktreeMissing).length,
      countQuarantined: () => sessions.quarantined().length,
      onSampled: () =>
        void memoryPressure.check().catch((e) => log.error('memory', 'the memory-pressure check failed', e)),
    });
    const memoryPressure = new MemoryPressure({
      settings: async () => (await settings.get()).memoryPressure,
      sessions: () => sessions.list(),
      hibernateIfIdle: (id, reason) => sessions.hibernateIfIdle(id, reason),
      sessionMemory: (o) => metrics.memoryBySession(o),
      systemMemory: opts.memoryPressure?.systemMemory ?? readSystemMemory,
      hasWork: (id) => commands.runningIn(id) > 0 || batches.hasWorkFor(id),
      notify: (sessionId, title, body) => hub.emit('notify', { kind: 'info', sessionId, title, body, at: Date.now() }),
      log,
      startGraceMs: opts.memoryPressure?.startGraceMs,
    });
    const cleanup = new CleanupService({ sessions, worktrees, removal, settings, pool, log });
    const review = new ReviewService({
      git,
      mutex: repoMutex,
      hub,
      log,
      store: new ReviewStore(db),
      sessions,
      settings: () => settings.get(),
      history: (id, limit) => commands.history(id, limit),
      metrics: (id) => metrics.sessionMetrics(id),
      terminate: (i) => sessions.terminate(i),
    });
    const reviewLive = new ReviewLive(review, { watch: opts.mode !== 'cli' });
    await sessions.load(leftovers, claimed);
    await commands.recordInterrupted(leftovers);
    await batches.recoverInterrupted(leftovers);
    await pool.start();
    reviewLive.start();
    // A raised running cap starts queued sessions at once; the terminals follow the size policy.
    terminals.setSizePolicy((await settings.get()).terminalSizePolicy);
    hub.on('settings.changed', ({ settings: next }) => {
      terminals.setSizePolicy(next.terminalSizePolicy);
      void sessions.pump();
      // The warm pool follows its settings at once (a smaller size gives worktrees back).
      pool.settingsChanged();
    });
    metrics.start();
    usage.start();
    return new Engine(opts, {
      hub,
      db,
      settings,
      sessions,
      agents,
      ports,
      trust,
      usage,
      terminals,
      worktrees,
      pool,
      commands,
      batches,
      metrics,
      skills,
      cleanup,
      review,
      reviewLive,
      memoryPressure,
    });
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

/** The composed engine: its services and the one handler per contract request. */
export class Engine implements EngineServices {
  readonly startedAt = Date.now();
  readonly router: Router;
  readonly hub: EventHub;
  readonly db: Database;
  readonly settings: SettingsService;
  readonly sessions: SessionService;
  readonly agents: AgentService;
  readonly ports: PortAllocator;
  readonly trust: ScriptTrust;
  readonly usage: UsageService;
  readonly terminals: TerminalBackend;
  readonly worktrees: WorktreeService;
  readonly pool: WorktreePool;
  readonly commands: CommandService;
  readonly batches: BatchService;
  readonly metrics: MetricsService;
  readonly skills: SkillRegistry;
  readonly cleanup: CleanupService;
  readonly review: ReviewService;
  readonly reviewLive: ReviewLive;
  readonly memoryPressure: MemoryPressure;

  constructor(
    readonly opts: EngineOptions,
    services: EngineServices,
  ) {
    this.hub = services.hub;
    this.db = services.db;
    this.settings = services.settings;
    this.sessions = services.sessions;
    this.agents = services.agents;
    this.ports = services.ports;
    this.trust = services.trust;
    this.usage = services.usage;
    this.terminals = services.terminals;
    this.worktrees = services.worktrees;
    this.pool = services.pool;
    this.commands = services.commands;
    this.batches = services.batches;
    this.metrics = services.metrics;
    this.skills = services.skills;
    this.cleanup = services.cleanup;
    this.review = services.review;
    this.reviewLive = services.reviewLive;
    this.memoryPressure = services.memoryPressure;
    this.router = new Router(this.handlers(), opts.log);
  }

  private handlers(): Handlers {
    const { sessions: s, terminals: t } = this;
    return {
      'app.info': () => this.info(),
      'settings.get': () => this.settings.get(),
      'settings.update': (patch) => this.settings.update(patch),
      'agents.list': (i) => this.agents.list(i.refresh),
      'agents.defaults': () => this.agents.defaults(),
      'sessionTypes.list': () => this.agents.typeInfos(),
      'skills.list': (i) => this.skills.list(i.repoPath),
      'repos.inspect': (i) => this.worktrees.inspect(i.path),
      'repos.scripts': async (i) => this.trust.scripts((await this.worktrees.inspect(i.path, { changes: false })).root),
      'repos.trustScripts': async (i) => {
        const root = (await this.worktrees.inspect(i.repoPath, { changes: false })).root;
        await this.trust.trust(root, i.scripts);
        return this.trust.scripts(root);
      },
      'repos.trustedScripts': () => this.trust.list(),
      'repos.untrustScripts': async (i) => {
        await this.trust.revoke(i.repoRoot, i.kind, i.sha256);
        return this.trust.list();
      },
      'repos.complete': (i) => this.worktrees.completePath(i.prefix),
      'sessions.list': (f) => s.list(f),
      'sessions.get': (i) => s.get(i.sessionId),
      'sessions.resolve': (i) => s.resolve(i.ref, i.destructive),
      'sessions.create': (i) => s.create(i),
      'sessions.plan': (i) => s.plan(i),
      'sessions.start': (i) => s.start(i.sessionId),
      'sessions.stop': (i) => s.stop(i.sessionId),
      'sessions.restart': (i) => s.restart(i.sessionId),
      'sessions.hibernate': (i) => s.hibernate(i.sessionId),
      'sessions.wake': (i) => s.wake(i.sessionId),
      'sessions.pause': (i) => s.pause(i),
      'sessions.resume': (i) => s.resume(i.sessionId),
      'sessions.update': (i) => s.update(i),
      'sessions.terminate': (i) => s.terminate(i),
      'sessions.setApproval': (i) => s.setApproval(i),
      'sessions.removalCheck': (i) => s.removalCheck(i.sessionId, i.deleteBranch),
      'sessions.commitPreview': (i) => s.commitPreview(i.sessionId),
      'sessions.recover': (i) => s.recover(i.sessionId),
      'sessions.quarantined': () => s.quarantined(),
      'sessions.diff': (i) => s.diff(i.sessionId),
      'sessions.metrics': (i) => this.metrics.sessionMetrics(i.sessionId),
      'commands.execute': (i) => this.commands.execute(i),
      'commands.history': (i) => this.commands.history(i.sessionId, i.limit),
      'batch.run': (i) => this.batches.run(i),
      'batch.runPreset': (i) => this.batches.runPreset(i),
      'batch.get': (i) => this.batches.get(i.batchId),
      'batch.list': () => this.batches.list(),
      'batch.cancel': (i) => this.batches.cancel(i.batchId),
      'batch.rerunFailed': (i) => this.batches.rerunFailed(i.batchId),
      'cleanup.preview': () => this.cleanup.preview(),
      'cleanup.run': (i) => this.cleanup.run(i.accept),
      'metrics.system': async () => ({
        ...(await this.metrics.systemStatus()),
        usage: await this.usage.totals(),
        isolation: { ...this.sessions.isolationFacts(), envAllowList: hostVariableAllowList() },
      }),
      'usage.session': (i) => (s.get(i.sessionId), this.usage.detail(i.sessionId)),
      'usage.series': (i) => this.usage.series(i.from, i.to ?? Date.now()),
      'usage.refresh': async (i) => ({ changed: await this.usage.scan(i.sessionIds) }),
      'metrics.sessions': () => this.metrics.allSessionMetrics(),
      'metrics.series': (i) => this.metrics.series(i),
      'terminals.attach': (i, ctx) => s.attachTerminal(i.sessionId, ctx.peer, i.cols, i.rows, i.colours),
      'terminals.detach': (i, ctx) => (t.detach(i.sessionId, ctx.peer), ok),
      'terminals.view': (i) => (s.noteView(i), ok),
      'terminals.input': async (i, ctx) => (s.get(i.sessionId), await t.input(i.sessionId, i.data, ctx.peer), ok),
      'terminals.resize': (i, ctx) => s.resizeTerminal(i.sessionId, i.cols, i.rows, ctx.peer),
      'terminals.ack': (i, ctx) => (t.ack(i.sessionId, ctx.peer, i.chars), ok),
      'terminals.broadcast': (i) => (
        i.sessionIds.forEach((id) => s.get(id)),
        t.broadcast(i.sessionIds, i.text, i.enter)
      ),
      'pool.status': () => this.pool.status(),
      'pool.drain': (i) => this.pool.drain(i.repoPath),
      'system.openPath': (i) => this.openWorktree(i.path, i.with),
      ...reviewHandlers(this.review, this.reviewLive),
      'memory.status': () => this.memoryPressure.status(),
      'sessions.olderHosts': () => s.olderHosts(),
      'sessions.restartHere': (i) => s.restartHere(i.sessionIds),
    };
  }

  private info() {
    return {
      name: 'Multisession',
      version: this.opts.version,
      mode: this.opts.mode,
      platform: platform(),
      dataDir: this.opts.dataDir,
      pid: process.pid,
      startedAt: this.startedAt,
      homeDir: homedir(),
    };
  }

  private async openWorktree(path: string, withApp: 'fileManager' | 'editor') {
    const owned = this.sessions
      .list()
      .map((x) => x.worktreePath)
      .filter(Boolean);
    await openPath(path, withApp, owned);
    return ok;
  }

  /**
   * Closes the engine. `stopPrograms` (default true) stops every session's program; without it
   * (the app quits with "keep sessions running", a CLI command ends) they keep running in the
   * terminal host and the next engine re-adopts them.
   */
  async close(opts: { stopPrograms?: boolean } = {}): Promise<void> {
    const stopPrograms = opts.stopPrograms ?? true;
    this.reviewLive.dispose();
    await this.batches.dispose();
    await this.commands.dispose();
    this.metrics.stop();
    this.usage.stop();
    await this.pool.dispose();
    await this.sessions.shutdown({ stopPrograms });
    this.agents.dispose();
    await this.terminals.dispose({ stopPrograms });
    await this.db.close();
  }
}

/** Where data lives: MULTISESSION_HOME, else the platform's app-data folder. */
export function defaultDataDir(): string {
  if (process.env.MULTISESSION_HOME) return process.env.MULTISESSION_HOME;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Multisession');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Multisession');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'multisession');
}
