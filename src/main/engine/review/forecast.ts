import { existsSync } from 'node:fs';
import type { Session } from '../../../shared/domain';
import type { ForecastPair, RepoForecast } from '../../../shared/review';
import type { Logger } from '../core/logger';
import type { GitClient } from '../git/git-client';
import { resolveRevision } from '../git/repo-inspection';
import { mergeTrees } from './integrate';
import { pairKey, suggestMergeOrder, type ConflictMap } from './merge-order';
import { mayConflict, parseNameStatus, type ChangedPaths } from './path-overlap';
import { pendingOperation } from './repo-state';
import { snapshotWorktree, type Snapshot } from './snapshot';
import { TaskLimiter } from './task-limiter';

interface SessionState {
  session: Session;
  snap: Snapshot;
  baseTip: string;
  fork: string;
  paths: ChangedPaths;
  size: number;
}

/** Bounded memo: the oldest entries go first once it is full. */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  async get(key: string, make: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = await make();
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return value;
  }
}

/**
 * Forecasts conflicts among the live sessions of a repository and against their bases, without
 * checkouts: each worktree is snapshotted as a commit (uncommitted work included), pairs whose
 * changed paths cannot collide are cleared without git, and the rest go through
 * `git merge-tree`. Every git answer is cached by the commit ids it was asked about, so an
 * unchanged pair is never asked twice, and git work runs through a small limiter (process storms
 * are what peers' users hit at scale).
 */
export class ConflictForecaster {
  private readonly limiter: TaskLimiter;
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly dirty = new Set<string>();
  private readonly merges = new Memo<string[]>(20_000);
  private readonly forks = new Memo<string>(5_000);
  private readonly pathSets = new Memo<{ paths: ChangedPaths; size: number }>(5_000);
  private readonly behindCounts = new Memo<number>(5_000);

  constructor(
    private readonly git: GitClient,
    private readonly log: Logger,
    concurrency = 2,
  ) {
    this.limiter = new TaskLimiter(concurrency);
  }

  /** A session's worktree changed: its next forecast takes a new snapshot. */
  invalidate(sessionId: string): void {
    this.dirty.add(sessionId);
  }

  forget(sessionId: string): void {
    this.snapshots.delete(sessionId);
    this.dirty.delete(sessionId);
  }

  private g<T>(fn: () => Promise<T>): Promise<T> {
    return this.limiter.run(fn);
  }

  private async snapshot(s: Session): Promise<Snapshot> {
    const cached = this.snapshots.get(s.id);
    if (cached && !this.dirty.has(s.id)) return cached;
    this.dirty.delete(s.id);
    const snap = await this.g(() => snapshotWorktree(this.git, s.worktreePath));
    this.snapshots.set(s.id, snap);
    return snap;
  }

  private async state(s: Session, cwd: string, baseTips: Map<string, string | null>): Promise<SessionState | string> {
    if (!existsSync(s.worktreePath)) return 'the worktree folder is missing';
    if (await pendingOperation(this.git, s.worktreePath)) return 'an update from its base is in progress';
    if (!baseTips.has(s.baseBranch)) {
      const ref = await resolveRevision(this.git, cwd, s.baseBranch);
      baseTips.set(s.baseBranch, ref ? (await this.git.run(cwd, ['rev-parse', `${ref}^{commit}`])).trim() : null);
    }
    const baseTip = baseTips.get(s.baseBranch);
    if (!baseTip) return `its base ${s.baseBranch} no longer exists`;
    const snap = await this.snapshot(s);
    const fork = await this.forks.get(`${baseTip}|${snap.commit}`, async () => {
      const r = await this.g(() => this.git.exec(cwd, ['merge-base', baseTip, snap.commit]));
      return r.exitCode === 0 ? r.stdout.trim() : '';
    });
    if (!fork) return 'its branch shares no history with its base';
    const { paths, size } = await this.changed(cwd, fork, snap.commit);
    return { session: s, snap, baseTip, fork, paths, size };
  }

  private changed(cwd: string, from: string, to: string): Promise<{ paths: ChangedPaths; size: number }> {
    return this.pathSets.get(`${from}..${to}`, async () => {
      const [names, stat] = await Promise.all([
        this.g(() => this.git.run(cwd, ['diff', '--name-status', '-z', '--no-renames', from, to, '--'])),
        this.g(() => this.git.run(cwd, ['diff', '--shortstat', '--no-renames', from, to, '--'])),
      ]);
      const nums = [...stat.matchAll(/(\d+) (?:insertion|deletion)/g)].map((m) => Number(m[1]));
      return { paths: parseNameStatus(names), size: nums.reduce((a, b) => a + b, 0) };
    });
  }

