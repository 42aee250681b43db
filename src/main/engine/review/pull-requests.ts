import type { RequestParsedInput } from '../../../shared/contract';
import type { PrResult, PushResult, ReviewState } from '../../../shared/review';
import { AppError } from '../../../shared/errors';
import { compareUrl, createPullRequest, ghAvailability, viewPullRequest } from './github-cli';
import { pickRemote, pushBranch } from './push';
import type { ReviewService } from './review-service';

/**
 * Opens a pull request for a session: pushes the branch, then asks `gh` when it is installed and
 * signed in; otherwise answers with the web page where one can be opened (and why).
 */
export async function openPullRequest(review: ReviewService, i: RequestParsedInput<'review.pr'>): Promise<PrResult> {
  const { git } = review.d;
  const s = review.live(i.sessionId);
  const cwd = s.worktreePath;
  let push: PushResult | null = null;
  if (i.push) push = await review.locked(s, () => pushBranch(git, s, { forceWithLease: false }));
  const subjects = (await git.run(cwd, ['log', '--reverse', '--format=%s', 'HEAD', '--not', s.baseBranch, '--']))
    .split('\n')
    .filter(Boolean);
  const title = i.title ?? (subjects.length === 1 ? subjects[0] : s.name);
  const body =
    i.body ??
    [
      s.prompt ? `Task given to the agent:\n\n> ${s.prompt.split('\n').join('\n> ')}` : '',
      subjects.length > 0 ? `Commits:\n${subjects.map((l) => `- ${l}`).join('\n')}` : '',
      `Opened from Multisession session "${s.name}".`,
    ]
      .filter(Boolean)
      .join('\n\n');

  const gh = await ghAvailability(cwd);
  if ('bin' in gh) {
    const pr = await createPullRequest(gh.bin, cwd, {
      head: s.branch,
      base: s.baseBranch,
      title,
      body,
      draft: i.draft,
    });
    const state = await review.d.store.update(s.id, { pullRequest: pr });
    review.d.hub.emit('review.state', { state });
    return { sessionId: s.id, kind: 'gh', url: pr.url, pullRequest: pr, reason: null, push };
  }
  const remote = push?.remote ?? (await pickRemote(git, cwd, s));
  const remoteUrl = (await git.run(cwd, ['remote', 'get-url', '--', remote])).trim();
  const url = compareUrl(remoteUrl, s.baseBranch, s.branch);
  if (!url) {
    throw new AppError(
      'GH_UNAVAILABLE',
      `Cannot open a pull request: ${gh.reason}, and ${remote} (${remoteUrl}) is not a GitHub, GitLab or Bitbucket address to open one on the web.`,
      { remote, remoteUrl },
    );
  }
  return { sessionId: s.id, kind: 'compare', url, pullRequest: null, reason: gh.reason, push };
}

/** The session's review state; with `refreshPr`, the pull request's state is asked of `gh` first. */
export async function reviewState(review: ReviewService, sessionId: string, refreshPr: boolean): Promise<ReviewState> {
  const current = await review.state(sessionId);
  if (!refreshPr || !current.pullRequest) return current;
  const s = review.d.sessions.get(sessionId);
  const cwd = s.status !== 'terminated' && s.worktreePath ? s.worktreePath : s.repoPath;
  const gh = await ghAvailability(cwd);
  if (!('bin' in gh)) return current;
  const pr = await viewPullRequest(gh.bin, cwd, s.branch);
  if (!pr) return current;
  const state = await review.d.store.update(sessionId, { pullRequest: pr });
  if (pr.state !== current.pullRequest.state) review.d.hub.emit('review.state', { state });
  return state;
}
