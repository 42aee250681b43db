import { existsSync } from 'node:fs';
import type { RequestParsedInput } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import type { CompareEntry, CompareResult, PickResult } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import { computeDiff } from './diffs';
import { aheadBehind } from './repo-state';
import type { ReviewService } from './review-service';

/** The sessions created together with this group id, oldest first. */
export function groupMembers(review: ReviewService, groupId: string): Session[] {
  const members = review.d.sessions
    .list()
    .filter((s) => s.groupId === groupId)
    // Copies share a creation time; their numbered names keep the order stable.
    .sort(
      (a, b) =>
        a.createdAt - b.createdAt ||
        a.name.localeCompare(b.name, undefined, { numeric: true }) ||
        a.id.localeCompare(b.id),
    );
  if (members.length === 0) {
    throw new AppError('NOT_FOUND', `No sessions belong to group \`${groupId}\` — list sessions to see their groups.`);
  }
  return members;
}

async function entryFor(review: ReviewService, s: Session): Promise<CompareEntry> {
  const { git } = review.d;
  const [metrics, history, state] = await Promise.all([
    review.d.metrics(s.id).catch(() => null),
    review.d.history(s.id, 50).catch(() => []),
    review.d.store.get(s.id),
  ]);
  const run = history.find((c) => c.batchId !== null && c.finishedAt !== null) ?? null;
  const base: CompareEntry = {
    sessionId: s.id,
    name: s.name,
    agent: s.agent,
    status: s.status,
    branch: s.branch,
    ahead: 0,
    behind: 0,
    additions: 0,
    deletions: 0,
    files: [],
    uncommitted: 0,
    latestRun: run
      ? {
          batchId: run.batchId,
          command: [run.command, ...run.args].join(' '),
          exitCode: run.exitCode,
          durationMs: run.durationMs,
          timedOut: run.timedOut,
          outputTail: (run.stdout + run.stderr).slice(-2000),
          finishedAt: run.finishedAt,
        }
      : null,
    runTimeSec: metrics?.uptimeSec ?? 0,
    // Read from the agent's own usage records (null until found, or when no model had a price).
    costUsd: s.usage?.costUsd ?? null,
    merged: state.merged !== null,
    error: null,
  };
  if (s.status === 'terminated' || s.worktreeMissing || !existsSync(s.worktreePath)) {
    return {
      ...base,
      error: s.status === 'terminated' ? 'terminated — its branch is kept' : 'the worktree is missing',
    };
  }
  try {
    const [diff, counts, changes] = await Promise.all([
      computeDiff(git, s, { scope: 'branch', context: 0, withPatch: false }),
      aheadBehind(git, s.worktreePath, s.baseBranch, 'HEAD'),
      git.run(s.worktreePath, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all']),
    ]);
    return {
      ...base,
      ahead: counts.ahead,
      behind: counts.behind,
      additions: diff.additions,
      deletions: diff.deletions,
      files: diff.files.map((f) => ({
        path: f.path,
        oldPath: f.oldPath,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
        binary: f.binary,
      })),
      uncommitted: changes.split('\0').filter((l) => l.length > 3).length,
    };
  } catch (e) {
    return { ...base, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The candidates of a fan-out group side by side, with the evidence to choose one. */
export async function compareGroup(review: ReviewService, groupId: string): Promise<CompareResult> {
  const members = groupMembers(review, groupId);
  const entries: CompareEntry[] = [];
  // One at a time: each entry runs several git processes, and a group can be large.
  for (const s of members) entries.push(await entryFor(review, s));
  const seen = new Map<string, number>();
  for (const e of entries) for (const f of e.files) seen.set(f.path, (seen.get(f.path) ?? 0) + 1);
  return {
    groupId,
    prompt: members[0]?.prompt ?? '',
    entries,
    sharedFiles: [...seen.entries()]
      .filter(([, n]) => n > 1)
      .map(([p]) => p)
      .sort(),
  };
}

/**
 * "Pick this one": merges the chosen candidate into its base, then (when asked) terminates the
 * other candidates through the sessions' own removal check — their branches are kept unless asked,
 * and a candidate the check refuses to remove is kept with the reason.
 */
export async function pickCandidate(review: ReviewService, i: RequestParsedInput<'review.pick'>): Promise<PickResult> {
  const chosen = review.live(i.sessionId);
  if (!chosen.groupId) {
    throw new AppError(
      'BAD_INPUT',
      `"${chosen.name}" was not created as one of several candidates — merge it instead.`,
    );
  }
  const merge = await review.merge({ sessionId: chosen.id, strategy: i.strategy, ignoreUncommitted: false });
  const terminated: string[] = [];
  const kept: PickResult['kept'] = [];
  for (const other of groupMembers(review, chosen.groupId)) {
    if (other.id === chosen.id || other.status === 'terminated') continue;
    if (!i.terminateOthers) {
      kept.push({ sessionId: other.id, reason: 'kept (terminating the others was not requested)' });
      continue;
    }
    try {
      await review.d.terminate({ sessionId: other.id, deleteBranch: i.deleteBranches });
      terminated.push(other.id);
    } catch (e) {
      kept.push({ sessionId: other.id, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { merge, terminated, kept };
}