  private conflictFiles(cwd: string, a: string, b: string, counter: { checks: number }): Promise<string[]> {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    return this.merges.get(key, async () => {
      counter.checks++;
      return (await this.g(() => mergeTrees(this.git, cwd, a, b))).conflicts;
    });
  }

  /** The forecast for one repository's live sessions (all given sessions share `repoPath`). */
  async forecast(repoPath: string, sessions: readonly Session[]): Promise<RepoForecast> {
    const counter = { checks: 0 };
    const baseTips = new Map<string, string | null>();
    const skipped: RepoForecast['skipped'] = [];
    const states: SessionState[] = [];
    await Promise.all(
      sessions.map(async (s) => {
        try {
          const st = await this.state(s, repoPath, baseTips);
          if (typeof st === 'string') skipped.push({ sessionId: s.id, reason: st });
          else states.push(st);
        } catch (e) {
          skipped.push({ sessionId: s.id, reason: e instanceof Error ? e.message : String(e) });
        }
      }),
    );
    // Copies made together share a creation time: names ("… 1", "… 2") keep the order stable.
    states.sort(
      (a, b) =>
        a.session.createdAt - b.session.createdAt ||
        a.session.name.localeCompare(b.session.name, undefined, { numeric: true }) ||
        a.session.id.localeCompare(b.session.id),
    );

    const vsBase = await Promise.all(
      states.map(async (st) => {
        const behind = await this.behindCounts.get(`${st.baseTip}|${st.snap.commit}`, async () =>
          Number(
            (
              await this.g(() => this.git.run(repoPath, ['rev-list', '--count', st.baseTip, '--not', st.snap.commit]))
            ).trim(),
          ),
        );
        if (st.fork === st.baseTip || behind === 0)
          return { sessionId: st.session.id, conflict: false, files: [], behind };
        const baseSide = await this.changed(repoPath, st.fork, st.baseTip);
        if (!mayConflict(st.paths, baseSide.paths))
          return { sessionId: st.session.id, conflict: false, files: [], behind };
        const files = await this.conflictFiles(repoPath, st.baseTip, st.snap.commit, counter);
        return { sessionId: st.session.id, conflict: files.length > 0, files, behind };
      }),
    );

    const pairs: ForecastPair[] = [];
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < states.length; i++) {
      for (let j = i + 1; j < states.length; j++) {
        const a = states[i];
        const b = states[j];
        jobs.push(
          (async () => {
            // Same fork point: the path sets are exact, and disjoint ones prove a clean merge.
            if (a.fork === b.fork && !mayConflict(a.paths, b.paths)) {
              pairs.push({ a: a.session.id, b: b.session.id, conflict: false, files: [] });
              return;
            }
            try {
              const files = await this.conflictFiles(repoPath, a.snap.commit, b.snap.commit, counter);
              pairs.push({ a: a.session.id, b: b.session.id, conflict: files.length > 0, files });
            } catch (e) {
              this.log.warn('review', `forecast ${a.session.name} × ${b.session.name}: ${String(e)}`);
            }
          })(),
        );
      }
    }
    await Promise.all(jobs);
    const index = new Map(states.map((s, i) => [s.session.id, i]));
    pairs.sort((x, y) => index.get(x.a)! - index.get(y.a)! || index.get(x.b)! - index.get(y.b)!);

    const conflictMap: ConflictMap = new Map(pairs.filter((p) => p.conflict).map((p) => [pairKey(p.a, p.b), p.files]));
    const order = suggestMergeOrder(
      states.map((st) => ({
        sessionId: st.session.id,
        name: st.session.name,
        size: st.size,
        baseConflicts: vsBase.find((v) => v.sessionId === st.session.id)?.files ?? [],
      })),
      conflictMap,
    );
    const bases = sessions.map((s) => s.baseBranch);
    const base =
      bases.sort((x, y) => bases.filter((b) => b === y).length - bases.filter((b) => b === x).length)[0] ?? '';
    return {
      repoPath,
      base,
      sessionIds: states.map((s) => s.session.id),
      pairs,
      vsBase,
      order,
      skipped,
      computedAt: Date.now(),
      checksRun: counter.checks,
    };
  }
}
