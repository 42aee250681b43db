import { existsSync } from 'node:fs';
import type { RequestParsedInput } from '../../../shared/contract';
import type { CommandRecord, Session, SessionMetrics, Settings } from '../../../shared/domain';
import type {
  BaseStatus,
  CommitInfo,
  CommitList,
  DiffResult,
  MergeResult,
  MergeStrategy,
  PushResult,
  ReviewState,
  UpdateResult,
  UpdateStrategy,
  WorkingChanges,
} from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import type { GitClient } from '../git/git-client';
import { repoLockKey } from '../git/git-context';
import type { KeyedMutex } from '../git/repo-lock';
import { resolveRepo } from '../git/repo-inspection';
import type { EventHub } from '../rpc/event-hub';
import { abortUpdate, continueUpdate, readBaseStatus, resolveConflict, updateFromBase } from './base-sync';
import { listCommits } from './commits';
import { computeDiff } from './diffs';
import { integrate } from './integrate';
import { pushBranch } from './push';
import type { ReviewStore } from './review-store';
import { commitChanges, discardPaths, readChanges, stagePaths, unstagePaths } from './working-changes';

/** What review needs from the rest of the engine, as narrow functions (no service classes). */
export interface ReviewDeps {
  git: GitClient;
  /** The engine's per-repository lock (shared with worktree creation and removal). */
  mutex: KeyedMutex;
  hub: EventHub;
  log: Logger;
  store: ReviewStore;
  sessions: { get(id: string): Session; list(): Session[] };
  settings: () => Promise<Settings>;
  history: (sessionId: string, limit: number) => Promise<CommandRecord[]>;
  metrics: (sessionId: string) => Promise<SessionMetrics>;
  /** Terminates through the sessions' own fail-closed removal check; never bypassed here. */
  terminate: (input: { sessionId: string; deleteBranch: boolean }) => Promise<Session>;
}

/**
 * Review, commit, update-from-base, merge and push for one session at a time. Reads run freely;
 * everything that changes a repository runs under that repository's lock, and every change is
 * announced (`review.changed`) so views and the conflict forecast refresh without polling.
 */
export class ReviewService {
  /** Listeners told after any operation changed a session's repository state. */
  private readonly changeListeners = new Set<(s: Session) => void>();

  constructor(readonly d: ReviewDeps) {}

  onChanged(listener: (s: Session) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** A session whose worktree is there to review. */
  live(sessionId: string): Session {
    const s = this.d.sessions.get(sessionId);
    if (s.status === 'terminated') {
      throw new AppError(
        'INVALID_STATE',
        `"${s.name}" is terminated — its worktree is gone; its branch ${s.branch} is kept.`,
      );
    }
    if (s.worktreeMissing || !s.worktreePath || !existsSync(s.worktreePath)) {
      throw new AppError(
        'INVALID_STATE',
        `The worktree of "${s.name}" is missing (${s.worktreePath || 'never created'}) — nothing to review there.`,
      );
    }
    if (s.status === 'initializing') {
      throw new AppError('INVALID_STATE', `"${s.name}" is still being created — try again in a moment.`);
    }
    return s;
  }

  private async repoStrategy(s: Session): Promise<{ update: UpdateStrategy; merge: MergeStrategy }> {
    const rs = (await this.d.settings()).repoSettings[s.repoPath] ?? {};
    return { update: rs.updateStrategy ?? 'rebase', merge: rs.mergeStrategy ?? 'merge' };
  }

  /** Runs a repository-changing step under the repository's lock, then announces the change. */
  async locked<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    const repo = await resolveRepo(this.d.git, s.repoPath);
    try {
      return await this.d.mutex.run(repoLockKey(repo), fn);
    } finally {
      this.changed(s);
    }
  }

  changed(s: Session): void {
    this.d.hub.emit('review.changed', { sessionId: s.id, reason: 'operation' });
    for (const l of this.changeListeners) l(s);
  }

  async commits(i: RequestParsedInput<'review.commits'>): Promise<CommitList> {
    const s = this.live(i.sessionId);
    return { sessionId: s.id, ...(await listCommits(this.d.git, s, i.limit)) };
  }

  changes(sessionId: string): Promise<WorkingChanges> {
    return readChanges(this.d.git, this.live(sessionId));
  }

