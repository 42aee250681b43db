import { hasWorktreeFolder } from '../../../shared/session-state';
import { existsSync } from 'node:fs';
import type { Session } from '../../../shared/domain';
import type { RepoForecast } from '../../../shared/review';
import { ConflictForecaster } from './forecast';
import type { ReviewService } from './review-service';
import { WorktreeWatcher } from './worktree-watcher';

export interface ReviewLiveOptions {
  /** Watch live sessions' worktrees (the app and browser mode; not a one-shot CLI engine). */
  watch: boolean;
  /** Quiet time after a change before the repository's forecast is recomputed. */
  forecastDebounceMs?: number;
  /** Least time between two forecasts of one repository while changes keep coming. */
  forecastMinIntervalMs?: number;
}

const isLive = (s: Session) => hasWorktreeFolder(s.status) && !s.worktreeMissing && Boolean(s.worktreePath);

/**
 * Keeps review current without polling: a watcher per live session turns file-system and git
 * activity into `review.changed`, and each repository's conflict forecast is recomputed (debounced,
 * throttled, cached by commit ids) and pushed as `review.forecast`.
 */
export class ReviewLive {
  readonly forecaster: ConflictForecaster;
  private readonly watchers = new Map<string, { key: string; watcher: WorktreeWatcher }>();
  private readonly latest = new Map<string, RepoForecast>();
  private readonly stale = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  private readonly running = new Map<string, Promise<RepoForecast>>();
  private readonly disposers: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly review: ReviewService,
    private readonly opts: ReviewLiveOptions,
  ) {
    this.forecaster = new ConflictForecaster(review.d.git, review.d.log);
  }

  start(): void {
    const { hub } = this.review.d;
    this.disposers.push(
      hub.on('sessions.changed', ({ session }) => this.sessionChanged(session)),
      hub.on('sessions.removed', ({ sessionId }) => this.sessionGone(sessionId)),
      this.review.onChanged((s) => this.touch(s)),
    );
    for (const s of this.review.d.sessions.list()) this.sessionChanged(s);
  }

  private sessionChanged(s: Session): void {
    if (this.disposed) return;
    const live = isLive(s);
    const key = `${s.worktreePath}|${s.branch}|${s.baseBranch}`;
    const current = this.watchers.get(s.id);
    if (!live) {
      if (current || this.latestHas(s)) this.sessionGone(s.id, s.repoPath);
      return;
    }
    if (current?.key === key) return;
    current?.watcher.close();
    this.watchers.delete(s.id);
    this.touch(s);
    if (!this.opts.watch || !existsSync(s.worktreePath)) return;
    const watcher = new WorktreeWatcher({
      git: this.review.d.git,
      log: this.review.d.log,
      worktreePath: s.worktreePath,
      branches: [s.branch, s.baseBranch],
      onChange: (reason) => {
        this.review.d.hub.emit('review.changed', { sessionId: s.id, reason });
        this.touch(s);
      },
    });
    this.watchers.set(s.id, { key, watcher });
    watcher.start().catch((e) => this.review.d.log.warn('review', `cannot watch ${s.worktreePath}: ${String(e)}`));
  }

  private latestHas(s: Session): boolean {
    return this.latest.get(s.repoPath)?.sessionIds.includes(s.id) ?? false;
  }

  private sessionGone(sessionId: string, repoPath?: string): void {
    this.watchers.get(sessionId)?.watcher.close();
    this.watchers.delete(sessionId);
    this.forecaster.forget(sessionId);
    for (const [repo, f] of this.latest) {
      if (f.sessionIds.includes(sessionId) || repo === repoPath) this.schedule(repo);
    }
  }

  /** A session's state changed: its snapshot is stale and its repository's forecast is due. */
  private touch(s: Session): void {
    this.forecaster.invalidate(s.id);
    this.schedule(s.repoPath);
  }

  private schedule(repoPath: string): void {
    if (this.disposed) return;
    this.stale.add(repoPath);
    const existing = this.timers.get(repoPath);
    if (existing) clearTimeout(existing);
    const debounce = this.opts.forecastDebounceMs ?? 1000;
    const minGap = this.opts.forecastMinIntervalMs ?? 3000;
    const wait = Math.max(debounce, (this.lastRun.get(repoPath) ?? 0) + minGap - Date.now());
    const t = setTimeout(() => {
      this.timers.delete(repoPath);
      // Nobody is looking: compute on the next request instead.
      if (this.review.d.hub.peerCount() === 0) return;
      void this.compute(repoPath).catch((e) => this.review.d.log.warn('review', `forecast ${repoPath}: ${String(e)}`));
    }, wait);
    t.unref();
    this.timers.set(repoPath, t);
  }

  private compute(repoPath: string): Promise<RepoForecast> {
    const inFlight = this.running.get(repoPath);
    if (inFlight) return inFlight.then(() => this.compute(repoPath));
    this.stale.delete(repoPath);
    this.lastRun.set(repoPath, Date.now());
    const sessions = this.review.d.sessions.list().filter((s) => s.repoPath === repoPath && isLive(s));
    const job = this.forecaster.forecast(repoPath, sessions).then((f) => {
      this.latest.set(repoPath, f);
      this.review.d.hub.emit('review.forecast', { forecast: f });
      return f;
    });
    this.running.set(repoPath, job);
    return job.finally(() => this.running.delete(repoPath));
  }

  /** Current forecasts (all repositories with live sessions, or one): cached unless something changed. */
  async forecast(repoPath?: string): Promise<RepoForecast[]> {
    const repos = new Set(
      this.review.d.sessions
        .list()
        .filter(isLive)
        .map((s) => s.repoPath),
    );
    const wanted = repoPath
      ? [...repos].filter((r) => r === repoPath || r === repoPath.replace(/\/+$/, ''))
      : [...repos];
    const out: RepoForecast[] = [];
    if (!this.opts.watch) {
      // Without watchers nothing tells us a worktree changed: look again every time.
      for (const s of this.review.d.sessions.list()) if (wanted.includes(s.repoPath)) this.forecaster.invalidate(s.id);
      for (const repo of wanted) this.stale.add(repo);
    }
    for (const repo of wanted) {
      const cached = this.latest.get(repo);
      out.push(cached && !this.stale.has(repo) ? cached : await this.compute(repo));
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposers) d();
    for (const t of this.timers.values()) clearTimeout(t);
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
