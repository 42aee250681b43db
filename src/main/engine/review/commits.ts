import type { CommitList } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { resolveRevision } from '../git/repo-inspection';
import { LOG_FORMAT, parseLog } from './git-parse';
import { mergeBase } from './repo-state';
import type { SessionRef } from './working-changes';

/** The commits on the session's branch that its base does not have, newest first, with their files. */
export async function listCommits(
  git: GitClient,
  s: SessionRef,
  limit: number,
): Promise<Omit<CommitList, 'sessionId'>> {
  const cwd = s.worktreePath;
  const baseRev = await resolveRevision(git, cwd, s.baseBranch);
  if (!baseRev) {
    throw new AppError('BRANCH_NOT_FOUND', `Base branch \`${s.baseBranch}\` no longer exists.`, { base: s.baseBranch });
  }
  const mb = await mergeBase(git, cwd, baseRev, 'HEAD');
  const range = mb ? ['HEAD', '--not', baseRev] : ['HEAD'];
  const out = await git.run(cwd, [
    'log',
    '-z',
    '--raw',
    '--numstat',
    '-M',
    '--no-color',
    `--format=${LOG_FORMAT}`,
    `--max-count=${limit + 1}`,
    ...range,
    '--',
  ]);
  const commits = parseLog(out);
  return { base: s.baseBranch, mergeBase: mb, commits: commits.slice(0, limit), truncated: commits.length > limit };
}
