import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '../../../../shared/domain';
import type { MergeResult, MergeStrategy } from '../../../../shared/review';
import { call, errorCode, errorText, keys, useSettings } from '../../lib/queries';
import { openSessionDialog } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { sessionConflicts, useBaseStatus, useChanges, useForecast } from './review-queries';

const strategies: { id: MergeStrategy; label: string; hint: string }[] = [
  { id: 'merge', label: 'Merge commit', hint: 'keeps every commit and adds a merge commit' },
  { id: 'squash', label: 'Squash', hint: 'one new commit with all the changes' },
  { id: 'rebase', label: 'Rebase', hint: 'replays the commits on top of the base, no merge commit' },
];

// What to do about each refusal, in the words of the screen the user is on.
const advice: Record<string, string> = {
  MERGE_CONFLICT: 'Update the session from its base above and resolve the conflicts there, then merge.',
  BASE_CHECKOUT_DIRTY: 'Commit or stash the changes in that checkout, or push the branch and open a pull request.',
  BASE_MOVED: 'Merge again to include the new commits.',
  DIRTY_WORKTREE: 'Commit the changes first (Changes tab), or merge only what is committed.',
};

/** Merge into the base with a strategy; afterwards offers to terminate the session (the branch is merged). */
export function MergeDialog({ session, onClose }: { session: Session; onClose(): void }) {
  const qc = useQueryClient();
  const settings = useSettings();
  const base = useBaseStatus(session.id);
  const changes = useChanges(session.id);
  const forecast = sessionConflicts(useForecast().data, session.id);
  const repoDefault = settings.data?.repoSettings[session.repoPath]?.mergeStrategy ?? 'merge';
  const [strategy, setStrategy] = useState<MergeStrategy | null>(null);
  const chosen = strategy ?? repoDefault;
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; code: string | null } | null>(null);
  const [done, setDone] = useState<MergeResult | null>(null);
  const uncommitted = changes.data?.files.length ?? 0;
  const merge = async (ignoreUncommitted: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setDone(
        await call('review.merge', {
          sessionId: session.id,
          strategy: chosen,
          message: message.trim() || undefined,
          ignoreUncommitted,
        }),
      );
    } catch (e) {
      setError({ text: errorText(e), code: errorCode(e) });
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: keys.review(session.id) });
    }
  };
  if (done) {
    return (
      <Modal
        title={`Merged into ${done.base}`}
        onClose={onClose}
        testId="merge-done"
        footer={
          <>
            <button type="button" className="btn" onClick={onClose}>
              Keep the session
            </button>
            <button
              type="button"
              className="btn primary"
              data-testid="merge-terminate"
              onClick={() => {
                onClose();
                openSessionDialog('terminate', session.id);
              }}
            >
              Terminate the session…
            </button>
          </>
        }
      >
        <p>
          {done.commits} commit(s) of <span className="mono">{session.branch}</span> are now on{' '}
          <span className="mono">{done.base}</span> ({done.strategy}
          {done.via === 'checkout-fast-forward' ? `; the checkout at ${done.baseCheckout} was updated` : ''}).
        </p>
        <p className="muted">
          Nothing is lost by terminating now: the branch is merged and is kept unless you choose to delete it.
        </p>
      </Modal>
    );
  }
  return (
    <Modal
      title={`Merge "${session.name}" into ${session.baseBranch}`}
      onClose={onClose}
      testId="merge-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {error?.code === 'DIRTY_WORKTREE' && (
            <button type="button" className="btn" disabled={busy} onClick={() => void merge(true)}>
              Merge only the commits
            </button>
          )}
          <button
            type="button"
            className="btn primary"
            data-testid="merge-confirm"
            disabled={busy}
            onClick={() => void merge(false)}
          >
            {busy ? 'Merging…' : `Merge (${strategies.find((s) => s.id === chosen)?.label.toLowerCase()})`}
          </button>
        </>
      }
    >
      <fieldset className="strategy-list">
        <legend>How</legend>
        {strategies.map((s) => (
          <label key={s.id} className="strategy">
            <input type="radio" name="strategy" checked={chosen === s.id} onChange={() => setStrategy(s.id)} />
            <span>
              <strong>{s.label}</strong> <span className="muted">— {s.hint}</span>
              {s.id === repoDefault && <span className="faint"> (this repository's default)</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {chosen !== 'rebase' && (
        <label className="field">
          <span>Message (optional)</span>
          <textarea
            rows={3}
            value={message}
            placeholder="Default: the session name and its commits"
            onChange={(e) => setMessage(e.target.value)}
          />
        </label>
      )}
      <ul className="merge-facts">
        {base.data && (
          <li>
            {base.data.ahead} commit(s) to merge; the branch is {base.data.behind} behind {base.data.baseRef}.
          </li>
        )}
        {uncommitted > 0 && (
          <li className="warn-text">
            {uncommitted} uncommitted change(s) are not part of the merge — commit them first.
          </li>
        )}
        {forecast?.base?.conflict && (
          <li className="warn-text">
            Forecast: conflicts with {session.baseBranch} in {forecast.base.files.join(', ')}.
          </li>
        )}
        <li className="faint">
          Your checkout of {session.baseBranch} is updated only if it has no uncommitted changes; otherwise nothing is
          touched.
        </li>
      </ul>
      {error && (
        <div className="error-box" role="alert" data-testid="merge-error">
          {error.text}
          {error.code && advice[error.code] && <div className="muted">{advice[error.code]}</div>}
        </div>
      )}
    </Modal>
  );
}
