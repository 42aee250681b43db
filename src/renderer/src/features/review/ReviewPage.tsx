import { hasWorktreeFolder } from '../../../../shared/session-state';
import { useState } from 'react';
import type { DiffScope } from '../../../../shared/review';
import { useSession } from '../../lib/queries';
import { StatusBadge } from '../shell/StatusBadge';
import { BaseBar } from './BaseBar';
import { ChangedFiles } from './ChangedFiles';
import { CommitBox } from './CommitBox';
import { CommitList } from './CommitList';
import { DiffPanel } from './DiffPanel';
import { ForecastNote } from './ForecastNote';
import { ReviewActions } from './ReviewActions';

/**
 * The full review of one session: on the left the worktree's changes (stage, discard, commit) and
 * the branch's commits, on the right the diff — all changes since the base, staged, unstaged or
 * one commit — unified or side by side; above, the base and the way home.
 */
export function ReviewPage({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const session = useSession(sessionId);
  const [side, setSide] = useState<'changes' | 'commits'>('changes');
  const [scope, setScope] = useState<Exclude<DiffScope, 'commit'>>('branch');
  const [commit, setCommit] = useState<string | null>(null);
  const [file, setFile] = useState<string | null>(null);
  if (!session) return <p className="muted">This session no longer exists.</p>;
  const live = hasWorktreeFolder(session.status) && !session.worktreeMissing;
  return (
    <div className="review-page" data-testid="review-page">
      <header className="review-head">
        <div className="review-title">
          <h2 className="truncate">{session.name}</h2>
          <StatusBadge status={session.status} />
          <span className="mono muted truncate">
            {session.branch} → {session.baseBranch}
          </span>
        </div>
        <button
          type="button"
          className="btn ghost"
          onClick={onClose}
          aria-label="Close review"
          data-testid="review-close"
        >
          ✕
        </button>
      </header>
      {!live ? (
        <p className="muted">This session has no worktree any more; its branch {session.branch} is kept.</p>
      ) : (
        <>
          <div className="review-top">
            <BaseBar session={session} />
            <ForecastNote session={session} />
            <ReviewActions session={session} inOverlay />
          </div>
          <div className="review-split">
            <aside className="review-side">
              <div className="seg" role="tablist" aria-label="Changes or commits">
                {(['changes', 'commits'] as const).map((t) => (
                  <button
                    key={t}
                    role="tab"
                    type="button"
                    aria-selected={side === t}
                    className={side === t ? 'seg-btn on' : 'seg-btn'}
                    data-testid={`review-side-${t}`}
                    onClick={() => {
                      setSide(t);
                      if (t === 'changes') setCommit(null);
                    }}
                  >
                    {t === 'changes' ? 'Changes' : 'Commits'}
                  </button>
                ))}
              </div>
              {side === 'changes' ? (
                <>
                  <ChangedFiles sessionId={session.id} selected={file} onSelect={setFile} />
                  <CommitBox sessionId={session.id} />
                </>
              ) : (
                <CommitList sessionId={session.id} selected={commit} onSelect={setCommit} />
              )}
            </aside>
            <main className="review-main">
              <DiffPanel
                sessionId={session.id}
                scope={commit ? 'commit' : scope}
                commit={commit}
                focusPath={file}
                onScope={(s) => {
                  setCommit(null);
                  setScope(s);
                }}
              />
            </main>
          </div>
        </>
      )}
    </div>
  );
}
