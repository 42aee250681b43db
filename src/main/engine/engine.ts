import { mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from './rpc/router';
import { Router } from './rpc/router';
import { EventHub } from './rpc/event-hub';
import type { Logger } from './core/logger';
import { Database } from './store/database';
import { SessionStore } from './store/session-store';
import { SettingsStore } from './store/settings-store';
import { TerminalService } from './terminals/terminal-service';
import { GitClient } from './git/git-client';
import { WorktreeService } from './git/worktree-service';
import { SessionService } from './sessions/session-service';
import { listAgents } from './sessions/agents';
import { SkillRegistry } from './skills/skill-registry';
import { CommandService } from './commands/command-service';
import { BatchService } from './batch/batch-service';
import { MetricsService } from './metrics/metrics-service';
import { CleanupService } from './cleanup/cleanup-service';
import { openPath } from './system/open-path';
import { AppError } from '../../shared/errors';

export interface EngineOptions {
  dataDir: string;
  log: Logger;
  mode: 'electron' | 'browser' | 'cli';
  version: string;
  /** Metrics sampling interval (tests and benchmarks shorten or lengthen it). */
  metricsIntervalMs?: number;
}

/**
 * The composition root of the Electron-free engine: builds every service with explicit
 * dependencies, loads and reconciles state, and exposes one handler per contract request.
 */
export class Engine {
  readonly hub = new EventHub();
  readonly startedAt = Date.now();
  router!: Router;
  db!: Database;
  sessions!: SessionService;
  terminals!: TerminalService;
  worktrees!: WorktreeService;
  commands!: CommandService;
  batches!: BatchService;
  metrics!: MetricsService;
  skills!: SkillRegistry;
  cleanup!: CleanupService;
  settings!: SettingsStore;

  private constructor(readonly opts: EngineOptions) {}

  static async open(opts: EngineOptions): Promise<Engine> {
    const e = new Engine(opts);
    await e.init();
    return e;
  }

  private async init(): Promise<void> {
    const { dataDir, log } = this.opts;
    mkdirSync(dataDir, { recursive: true });
    this.db = await Database.open(join(dataDir, 'multisession.db'));
    this.settings = new SettingsStore(this.db);
    const sessionStore = new SessionStore(this.db);
    const defaultRoot = join(dataDir, 'worktrees');
    let worktreeRoot = (await this.settings.get()).worktreeRoot || defaultRoot;
    this.hub.on('settings.changed', ({ settings }) => {
      worktreeRoot = settings.worktreeRoot || defaultRoot;
    });
    this.terminals = new TerminalService({ hub: this.hub, log });
    this.worktrees = new WorktreeService({ git: new GitClient(), worktreeRoot: () => worktreeRoot, log });
    this.sessions = new SessionService({
      store: sessionStore,
      settings: this.settings,
      worktrees: this.worktrees,
      terminals: this.terminals,
      hub: this.hub,
      log,
      onTaskCompleted: (id) => void this.commands.addTaskCompleted(id),
    });
    this.skills = new SkillRegistry({ getSettingsSkills: async () => (await this.settings.get()).skills });
    this.commands = new CommandService({
      db: this.db,
      hub: this.hub,
      log,
      sessions: this.sessions,
      skills: this.skills,
    });
    this.batches = new BatchService({
      db: this.db,
      hub: this.hub,
      log,
      sessions: this.sessions,
      commands: this.commands,
      getSettings: () => this.settings.get(),
    });
    this.metrics = new MetricsService({
      db: this.db,
      hub: this.hub,
      log,
      sessions: this.sessions,
      commands: this.commands,
      intervalMs: this.opts.metricsIntervalMs,
      outputBytes: (id) => this.terminals.stats(id)?.outputBytes ?? 0,
      onLimitExceeded: (id, kind, reason) => void this.sessions.limitExceeded(id, kind, reason),
      countWorktrees: () => this.sessions.list().filter((s) => s.status !== 'terminated' && !s.worktreeMissing).length,
    });
    this.cleanup = new CleanupService({ sessions: this.sessions, worktrees: this.worktrees, log });
    await this.sessions.load();
    this.router = new Router(this.handlers(), log);
    this.metrics.start();
  }

  private handlers(): Handlers {
    const s = this.sessions;
    return {
      'app.info': () => ({
        name: 'Multisession',
        version: this.opts.version,
        mode: this.opts.mode,
        platform: platform(),
        dataDir: this.opts.dataDir,
        pid: process.pid,
        startedAt: this.startedAt,
        homeDir: homedir(),
      }),
      'settings.get': () => this.settings.get(),
      'settings.update': async (patch) => {
        const next = await this.settings.update(patch);
        this.hub.emit('settings.changed', { settings: next });
        return next;
      },
      'agents.list': () => listAgents(),
      'sessionTypes.list': () => s.templates(),
      'skills.list': (i) => this.skills.list(i.repoPath),
      'repos.inspect': (i) => this.worktrees.inspect(i.path),
      'repos.complete': (i) => this.worktrees.completePath(i.prefix),
      'sessions.list': (f) => s.list(f),
      'sessions.get': (i) => s.get(i.sessionId),
      'sessions.create': (i) => s.create(i),
      'sessions.start': (i) => s.start(i.sessionId),
      'sessions.stop': (i) => s.stop(i.sessionId),
      'sessions.restart': (i) => s.restart(i.sessionId),
      'sessions.update': (i) => s.update(i),
      'sessions.terminate': (i) => s.terminate(i),
      'sessions.diff': async (i) => {
        const sess = s.get(i.sessionId);
        if (sess.status === 'terminated' || sess.worktreeMissing) {
          throw new AppError('INVALID_STATE', `"${sess.name}" has no worktree to diff.`);
        }
        return { sessionId: sess.id, ...(await this.worktrees.diff(sess.worktreePath, sess.baseBranch)) };
      },
      'sessions.metrics': (i) => (s.get(i.sessionId), this.metrics.sessionMetrics(i.sessionId)),
      'commands.execute': (i) => this.commands.execute(i),
      'commands.history': (i) => (s.get(i.sessionId), this.commands.history(i.sessionId, i.limit)),
      'batch.run': (i) => this.batches.run(i),
      'batch.runPreset': (i) => this.batches.runPreset(i),
      'batch.get': (i) => this.batches.get(i.batchId),
      'batch.list': () => this.batches.list(),
      'batch.cancel': (i) => this.batches.cancel(i.batchId),
      'batch.rerunFailed': (i) => this.batches.rerunFailed(i.batchId),
      'cleanup.preview': () => this.cleanup.preview(),
      'cleanup.run': (i) => this.cleanup.run(i.force),
      'metrics.system': () => this.metrics.systemStatus(),
      'metrics.sessions': () => this.metrics.allSessionMetrics(),
      'metrics.series': (i) => this.metrics.series(i),
      'terminals.attach': async (i, ctx) => {
        await s.ensureTerminal(i.sessionId);
        const r = await this.terminals.attach(i.sessionId, ctx.peer, i.cols, i.rows);
        void s.rememberSize(i.sessionId, r.cols, r.rows);
        return r;
      },
      'terminals.detach': (i, ctx) => {
        this.terminals.detach(i.sessionId, ctx.peer);
        return { ok: true as const };
      },
      'terminals.input': (i) => {
        s.get(i.sessionId);
        this.terminals.input(i.sessionId, i.data);
        return { ok: true as const };
      },
      'terminals.resize': (i) => {
        s.get(i.sessionId);
        const r = this.terminals.resize(i.sessionId, i.cols, i.rows);
        void s.rememberSize(i.sessionId, r.cols, r.rows);
        return r;
      },
      'terminals.ack': (i, ctx) => {
        this.terminals.ack(i.sessionId, ctx.peer, i.chars);
        return { ok: true as const };
      },
      'terminals.broadcast': (i) => {
        for (const id of i.sessionIds) s.get(id);
        return this.terminals.broadcast(i.sessionIds, i.text, i.enter);
      },
      'system.openPath': async (i) => {
        await openPath(
          i.path,
          i.with,
          this.sessions
            .list()
            .map((x) => x.worktreePath)
            .filter(Boolean),
        );
        return { ok: true as const };
      },
    };
  }

  async close(): Promise<void> {
    await this.batches.dispose();
    await this.commands.dispose();
    this.metrics.stop();
    await this.sessions.shutdown();
    await this.terminals.dispose();
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
