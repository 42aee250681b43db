import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { errorCode, errorText, useRequest } from '../../lib/queries';
import { closeTab } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';

const fixes: Record<string, string> = {
  DIRTY_WORKTREE: 'Tick “Commit my changes first” to keep them on the branch, or “Force” to throw them away.',
  UNMERGED_BRANCH: 'The branch has commits not on its base. Untick “Delete branch” to keep it, or tick “Force”.',
};

/** Ends a session and removes its worktree; refusals (uncommitted work…) are shown in place. */
export function TerminateDialog({ session: s, onClose }: { session: Session; onClose(): void }) {
  const terminate = useRequest('sessions.terminate');
  const [force, setForce] = useState(false);
  const [deleteBranch, setDeleteBranch] = useState(false);
  const [commit, setCommit] = useState(false);
  const [message, setMessage] = useState(`Work from session ${s.name}`);
  const code = terminate.isError ? errorCode(terminate.error) : null;

  const go = () =>
    terminate.mutate(
      { sessionId: s.id, force, deleteBranch, commitMessage: commit && message.trim() ? message.trim() : undefined },
      {
        onSuccess: () => {
          closeTab(s.id);
          onClose();
        },
      },
    );

  return (
    <Modal
      title={`Terminate “${s.name}”`}
      onClose={onClose}
      testId="terminate-dialog"
      footer={
        <>
          {terminate.isPending && <span className="spinner" />}
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn danger solid"
            data-testid="terminate-confirm"
            disabled={terminate.isPending}
            onClick={go}
          >
            {terminate.isPending ? 'Terminating…' : 'Terminate'}
          </button>
        </>
      }
    >
      <p className="muted" style={{ marginTop: 0 }}>
        Stops the program and removes the worktree <span className="mono">{s.worktreePath}</span>. The branch{' '}
        <span className="mono">{s.branch}</span> is kept unless you choose to delete it.
      </p>
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
        </div>
      )}
      <label className="check field">
        <input
          type="checkbox"
          checked={deleteBranch}
          data-testid="terminate-delete-branch"
          onChange={(e) => setDeleteBranch(e.target.checked)}
        />
        Delete the branch too
      </label>
      <label className="check field">
        <input
          type="checkbox"
          checked={force}
          data-testid="terminate-force"
          onChange={(e) => setForce(e.target.checked)}
        />
        Force — discard uncommitted changes and unmerged commits
      </label>
      {force && (
        <div className="warn-box">⚠ Force throws away work that is not committed or merged. It cannot be undone.</div>
      )}
      {terminate.isError && (
        <div className="error-box" data-testid="terminate-error" style={{ marginTop: 12 }}>
          {errorText(terminate.error)}
          {code && fixes[code] && <div style={{ marginTop: 6 }}>{fixes[code]}</div>}
        </div>
      )}
    </Modal>
  );
}
