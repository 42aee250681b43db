import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '../../../../shared/domain';
import type { UpdateResult } from '../../../../shared/review';
import { call, errorText, keys } from '../../lib/queries';
import { useBaseStatus } from './review-queries';

const kindLabels: Record<string, string> = {
  'both-modified': 'changed on both sides',
  'both-added': 'added on both sides',
  'both-deleted': 'deleted on both sides',
  'deleted-by-session': 'deleted by the session, changed on the base',
  'deleted-by-base': 'deleted on the base, changed by the session',
  'added-by-session': 'added by the session',
  'added-by-base': 'added on the base',
};

/**
 * Where the session stands against its base (ahead/behind, fetched first when the base has a
 * remote), the Update button, and — when an update stopped on conflicts — each file with its ways
 * out: open it in an editor, keep the session's or the base's version, mark it resolved; then
 * continue, or abort.
 */
export function BaseBar({ session }: { session: Session }) {
  const qc = useQueryClient();
  const status = useBaseStatus(session.id);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const st = status.data;
  const run = async (what: string, fn: () => Promise<UpdateResult | unknown>) => {
    setBusy(what);
    setError(null);
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'status' in r)
        qc.setQueryData(keys.reviewBase(session.id), (r as UpdateResult).status);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: keys.review(session.id) });
    }
  };
  const sessionId = session.id;
  if (status.isError) return <div className="error-box">{errorText(status.error)}</div>;
  if (!st) return <div className="base-bar muted">Comparing with {session.baseBranch}…</div>;
  return (
    <div className="base-bar" data-testid="base-bar">
      <div className="row wrap">
        <span title={`Compared with ${st.baseRef}`}>
          vs <span className="mono">{st.baseRef}</span>
        </span>
        {/* Mid-update, HEAD is detached on the base: counts would mislead until it finishes. */}
        {!st.operation && (
          <>
            <span className="badge" data-testid="ahead" title="Commits on this branch the base does not have">
              ↑ {st.ahead} ahead
            </span>
            <span
              className={st.behind > 0 ? 'badge warn-badge' : 'badge'}
              data-testid="behind"
              title="Commits on the base this branch does not have"
            >
              ↓ {st.behind} behind
            </span>
          </>
        )}
        {st.fetchError && (
          <span className="faint" title={st.fetchError}>
            (could not fetch {st.remote})
          </span>
        )}
        <span className="spacer" />
        {!st.operation && (
          <button
            type="button"
            className="btn small"
            data-testid="update-from-base"
            disabled={busy !== null || st.behind === 0}
            title={
              st.behind === 0
                ? 'Up to date with the base'
                : `Bring ${st.behind} commit(s) from ${st.baseRef} in by ${st.strategy}`
            }
            onClick={() => void run('update', () => call('review.update', { sessionId }))}
          >
            {busy === 'update' ? 'Updating…' : `Update (${st.strategy})`}
          </button>
        )}
        <button
          type="button"
          className="btn ghost small"
          title="Fetch the base's remote and compare again"
          disabled={busy !== null}
          onClick={() =>
            void run('fetch', () => call('review.baseStatus', { sessionId, fetch: true }).then((s) => ({ status: s })))
          }
        >
          ↻
        </button>
      </div>
      {st.operation && (
        <div className="conflict-box" data-testid="conflicts" role="region" aria-label="Update in progress">
          <div className="row wrap">
            <strong>
              {st.operation.kind === 'rebase' ? 'Rebase' : 'Merge'} from {st.baseRef} stopped
              {st.operation.step && st.operation.total
                ? ` at commit ${st.operation.step} of ${st.operation.total}`
                : ''}
            </strong>
            <span className="spacer" />
            <button
              type="button"
              className="btn primary small"
              data-testid="update-continue"
              disabled={busy !== null || st.conflicts.length > 0}
              onClick={() => void run('continue', () => call('review.continue', { sessionId }))}
            >
              Continue
            </button>
            <button
              type="button"
              className="btn small"
              data-testid="update-abort"
              disabled={busy !== null}
              onClick={() => void run('abort', () => call('review.abort', { sessionId }))}
            >
              Abort
            </button>
          </div>
          {st.conflicts.length === 0 ? (
            <p className="muted">All conflicts are resolved — continue to finish the update.</p>
          ) : (
            <ul className="conflict-list">
              {st.conflicts.map((c) => (
                <li key={c.path} data-testid={`conflict-${c.path}`}>
                  <span className="mono truncate" title={c.path}>
                    {c.path}
                  </span>
                  <span className="faint">{kindLabels[c.kind] ?? c.kind}</span>
                  <span className="spacer" />
                  <button
                    type="button"
                    className="btn ghost small"
                    onClick={() =>
                      void run('open', () =>
                        call('system.openPath', { path: `${session.worktreePath}/${c.path}`, with: 'editor' }),
                      )
                    }
                  >
                    Open in editor
                  </button>
                  <button
                    type="button"
                    className="btn ghost small"
                    data-testid={`take-session-${c.path}`}
                    onClick={() =>
                      void run('take', () => call('review.resolve', { sessionId, path: c.path, take: 'session' }))
                    }
                  >
                    Keep session's
                  </button>
                  <button
                    type="button"
                    className="btn ghost small"
                    data-testid={`take-base-${c.path}`}
                    onClick={() =>
                      void run('take', () => call('review.resolve', { sessionId, path: c.path, take: 'base' }))
                    }
                  >
                    Keep base's
                  </button>
                  <button
                    type="button"
                    className="btn ghost small"
                    title="I edited the file: mark it resolved"
                    onClick={() =>
                      void run('take', () => call('review.resolve', { sessionId, path: c.path, take: 'resolved' }))
                    }
                  >
                    Mark resolved
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
