import { useEffect } from 'react';
import { CompareView } from './CompareView';
import { ConflictMatrix } from './ConflictMatrix';
import { ReviewPage } from './ReviewPage';
import { useReviewLiveUpdates } from './review-queries';
import { closeReviewOverlay, useReviewOverlay } from './review-ui';
import './review.css';

/** Mounted once in the app shell: keeps review data live and shows the full-window review views. */
export function ReviewHost() {
  useReviewLiveUpdates();
  const overlay = useReviewOverlay();
  useEffect(() => {
    if (!overlay) return;
    // The app underneath is out of reach while a full-window view covers it (keyboard, readers).
    const behind = [...document.querySelectorAll<HTMLElement>('.toolbar, .app-body, .status-bar')];
    for (const el of behind) el.inert = true;
    const onKey = (e: KeyboardEvent) => {
      // A dialog above (merge, confirm) handles its own Esc first.
      if (e.key === 'Escape' && !document.querySelector('.modal-backdrop, [role="dialog"]')) closeReviewOverlay();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      for (const el of behind) el.inert = false;
    };
  }, [overlay]);
  if (!overlay) return null;
  const title =
    overlay.kind === 'conflicts' ? 'Conflict forecast' : overlay.kind === 'compare' ? 'Compare candidates' : null;
  return (
    <div
      className="review-overlay"
      data-testid={`review-overlay-${overlay.kind}`}
      role="region"
      aria-label={title ?? 'Review'}
    >
      {overlay.kind === 'review' ? (
        <ReviewPage sessionId={overlay.sessionId} onClose={closeReviewOverlay} />
      ) : (
        <div className="review-page">
          <header className="review-head">
            <div className="review-title">
              <h2>{title}</h2>
            </div>
            <button
              type="button"
              className="btn ghost"
              onClick={closeReviewOverlay}
              aria-label={`Close ${title}`}
              data-testid="review-close"
            >
              ✕
            </button>
          </header>
          <div className="review-scroll">
            {overlay.kind === 'conflicts' ? (
              <ConflictMatrix repoPath={overlay.repoPath} />
            ) : (
              <CompareView groupId={overlay.groupId} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
