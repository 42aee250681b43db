import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '../../../../shared/domain';
import type { PrResult } from '../../../../shared/review';
import { call, errorText, keys } from '../../lib/queries';
import { showToast } from '../../lib/toasts';
import { MergeDialog } from './MergeDialog';
import { useReviewState } from './review-queries';
import { openCompare, openReview } from './review-ui';

const prTone: Record<string, string> = {
  OPEN: 'ok',
  DRAFT: 'muted',
  MERGED: 'merged',
  CLOSED: 'warn',
  UNKNOWN: 'muted',
};

/** The pull request's state, or "merged" once review merged the branch. */
export function ReviewStateChips({ sessionId }: { sessionId: string }) {
  const state = useReviewState(sessionId).data;
  if (!state) return null;
  return (
    <>
      {state.merged && (
        <span
          className="chip merged"
          data-testid="chip-merged"
          title={`Merged into ${state.merged.base} (${state.merged.strategy})`}
        >
          merged
        </span>
      )}
      {state.pullRequest && (
        <a
          className={`chip ${prTone[state.pullRequest.state] ?? ''}`}
          data-testid="chip-pr"
          href={state.pullRequest.url}
          target="_blank"
          rel="noreferrer"
          title={state.pullRequest.title}
        >
          PR{state.pullRequest.number ? ` #${state.pullRequest.number}` : ''} {state.pullRequest.state.toLowerCase()}
        </a>
      )}
    </>
  );
}

/** Merge…, Push, Pull request (and Review / Compare where they apply) for one session. */
export function ReviewActions({ session, inOverlay }: { session: Session; inOverlay?: boolean }) {
  const qc = useQueryClient();
  const [merging, setMerging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [pr, setPr] = useState<PrResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: keys.review(session.id) });
    }
  };
  const push = () =>
    run('push', async () => {
      const r = await call('review.push', { sessionId: session.id });
      showToast({
        kind: 'info',
        sessionId: session.id,
        title: `Pushed ${r.branch} to ${r.remote}`,
        body: `${r.pushed} new commit(s)${r.setUpstream ? `; it now tracks ${r.remote}/${r.branch}` : ''}.`,
      });
    });
  const openPr = () => run('pr', async () => setPr(await call('review.pr', { sessionId: session.id })));
  return (
    <div className="review-actions" data-testid="review-actions">
      <div className="row wrap">
        {!inOverlay && (
          <button type="button" className="btn small" data-testid="open-review" onClick={() => openReview(session.id)}>
            Open review ⤢
          </button>
        )}
        <button type="button" className="btn primary small" data-testid="merge-open" onClick={() => setMerging(true)}>
          Merge into {session.baseBranch}…
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="push"
          disabled={busy !== null}
          onClick={() => void push()}
        >
          {busy === 'push' ? 'Pushing…' : 'Push'}
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="open-pr"
          disabled={busy !== null}
          onClick={() => void openPr()}
        >
          {busy === 'pr' ? 'Opening…' : 'Pull request'}
        </button>
        {session.groupId && (
          <button
            type="button"
            className="btn ghost small"
            data-testid="open-compare"
            onClick={() => openCompare(session.groupId!)}
          >
            Compare candidates
          </button>
        )}
        <ReviewStateChips sessionId={session.id} />
      </div>
      {pr && (
        <div className="pr-result" data-testid="pr-result">
          {pr.kind === 'gh' ? (
            <>
              Pull request{' '}
              <a href={pr.url} target="_blank" rel="noreferrer">
                {pr.url}
              </a>{' '}
              is {pr.pullRequest?.state.toLowerCase()}.
            </>
          ) : (
            <>
              Open{' '}
              <a href={pr.url} target="_blank" rel="noreferrer">
                {pr.url}
              </a>{' '}
              to create the pull request. <span className="faint">({pr.reason})</span>
            </>
          )}
        </div>
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="review-action-error">
          {error}
        </div>
      )}
      {merging && <MergeDialog session={session} onClose={() => setMerging(false)} />}
    </div>
  );
}
