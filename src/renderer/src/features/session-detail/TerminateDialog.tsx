import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { errorCode, errorText, useCommitPreview, useRemovalCheck, useRequest } from '../../lib/queries';
import { closeTab } from '../../lib/ui-store';
import { VerdictList } from '../safety/VerdictList';
import { Modal } from '../shell/Modal';

const fixes: Record<string, string> = {
  WORK_AT_RISK: 'Tick “Commit my changes first” to keep them on the branch, or “Discard exactly the listed work”.',
  CANNOT_VERIFY: 'Git could not say what is in the worktree. Fix the cause shown, or discard it knowingly.',
};

/**
 * Ends a session and removes its worktree. What that would lose is asked first (the one removal
 * check) and listed; discarding accepts exactly that list (its fingerprint), nothing added later.
 */
export function TerminateDialog({ session: s, onClose }: { session: Session; onClose(): void }) {
  const terminate = useRequest('sessions.terminate');
  const [discard, setDiscard] = useState(false);
  const [deleteBranch, setDeleteBranch] = useState(false);
  const [commit, setCommit] = useState(false);
  const [message, setMessage] = useState(`Work from session ${s.name}`);
  const check = useRemovalCheck(s.id, deleteBranch && !commit);
  const preview = useCommitPreview(s.id, commit);
  const verdict = check.data;
  const code = terminate.isError ? errorCode(terminate.error) : null;
  const atRisk = verdict && verdict.verdict !== 'safe';

  const go = () =>
    terminate.mutate(
      {
        sessionId: s.id,
        deleteBranch: deleteBranch && !commit,
        commitMessage: commit && message.trim() ? message.trim() : undefined,
        acceptLoss: discard && verdict ? verdict.fingerprint : undefined,
      },
      {
        onSuccess: () => {
          closeTab(s.id);
          onClose();
        },
        onError: () => void check.refetch(),
      },
    );

  return (
    <Modal
      title={`Terminate “${s.name}”`}
      onClose={onClose}
      testId="terminate-dialog"
      footer={
        <>
          {(terminate.isPending || check.isFetching) && <span className="spinner" />}
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn danger solid"
            data-testid="terminate-confirm"
            disabled={terminate.isPending || !verdict}
            onClick={go}
          >
            {terminate.isPending ? 'Terminating…' : discard && atRisk ? 'Discard and terminate' : 'Terminate'}
          </button>
        </>
      }
    >
      <p className="muted" style={{ marginTop: 0 }}>
        Stops the program and removes the worktree <span className="mono">{s.worktreePath}</span>. The branch{' '}
        <span className="mono">{s.branch}</span> is kept unless you choose to delete it.
      </p>
      {check.isError && <div className="error-box">{errorText(check.error)}</div>}
      {verdict && (
        <div style={{ marginBottom: 12 }}>
          <VerdictList verdict={verdict} testId="terminate-verdict" />
        </div>
      )}
      <label className="check field">
        <input
          type="checkbox"
          checked={commit}
          data-testid="terminate-commit"
          onChange={(e) => setCommit(e.target.checked)}
        />
        Commit my changes first
      </label>
      {commit && (
        <div className="field">
          <label htmlFor="term-msg">Commit message</label>
          <input id="term-msg" type="text" value={message} onChange={(e) => setMessage(e.target.value)} />
          {preview.data && (
            <div className="muted" data-testid="terminate-commit-preview" style={{ marginTop: 6 }}>
              Will commit {preview.data.commit.length} file(s)
              {preview.data.commit.length > 0 &&
                `: ${preview.data.commit
                  .map((c) => c.path)
                  .slice(0, 8)
                  .join(', ')}`}
              {preview.data.excluded.length > 0 &&
                ` — left out (placed by Multisession, unedited): ${preview.data.excluded.map((x) => x.path).join(', ')}`}
            </div>
          )}
        </div>
      )}
      <label className="check field">
        <input
          type="checkbox"
          checked={deleteBranch && !commit}
          disabled={commit}
          data-testid="terminate-delete-branch"
          onChange={(e) => setDeleteBranch(e.target.checked)}
        />
        Delete the branch too
      </label>
      {atRisk && (
        <label className="check field">
          <input
            type="checkbox"
            checked={discard}
            data-testid="terminate-force"
            onChange={(e) => {
              setDiscard(e.target.checked);
              // A refusal shown before is answered by this choice: do not leave it standing.
              terminate.reset();
            }}
          />
          Discard exactly the listed work
        </label>
      )}
      {discard && atRisk && (
        <div className="warn-box">
          ⚠ The items listed above are deleted for good. Anything that changes after this list was made is kept.
        </div>
      )}
      {terminate.isError && (
        <div className="error-box" data-testid="terminate-error" style={{ marginTop: 12 }}>
          {/* The list above already says what is at risk; the refusal only needs the way out. */}
          {code === 'WORK_AT_RISK'
            ? 'Not terminated: the worktree holds the work listed above.'
            : errorText(terminate.error)}
          {code && fixes[code] && <div style={{ marginTop: 6 }}>{fixes[code]}</div>}
        </div>
      )}
    </Modal>
  );
}
