import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { sha256 } from './content-hash';

interface Commit {
  sha: string;
  line: string;
}

export interface CommitLossQuestion {
  /** Main worktree of the repository (git runs there, seeing only its own HEAD). */
  repoRoot: string;
  /** The branch that would be deleted, if any. */
  deleteBranch: string | null;
  /** HEAD and HEAD-reflog commits of the worktree that would be removed, if any. */
  removedHead: string | null;
  removedReflog: readonly string[];
  /** HEADs of every other worktree of the repository (they keep their commits alive). */
  otherHeads: readonly string[];
}

/**
 * Commits that no ref would reach any more: on the branch being deleted, on the removed
 * worktree's (possibly detached) HEAD, or only in that worktree's HEAD reflog. "Reach" means any
 * ref in refs/ (branches, tags, remotes, stash, notes…) except the deleted branch and the app's
 * pause records (refs/multisession/paused/, dropped with the session), or another
 * worktree's HEAD. Missing reflog objects are skipped; any other git failure throws.
 */
export async function commitsLost(git: GitClient, q: CommitLossQuestion): Promise<LossItem[]> {
  const branchRef = q.deleteBranch ? `refs/heads/${q.deleteBranch}` : null;
  const tips = [
    ...(branchRef ? [branchRef] : []),
    ...(q.removedHead ? [q.removedHead] : []),
    ...new Set(q.removedReflog.filter((sha) => sha !== q.removedHead)),
  ];
  if (tips.length === 0) return [];
  // One walk for every tip; `%S` names the tip each commit was reached from (the earliest given).
  const out = await git.run(q.repoRoot, [
    'log',
    '--single-worktree',
    '--ignore-missing',
    '--source',
    '--format=%H%x09%S%x09%h %s',
    ...tips,
    '--not',
    ...(branchRef ? [`--exclude=${branchRef}`] : []),
    // The app's own pause records are dropped with the session: never a keeper of the user's commits.
    '--exclude=refs/multisession/paused/*',
    '--all',
    ...q.otherHeads,
    '--',
  ]);
  const groups = { branch: [] as Commit[], head: [] as Commit[], reflog: [] as Commit[] };
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha, source, text] = line.split('\t');
    const c = { sha, line: text ?? '' };
    if (branchRef && source === branchRef) groups.branch.push(c);
    else if (q.removedHead && source === q.removedHead) groups.head.push(c);
    else groups.reflog.push(c);
  }
  const items: LossItem[] = [];
  const group = (kind: LossItem['kind'], subject: string, what: string, commits: Commit[]) => {
    if (commits.length === 0) return;
    items.push({
      kind,
      subject,
      detail: `${commits.length} commit(s) ${what} (newest: ${commits[0].line.slice(0, 80)})`,
      key: `${kind}:${subject}:${sha256(commits.map((c) => c.sha).join(','))}`,
    });
  };
  if (q.deleteBranch) group('commits', q.deleteBranch, `only on branch ${q.deleteBranch}`, groups.branch);
  group('commits', 'HEAD', 'only on the worktree’s HEAD (e.g. made on a detached HEAD)', groups.head);
  group('reflog-commits', 'HEAD@{…}', 'only in the worktree’s HEAD history (reflog), on no branch', groups.reflog);
  return items;
}