  async diff(i: RequestParsedInput<'review.diff'>): Promise<DiffResult> {
    const s = this.live(i.sessionId);
    return { sessionId: s.id, ...(await computeDiff(this.d.git, s, i)) };
  }

  async stage(sessionId: string, paths: string[]): Promise<WorkingChanges> {
    const s = this.live(sessionId);
    await this.locked(s, () => stagePaths(this.d.git, s, paths));
    return readChanges(this.d.git, s);
  }

  async unstage(sessionId: string, paths: string[]): Promise<WorkingChanges> {
    const s = this.live(sessionId);
    await this.locked(s, () => unstagePaths(this.d.git, s, paths));
    return readChanges(this.d.git, s);
  }

  async discard(sessionId: string, paths: string[]) {
    const s = this.live(sessionId);
    const r = await this.locked(s, () => discardPaths(this.d.git, s, paths));
    return { ...r, changes: await readChanges(this.d.git, s) };
  }

  commit(i: RequestParsedInput<'review.commit'>): Promise<CommitInfo> {
    const s = this.live(i.sessionId);
    return this.locked(s, () => commitChanges(this.d.git, s, i.message, i.all));
  }

  async baseStatus(sessionId: string, fetch: boolean): Promise<BaseStatus> {
    const s = this.live(sessionId);
    const { update } = await this.repoStrategy(s);
    return { sessionId: s.id, ...(await readBaseStatus(this.d.git, s, update, fetch)) };
  }

  private async updateStep(
    sessionId: string,
    strategyOverride: UpdateStrategy | undefined,
    step: (
      s: Session,
      strategy: UpdateStrategy,
    ) => Promise<{ outcome: UpdateResult['outcome']; status: Omit<BaseStatus, 'sessionId'> }>,
  ): Promise<UpdateResult> {
    const s = this.live(sessionId);
    const strategy = strategyOverride ?? (await this.repoStrategy(s)).update;
    const r = await this.locked(s, () => step(s, strategy));
    return { outcome: r.outcome, status: { sessionId: s.id, ...r.status } };
  }

  update(i: RequestParsedInput<'review.update'>): Promise<UpdateResult> {
    return this.updateStep(i.sessionId, i.strategy, (s, strategy) => updateFromBase(this.d.git, s, strategy, i.fetch));
  }

  resolve(i: RequestParsedInput<'review.resolve'>): Promise<UpdateResult> {
    return this.updateStep(i.sessionId, undefined, (s, strategy) =>
      resolveConflict(this.d.git, s, i.path, i.take, strategy),
    );
  }

  continueUpdate(sessionId: string): Promise<UpdateResult> {
    return this.updateStep(sessionId, undefined, (s, strategy) => continueUpdate(this.d.git, s, strategy));
  }

  abortUpdate(sessionId: string): Promise<UpdateResult> {
    return this.updateStep(sessionId, undefined, (s, strategy) => abortUpdate(this.d.git, s, strategy));
  }

  /** Merges the session into its base (see integrate.ts) and remembers it. */
  async merge(i: RequestParsedInput<'review.merge'>): Promise<MergeResult> {
    const s = this.live(i.sessionId);
    const strategy = i.strategy ?? (await this.repoStrategy(s)).merge;
    const result = await this.locked(s, () =>
      integrate(this.d.git, s.repoPath, s, { strategy, message: i.message, ignoreUncommitted: i.ignoreUncommitted }),
    );
    const state = await this.d.store.update(s.id, { merged: result });
    this.d.hub.emit('review.state', { state });
    this.d.log.info('review', `merged ${s.branch} into ${s.baseBranch} (${strategy}, ${result.via})`);
    // Every session of the repository is now compared against a moved base.
    for (const other of this.d.sessions.list())
      if (other.repoPath === s.repoPath && other.id !== s.id) this.changed(other);
    return result;
  }

  push(i: RequestParsedInput<'review.push'>): Promise<PushResult> {
    const s = this.live(i.sessionId);
    return this.locked(s, () => pushBranch(this.d.git, s, { remote: i.remote, forceWithLease: i.forceWithLease }));
  }

  state(sessionId: string): Promise<ReviewState> {
    this.d.sessions.get(sessionId);
    return this.d.store.get(sessionId);
  }
}
