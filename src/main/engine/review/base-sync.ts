import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaseStatus, UpdateResult, UpdateStrategy } from '../../../shared/review';
import { AppError, isAppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import {
  aheadBehind,
  conflictsOf,
  isAncestor,
  NETWORK_TIMEOUT_MS,
  pendingOperation,
  readStatus,
  revParse,
  upstreamOf,
} from './repo-state';
import type { SessionRef } from './working-changes';

/**
 * The ref "update from base" brings in: the base's upstream when the base has one and the local
 * base is not ahead of it (the freshest shared state), else the local base branch.
 */
async function effectiveBase(
  git: GitClient,
  cwd: string,
  base: string,
  fetch: boolean,
): Promise<{ baseRef: string; remote: string | null; fetched: boolean; fetchError: string | null }> {
  const local = await revParse(git, cwd, `refs/heads/${base}`);
  const up = local ? await upstreamOf(git, cwd, base) : null;
  let fetched = false;
  let fetchError: string | null = null;
  if (up && fetch) {
    try {
      await git.run(cwd, ['fetch', '--quiet', '--no-tags', '--', up.remote], { timeoutMs: NETWORK_TIMEOUT_MS });
      fetched = true;
    } catch (e) {
      // Offline or the remote refused: compare with what we have, and say so.
      fetchError = e instanceof Error ? e.message : String(e);
    }
  }
  if (!local) {
    // A base that is only a remote-tracking branch, tag or commit.
    const other = await revParse(git, cwd, base);
    if (!other) {
      throw new AppError('BRANCH_NOT_FOUND', `Base branch \`${base}\` no longer exists — nothing to update from.`, {
        base,
      });
    }
    return { baseRef: base, remote: null, fetched, fetchError };
  }
  if (up) {
    const upTip = await revParse(git, cwd, up.ref);
    if (upTip && (await isAncestor(git, cwd, local, upTip))) {
      return { baseRef: up.ref.replace(/^refs\/remotes\//, ''), remote: up.remote, fetched, fetchError };
    }
  }
  return { baseRef: base, remote: up?.remote ?? null, fetched, fetchError };
}

/** Ahead/behind against the base (fetching first when the base has a remote) and any stopped update. */
export async function readBaseStatus(
  git: GitClient,
  s: SessionRef,
  strategy: UpdateStrategy,
  fetch: boolean,
): Promise<Omit<BaseStatus, 'sessionId'>> {
  const cwd = s.worktreePath;
  const eb = await effectiveBase(git, cwd, s.baseBranch, fetch);
  const [{ ahead, behind }, op, entries] = await Promise.all([
    aheadBehind(git, cwd, eb.baseRef, 'HEAD'),
    pendingOperation(git, cwd),
    readStatus(git, cwd),
  ]);
  return {
    base: s.baseBranch,
    baseRef: eb.baseRef,
    remote: eb.remote,
    fetched: eb.fetched,
    fetchError: eb.fetchError,
    ahead,
    behind,
    strategy,
    operation: op,
    conflicts: conflictsOf(entries, op),
  };
}

type Status = Omit<BaseStatus, 'sessionId'>;

/**
 * Brings the base's new commits into the session branch by rebase or merge, in the session's own
 * worktree. A conflict leaves the operation stopped for the user to resolve, continue or abort.
 */
export async function updateFromBase(
  git: GitClient,
  s: SessionRef,
  strategy: UpdateStrategy,
  fetch: boolean,
): Promise<{ outcome: UpdateResult['outcome']; status: Status }> {
  const cwd = s.worktreePath;
  const before = await readBaseStatus(git, s, strategy, fetch);
  if (before.operation) {
    throw new AppError(
      'INVALID_STATE',
      `"${s.name}" already has a ${before.operation.kind} in progress — resolve its conflicts and continue, or abort it.`,
      { conflicts: before.conflicts.map((c) => c.path) },
    );
  }
  if (before.behind === 0) return { outcome: 'up-to-date', status: before };
  const dirty = (await readStatus(git, cwd)).filter((e) => !e.untracked);
  if (dirty.length > 0) {
    throw new AppError(
      'DIRTY_WORKTREE',
      `"${s.name}" has ${dirty.length} uncommitted change(s) — commit or discard them before updating from ${s.baseBranch}.`,
      { paths: dirty.slice(0, 20).map((e) => e.path) },
    );
  }
  const args =
    strategy === 'rebase'
      ? ['rebase', '--no-autostash', '--no-verify', before.baseRef]
      : ['merge', '--no-edit', '--no-verify', '--no-autostash', before.baseRef];
  const r = await git.exec(cwd, args);
  const after = await readBaseStatus(git, s, strategy, false);
  if (r.exitCode === 0) return { outcome: 'updated', status: after };
  if (after.operation) return { outcome: 'conflicts', status: after };
  // Refused before it started (an untracked file in the way, a hook): nothing changed.
  throw new AppError('GIT_ERROR', `Could not ${strategy} onto ${before.baseRef}: ${firstLine(r.stderr || r.stdout)}`, {
    stderr: r.stderr.slice(0, 4000),
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/^(fatal|error): /, '').trim())
      .find(Boolean) ?? 'git failed'
  );
}

/** Stages of an unmerged path: 1 common ancestor, 2 ours, 3 theirs. */
async function stagesOf(git: GitClient, cwd: string, path: string): Promise<Set<number>> {
  const out = await git.run(cwd, ['ls-files', '-u', '-z', '--', path]);
  const stages = new Set<number>();
  for (const entry of out.split('\0')) {
    const m = /^\d+ [0-9a-f]+ (\d)\t/.exec(entry);
    if (m) stages.add(Number(m[1]));
  }
  return stages;
}

const MARKER = /^(<{7}|>{7})( |$)/m;

/**
 * Resolves one conflicted path: keep the session's version, the base's version, or mark the
 * user's own edit resolved (refused while conflict markers remain).
 */
export async function resolveConflict(
  git: GitClient,
  s: SessionRef,
  path: string,
  take: 'session' | 'base' | 'resolved',
  strategy: UpdateStrategy,
): Promise<{ outcome: UpdateResult['outcome']; status: Status }> {
  const cwd = s.worktreePath;
  const op = await pendingOperation(git, cwd);
  const entry = (await readStatus(git, cwd)).find((e) => e.path === path && e.conflicted);
  if (!op || !entry) {
    throw new AppError('BAD_INPUT', `\`${path}\` has no conflict to resolve in "${s.name}".`, { path });
  }
  if (take === 'resolved') {
    const text = await readFile(join(cwd, path), 'utf8').catch(() => null);
    if (text === null) await git.run(cwd, ['rm', '--quiet', '--', path]);
    else if (MARKER.test(text)) {
      throw new AppError(
        'MERGE_CONFLICT',
        `\`${path}\` still has conflict markers (<<<<<<< / >>>>>>>) — finish editing it, or keep one side.`,
        { path },
      );
    } else await git.run(cwd, ['add', '--', path]);
  } else {
    // In a rebase git's "ours" is the base and "theirs" the session's commit; in a merge, the reverse.
    const side = (take === 'session') === (op.kind === 'rebase') ? 'theirs' : 'ours';
    const stages = await stagesOf(git, cwd, path);
    if (stages.has(side === 'ours' ? 2 : 3)) {
      await git.run(cwd, ['checkout', `--${side}`, '--', path]);
      await git.run(cwd, ['add', '--', path]);
    } else {
      // That side deleted the file: keeping it means deleting it.
      await git.run(cwd, ['rm', '--quiet', '--force', '--', path]);
    }
  }
  return { outcome: 'resolved', status: await readBaseStatus(git, s, strategy, false) };
}

/** Continues a stopped rebase or concludes a merge once every conflict is resolved. */
export async function continueUpdate(
  git: GitClient,
  s: SessionRef,
  strategy: UpdateStrategy,
): Promise<{ outcome: UpdateResult['outcome']; status: Status }> {
  const cwd = s.worktreePath;
  const st = await readBaseStatus(git, s, strategy, false);
  if (!st.operation) throw new AppError('INVALID_STATE', `"${s.name}" has no update in progress.`);
  if (st.conflicts.length > 0) {
    throw new AppError(
      'MERGE_CONFLICT',
      `${st.conflicts.length} file(s) still conflict (${st.conflicts
        .slice(0, 3)
        .map((c) => c.path)
        .join(', ')}) — resolve them first.`,
      { files: st.conflicts.map((c) => c.path) },
    );
  }
  if (st.operation.kind === 'merge') {
    await git.run(cwd, ['commit', '--no-edit', '--no-verify', '--quiet']);
  } else {
    const r = await git.exec(cwd, ['rebase', '--continue']);
    // A commit whose changes the resolution dropped entirely is skipped, as `git rebase --skip` would.
    if (r.exitCode !== 0 && /No changes|nothing to commit/i.test(r.stdout + r.stderr)) {
      await git.exec(cwd, ['rebase', '--skip']);
    }
  }
  const after = await readBaseStatus(git, s, strategy, false);
  return { outcome: after.operation ? 'conflicts' : 'updated', status: after };
}

/** Abandons a stopped rebase or merge: the branch and worktree return to how they were before it. */
export async function abortUpdate(
  git: GitClient,
  s: SessionRef,
  strategy: UpdateStrategy,
): Promise<{ outcome: UpdateResult['outcome']; status: Status }> {
  const cwd = s.worktreePath;
  const op = await pendingOperation(git, cwd);
  if (!op) throw new AppError('INVALID_STATE', `"${s.name}" has no update in progress to abort.`);
  try {
    await git.run(cwd, [op.kind, '--abort']);
  } catch (e) {
    if (!isAppError(e)) throw e;
    throw new AppError('GIT_ERROR', `Could not abort the ${op.kind}: ${e.message}`, e.details);
  }
  return { outcome: 'aborted', status: await readBaseStatus(git, s, strategy, false) };
}
