import type { reviewRequests } from '../../../shared/review-contract';
import type { Handlers } from '../rpc/router';
import { compareGroup, pickCandidate } from './fanout-compare';
import { openPullRequest, reviewState } from './pull-requests';
import type { ReviewLive } from './review-live';
import type { ReviewService } from './review-service';

/** The engine's handlers for every `review.*` request. */
export function reviewHandlers(review: ReviewService, live: ReviewLive): Pick<Handlers, keyof typeof reviewRequests> {
  return {
    'review.commits': (i) => review.commits(i),
    'review.changes': (i) => review.changes(i.sessionId),
    'review.diff': (i) => review.diff(i),
    'review.stage': (i) => review.stage(i.sessionId, i.paths),
    'review.unstage': (i) => review.unstage(i.sessionId, i.paths),
    'review.discard': (i) => review.discard(i.sessionId, i.paths),
    'review.commit': (i) => review.commit(i),
    'review.baseStatus': (i) => review.baseStatus(i.sessionId, i.fetch),
    'review.update': (i) => review.update(i),
    'review.resolve': (i) => review.resolve(i),
    'review.continue': (i) => review.continueUpdate(i.sessionId),
    'review.abort': (i) => review.abortUpdate(i.sessionId),
    'review.merge': (i) => review.merge(i),
    'review.push': (i) => review.push(i),
    'review.pr': (i) => openPullRequest(review, i),
    'review.state': (i) => reviewState(review, i.sessionId, i.refreshPr),
    'review.forecast': (i) => live.forecast(i.repoPath),
    'review.compare': (i) => compareGroup(review, i.groupId),
    'review.pick': (i) => pickCandidate(review, i),
  };
}
