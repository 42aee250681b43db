import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { call, errorText, keys } from '../../lib/queries';
import { useChanges } from './review-queries';

/** A message and a Commit button: commits what is staged, or everything when nothing is. */
export function CommitBox({ sessionId }: { sessionId: string }) {
  const qc = useQueryClient();
  const changes = useChanges(sessionId);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const files = changes.data?.files ?? [];
  const stagedCount = files.filter((f) => !f.untracked && f.staged !== '.' && !f.conflicted).length;
  const all = stagedCount === 0;
  const blocked = Boolean(changes.data?.operation);
  const commit = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('review.commit', { sessionId, message, all });
      setMessage('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: keys.review(sessionId) });
    }
  };
  if (files.length === 0) return null;
  return (
    <form
      className="commit-box"
      data-testid="commit-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (message.trim()) void commit();
      }}
    >
      <textarea
        aria-label="Commit message"
        placeholder="Commit message (first line is the summary)"
        rows={3}
        value={message}
        disabled={blocked}
        onChange={(e) => setMessage(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && message.trim()) {
            e.preventDefault();
            void commit();
          }
        }}
      />
      <div className="row">
        <span className="faint">
          {blocked
            ? 'Finish the update from the base first.'
            : all
              ? `Nothing staged: commits all ${files.length} change(s).`
              : `Commits ${stagedCount} staged file(s).`}
        </span>
        <span className="spacer" />
        <button type="submit" className="btn primary small" disabled={busy || blocked || !message.trim()}>
          {busy ? 'Committing…' : all ? 'Commit all' : 'Commit staged'}
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
    </form>
  );
}
