import type { PushResult } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { NETWORK_TIMEOUT_MS, remotes, revParse, upstreamOf } from './repo-state';
import type { SessionRef } from './working-changes';

/**
 * The remote a session branch goes to: the one asked for, else the branch's own upstream, else
 * the base's, else `origin`, else the only remote. No remote is a typed error.
 */
export async function pickRemote(git: GitClient, cwd: string, s: SessionRef, asked?: string): Promise<string> {
  const all = await remotes(git, cwd);
  if (asked) {
    if (!all.includes(asked)) {
      throw new AppError(
        'NO_REMOTE',
        `There is no remote \`${asked}\` — the repository has ${all.length ? all.join(', ') : 'none'}.`,
        { remotes: all },
      );
    }
    return asked;
  }
  const own = await upstreamOf(git, cwd, s.branch);
  if (own) return own.remote;
  const base = await upstreamOf(git, cwd, s.baseBranch);
  if (base) return base.remote;
  if (all.includes('origin')) return 'origin';
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    throw new AppError(
      'NO_REMOTE',
      `The repository of "${s.name}" has no remote to push to — add one (\`git remote add origin <url>\`) and try again.`,
    );
  }
  throw new AppError('NO_REMOTE', `The repository has several remotes (${all.join(', ')}) — name the one to push to.`, {
    remotes: all,
  });
}

/** Pushes the session branch (setting its upstream the first time); a rejection is a typed error. */
export async function pushBranch(
  git: GitClient,
  s: SessionRef,
  opts: { remote?: string; forceWithLease: boolean },
): Promise<PushResult> {
  const cwd = s.worktreePath;
  const remote = await pickRemote(git, cwd, s, opts.remote);
  const tip = await revParse(git, cwd, `refs/heads/${s.branch}`);
  if (!tip) throw new AppError('BRANCH_NOT_FOUND', `The session branch \`${s.branch}\` no longer exists.`);
  const hadUpstream = (await upstreamOf(git, cwd, s.branch)) !== null;
  const args = [
    'push',
    '--porcelain',
    ...(hadUpstream ? [] : ['--set-upstream']),
    ...(opts.forceWithLease ? ['--force-with-lease'] : []),
    '--',
    remote,
    `refs/heads/${s.branch}:refs/heads/${s.branch}`,
  ];
  const r = await git.exec(cwd, args, { timeoutMs: NETWORK_TIMEOUT_MS * 2 });
  if (r.exitCode !== 0) {
    const text = `${r.stdout}\n${r.stderr}`;
    if (/\[rejected\]|non-fast-forward|fetch first|stale info|\[remote rejected\]/.test(text)) {
      throw new AppError(
        'PUSH_REJECTED',
        /stale info/.test(text)
          ? `${remote} has commits on ${s.branch} that were not fetched — the push was refused to keep them. Fetch and look first.`
          : /remote rejected/.test(text)
            ? `${remote} refused ${s.branch}: ${text.match(/\[remote rejected\][^\n]*/)?.[0] ?? 'a server rule'} — check the remote's branch rules.`
            : `${remote}/${s.branch} has commits this branch does not have — the push was refused. Update the session from ${remote}/${s.branch}, or push with force-with-lease to replace them.`,
        { remote, branch: s.branch },
      );
    }
    const line = r.stderr
      .split('\n')
      .map((l) => l.replace(/^(fatal|error): /, '').trim())
      .find(Boolean);
    throw new AppError('GIT_ERROR', `Pushing ${s.branch} to ${remote} failed: ${line ?? `exit code ${r.exitCode}`}`, {
      remote,
      stderr: r.stderr.slice(0, 4000),
    });
  }
  return {
    sessionId: s.id,
    remote,
    branch: s.branch,
    pushed: await countPushed(git, cwd, s, remote, r.stdout),
    setUpstream: !hadUpstream,
  };
}

/**
 * Commits the push sent, from its porcelain line: `old..new` (or `old...new` when forced) for an
 * update, or a new branch (then: what neither the remote nor the base had).
 */
async function countPushed(
  git: GitClient,
  cwd: string,
  s: SessionRef,
  remote: string,
  porcelain: string,
): Promise<number> {
  const line = porcelain.split('\n').find((l) => l.includes(`refs/heads/${s.branch}:`)) ?? '';
  if (line.startsWith('=')) return 0;
  const range = /\t([0-9a-f]+)\.\.\.?([0-9a-f]+)\s*$/.exec(line);
  const args = range
    ? ['rev-list', '--count', range[2], '--not', range[1]]
    : [
        'rev-list',
        '--count',
        `refs/heads/${s.branch}`,
        '--not',
        // --exclude applies to the --remotes after it: the branch's own, just-created tracking ref.
        `--exclude=${remote}/${s.branch}`,
        `--remotes=${remote}`,
      ];
  if (!range) {
    const base = await revParse(git, cwd, s.baseBranch);
    if (base) args.push(base);
  }
  const r = await git.exec(cwd, args);
  return r.exitCode === 0 ? Number(r.stdout.trim()) || 0 : 0;
}
