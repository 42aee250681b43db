import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CleanupReport } from '../../../../shared/domain';
import { errorText, keys, useCleanupPreview, useRequest } from '../../lib/queries';
import { Modal } from '../shell/Modal';
import { CleanupList } from './CleanupList';

/** Preview what cleanup removes and what it keeps because it still holds work; then run it. */
export function CleanupDialog({ onClose }: { onClose(): void }) {
  const qc = useQueryClient();
  const preview = useCleanupPreview(true);
  const run = useRequest('cleanup.run');
  const [force, setForce] = useState(false);
  const [result, setResult] = useState<CleanupReport | null>(null);
  const p = preview.data;
  // Force accepts exactly the listed loss of each kept item that may be removed at all.
  const acceptable = (p?.kept ?? []).flatMap((k) =>
    k.verdict && k.verdict.verdict !== 'safe' ? [k.verdict.fingerprint] : [],
  );
  const nothing = p && p.removed.length === 0 && (!force || acceptable.length === 0);

  const go = () =>
    run.mutate(
      { accept: force ? acceptable : [] },
      {
        onSuccess: (r) => {
          setResult(r);
          void qc.invalidateQueries({ queryKey: keys.sessions });
          void qc.invalidateQueries({ queryKey: keys.cleanupPreview });
        },
      },
    );

  return (
    <Modal
      title="Clean up worktrees and records"
      onClose={onClose}
      wide
      testId="cleanup-dialog"
      footer={
        result ? (
          <>
            <span className="spacer" />
            <button className="btn primary" onClick={onClose}>
              Done
            </button>
          </>
        ) : (
          <>
            <label className="check" title="Also remove what holds uncommitted changes or unmerged commits">
              <input
                type="checkbox"
                checked={force}
                data-testid="cleanup-force"
                onChange={(e) => setForce(e.target.checked)}
              />
              Force — also remove kept items
            </label>
            <span className="spacer" />
            {run.isPending && <span className="spinner" />}
            <button className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              className={force ? 'btn danger solid' : 'btn primary'}
              data-testid="cleanup-run"
              disabled={!p || run.isPending || Boolean(nothing)}
              onClick={go}
            >
              {run.isPending ? 'Cleaning…' : force ? 'Force clean up' : 'Clean up'}
            </button>
          </>
        )
      }
    >
      {preview.isLoading && (
        <div className="row muted">
          <span className="spinner" /> Checking worktrees, branches and records…
        </div>
      )}
      {preview.isError && <div className="error-box">{errorText(preview.error)}</div>}
      {run.isError && <div className="error-box">{errorText(run.error)}</div>}
      {force && !result && (
        <div className="warn-box" data-testid="cleanup-force-warning" style={{ marginBottom: 12 }}>
          ⚠ Force deletes exactly the work listed under the kept items below (folders Multisession did not create are
          never touched). Anything that changes after this list was made is still kept. This cannot be undone.
        </div>
      )}
      {result ? (
        <div data-testid="cleanup-result">
          <div className="ok-box" style={{ marginBottom: 12 }}>
            Removed {result.removed.length} item{result.removed.length === 1 ? '' : 's'}
            {result.kept.length > 0 ? `; kept ${result.kept.length} that still hold work.` : '.'}
          </div>
          <CleanupList title="Removed" items={result.removed} testId="cleanup-removed" tone="remove" />
          <CleanupList title="Kept" items={result.kept} testId="cleanup-kept" tone="keep" />
        </div>
      ) : (
        p && (
          <>
            {p.removed.length === 0 && p.kept.length === 0 && (
              <p className="muted" data-testid="cleanup-nothing">
                Nothing to clean up: every worktree belongs to a live session.
              </p>
            )}
            <CleanupList title="Will be removed" items={p.removed} testId="cleanup-removed" tone="remove" />
            <CleanupList
              title={force ? 'Still holds work — will be removed (force)' : 'Kept — still holds work'}
              items={p.kept}
              testId="cleanup-kept"
              tone={force ? 'remove' : 'keep'}
            />
          </>
        )
      )}
    </Modal>
  );
}
