import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { BaseBar } from './BaseBar';
import { ChangedFiles } from './ChangedFiles';
import { CommitBox } from './CommitBox';
import { CommitList } from './CommitList';
import { DiffPanel } from './DiffPanel';
import { ForecastNote } from './ForecastNote';
import { ReviewActions } from './ReviewActions';
import './review.css';

/**
 * The detail pane's Changes tab: where the branch stands against its base, what is changed in the
 * worktree (stage, unstage, discard, commit), the branch's commits, and the way home (merge, push,
 * pull request). Everything refreshes from the worktree's own file and git activity.
 */
export function ChangesPanel({ session }: { session: Session }) {
  const [file, setFile] = useState<string | null>(null);
  const [commit, setCommit] = useState<string | null>(null);
  if (session.status === 'paused') {
    return (
      <p className="muted">
        Paused: the folder is freed and the work is committed on {session.branch}. Resume the session to review it here.
      </p>
    );
  }
  if (session.status === 'terminated' || session.worktreeMissing) {
    return <p className="muted">This session has no worktree any more; its branch {session.branch} is kept.</p>;
  }
  return (
    <div className="changes-panel" data-testid="detail-diff">
      <BaseBar session={session} />
      <ForecastNote session={session} />
      <ReviewActions session={session} />
      <section>
        <ChangedFiles
          sessionId={session.id}
          selected={file}
          onSelect={(p) => (setFile(p === file ? null : p), setCommit(null))}
        />
        <CommitBox sessionId={session.id} />
        {file && <DiffPanel sessionId={session.id} scope="branch" commit={null} focusPath={file} compact />}
      </section>
      <section>
        <h4>Commits</h4>
        <CommitList sessionId={session.id} selected={commit} onSelect={(c) => (setCommit(c), setFile(null))} />
        {commit && <DiffPanel sessionId={session.id} scope="commit" commit={commit} focusPath={null} compact />}
      </section>
    </div>
  );
}
