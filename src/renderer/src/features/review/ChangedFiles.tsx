import { useQueryClient } from '@tanstack/react-query';
import type { ChangedFile } from '../../../../shared/review';
import { askConfirm } from '../../lib/ui-store';
import { call, errorText, keys } from '../../lib/queries';
import { showToast } from '../../lib/toasts';
import { useChanges } from './review-queries';

function useFileActions(sessionId: string) {
  const qc = useQueryClient();
  const run = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      showToast({ kind: 'error', sessionId, title: `Could not ${what}`, body: errorText(e) });
    } finally {
      void qc.invalidateQueries({ queryKey: keys.review(sessionId) });
    }
  };
  return {
    stage: (paths: string[]) => run('stage', () => call('review.stage', { sessionId, paths })),
    unstage: (paths: string[]) => run('unstage', () => call('review.unstage', { sessionId, paths })),
    discard: (files: ChangedFile[]) =>
      askConfirm({
        title: `Discard changes to ${files.length} file(s)?`,
        body: `${files
          .slice(0, 12)
          .map((f) => `${f.untracked || f.staged === 'A' ? 'delete' : 'revert'} ${f.path}`)
          .join(
            '\n',
          )}${files.length > 12 ? `\n… and ${files.length - 12} more` : ''}\n\nA copy of the worktree as it is now is kept as a recovery commit.`,
        confirmLabel: 'Discard',
        danger: true,
        onConfirm: () =>
          void run('discard', async () => {
            const r = await call('review.discard', { sessionId, paths: files.map((f) => f.path) });
            if (r.recoveryCommit) {
              showToast({
                kind: 'info',
                sessionId,
                title: `Discarded ${r.discarded.length} file(s)`,
                body: `Recoverable from commit ${r.recoveryCommit.slice(0, 10)}.`,
              });
            }
          }),
      }),
  };
}

function Row({
  f,
  side,
  selected,
  onSelect,
  onToggle,
  onDiscard,
}: {
  f: ChangedFile;
  side: 'staged' | 'unstaged';
  selected: boolean;
  onSelect(): void;
  onToggle(): void;
  onDiscard?: () => void;
}) {
  const letter = f.conflicted ? 'U' : side === 'staged' ? f.staged : f.unstaged;
  return (
    <li className={selected ? 'change-row on' : 'change-row'} data-testid={`change-${side}-${f.path}`}>
      <button
        type="button"
        className="btn ghost icon small"
        onClick={onToggle}
        title={side === 'staged' ? 'Unstage' : f.conflicted ? 'Mark resolved (stage)' : 'Stage'}
        aria-label={`${side === 'staged' ? 'Unstage' : 'Stage'} ${f.path}`}
      >
        {side === 'staged' ? '−' : '+'}
      </button>
      <button type="button" className="change-name" onClick={onSelect} title={f.path}>
        <span className={`badge fs-${letter}`}>{letter === '?' ? 'U' : letter}</span>
        <span className="mono truncate">{f.path}</span>
      </button>
      <span className="diff-add mono">+{f.additions}</span>
      <span className="diff-del mono">−{f.deletions}</span>
      {onDiscard && (
        <button
          type="button"
          className="btn ghost icon small"
          onClick={onDiscard}
          title="Discard changes"
          aria-label={`Discard changes to ${f.path}`}
        >
          ✕
        </button>
      )}
    </li>
  );
}

/** The worktree's changes, staged and not, with stage/unstage/discard per file and for all. */
export function ChangedFiles({
  sessionId,
  selected,
  onSelect,
}: {
  sessionId: string;
  selected: string | null;
  onSelect(path: string): void;
}) {
  const changes = useChanges(sessionId);
  const act = useFileActions(sessionId);
  if (changes.isError) return <div className="error-box">{errorText(changes.error)}</div>;
  if (!changes.data) return <p className="muted">Reading changes…</p>;
  const files = changes.data.files;
  const staged = files.filter((f) => !f.untracked && f.staged !== '.' && !f.conflicted);
  const unstaged = files.filter((f) => f.untracked || f.unstaged !== '.' || f.conflicted);
  if (files.length === 0) return <p className="muted review-note">No uncommitted changes.</p>;
  return (
    <div className="changed-files" data-testid="changed-files">
      <div className="row section-head">
        <h4>Staged ({staged.length})</h4>
        <span className="spacer" />
        {staged.length > 0 && (
          <button type="button" className="btn ghost small" onClick={() => void act.unstage(staged.map((f) => f.path))}>
            Unstage all
          </button>
        )}
      </div>
      <ul className="change-list">
        {staged.map((f) => (
          <Row
            key={f.path}
            f={f}
            side="staged"
            selected={selected === f.path}
            onSelect={() => onSelect(f.path)}
            onToggle={() => void act.unstage([f.path])}
          />
        ))}
      </ul>
      <div className="row section-head">
        <h4>Changes ({unstaged.length})</h4>
        <span className="spacer" />
        {unstaged.length > 0 && (
          <>
            <button
              type="button"
              className="btn ghost small"
              data-testid="stage-all"
              onClick={() => void act.stage(unstaged.map((f) => f.path))}
            >
              Stage all
            </button>
            <button
              type="button"
              className="btn ghost small danger"
              data-testid="discard-all"
              onClick={() => act.discard(unstaged.filter((f) => !f.conflicted))}
            >
              Discard all…
            </button>
          </>
        )}
      </div>
      <ul className="change-list">
        {unstaged.map((f) => (
          <Row
            key={f.path}
            f={f}
            side="unstaged"
            selected={selected === f.path}
            onSelect={() => onSelect(f.path)}
            onToggle={() => void act.stage([f.path])}
            onDiscard={f.conflicted ? undefined : () => act.discard([f])}
          />
        ))}
      </ul>
    </div>
  );
}
