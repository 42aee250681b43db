import { useEffect, useState } from 'react';
import type { DiffScope } from '../../../../shared/review';
import { errorText } from '../../lib/queries';
import { FileDiffView } from './FileDiffView';
import { useReviewDiff } from './review-queries';
import { loadDiffMode, saveDiffMode } from './review-ui';

/** Files shown expanded at first; a huge change opens collapsed so the view stays fast. */
const OPEN_FIRST = 12;

const scopeLabels: Record<Exclude<DiffScope, 'commit'>, string> = {
  branch: 'All changes since the base',
  staged: 'Staged',
  unstaged: 'Not staged',
};

/**
 * A session's diff for one scope: every file with its own viewer, unified or side by side,
 * scrolled to `focusPath` when one is chosen.
 */
export function DiffPanel({
  sessionId,
  scope,
  commit,
  focusPath,
  onScope,
  compact,
}: {
  sessionId: string;
  scope: DiffScope;
  commit: string | null;
  focusPath: string | null;
  onScope?: (scope: Exclude<DiffScope, 'commit'>) => void;
  compact?: boolean;
}) {
  const [mode, setMode] = useState(compact ? 'unified' : loadDiffMode());
  const diff = useReviewDiff(sessionId, scope, commit);
  const files = diff.data?.files ?? [];
  const shown = compact && focusPath ? files.filter((f) => f.path === focusPath) : files;
  useEffect(() => {
    if (!focusPath || compact) return;
    document.getElementById(`diff-${focusPath}`)?.scrollIntoView({ block: 'start' });
  }, [focusPath, compact, diff.data]);
  const choose = (m: 'unified' | 'split') => {
    setMode(m);
    saveDiffMode(m);
  };
  return (
    <div className="diff-panel" data-testid="review-diff" data-mode={mode}>
      <div className="diff-panel-bar row wrap">
        {scope === 'commit' ? (
          <span className="muted">
            Commit <span className="mono">{commit?.slice(0, 10)}</span>
          </span>
        ) : onScope ? (
          <div className="seg" role="group" aria-label="Which changes">
            {(Object.keys(scopeLabels) as Exclude<DiffScope, 'commit'>[]).map((sc) => (
              <button
                key={sc}
                type="button"
                className={sc === scope ? 'seg-btn on' : 'seg-btn'}
                aria-pressed={sc === scope}
                data-testid={`diff-scope-${sc}`}
                onClick={() => onScope(sc)}
              >
                {scopeLabels[sc]}
              </button>
            ))}
          </div>
        ) : null}
        {diff.data && (
          <span className="muted">
            {files.length} file(s) <span className="diff-add">+{diff.data.additions}</span>{' '}
            <span className="diff-del">−{diff.data.deletions}</span>
          </span>
        )}
        <span className="spacer" />
        {!compact && (
          <div className="seg" role="group" aria-label="Diff layout">
            {(['unified', 'split'] as const).map((m) => (
              <button
                key={m}
                type="button"
                className={m === mode ? 'seg-btn on' : 'seg-btn'}
                aria-pressed={m === mode}
                data-testid={`diff-mode-${m}`}
                onClick={() => choose(m)}
              >
                {m === 'unified' ? 'Unified' : 'Side by side'}
              </button>
            ))}
          </div>
        )}
      </div>
      {diff.isError && <div className="error-box">{errorText(diff.error)}</div>}
      {diff.isLoading && <p className="muted">Computing the diff…</p>}
      {diff.data && files.length === 0 && <p className="muted review-note">No changes here.</p>}
      {diff.data?.truncated && (
        <p className="faint review-note">Some files are too large to show — open the worktree for those.</p>
      )}
      <div className="diff-files-list">
        {shown.map((f, i) => (
          <FileDiffView
            key={`${scope}:${commit ?? ''}:${f.path}`}
            file={f}
            mode={mode}
            initiallyOpen={i < OPEN_FIRST || f.path === focusPath}
          />
        ))}
      </div>
    </div>
  );
}
