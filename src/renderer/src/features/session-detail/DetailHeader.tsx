import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { errorText, useRequest } from '../../lib/queries';
import { isLive, typeLabels } from '../../lib/status';
import { StatusBadge } from '../shell/StatusBadge';
import { TerminateDialog } from './TerminateDialog';

/** Name, status, where the session works, and what can be done with it. */
export function DetailHeader({ session: s, onClose }: { session: Session; onClose(): void }) {
  const start = useRequest('sessions.start');
  const stop = useRequest('sessions.stop');
  const restart = useRequest('sessions.restart');
  const open = useRequest('system.openPath');
  const [copied, setCopied] = useState(false);
  const [terminating, setTerminating] = useState(false);
  const live = isLive(s.status) || s.status === 'queued';
  const ended = s.status === 'terminated';
  const pending = start.isPending || stop.isPending || restart.isPending;
  const error = start.error ?? stop.error ?? restart.error ?? open.error;

  const copyBranch = () => {
    void navigator.clipboard?.writeText(s.branch).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };

  return (
    <header className="detail-header">
      <div className="row">
        <h2 className="truncate" title={s.name} data-testid="detail-name">
          {s.name}
        </h2>
        <span className="spacer" />
        {!ended && (
          <button className="btn small danger" data-testid="detail-terminate" onClick={() => setTerminating(true)}>
            Terminate…
          </button>
        )}
        <button className="btn ghost icon small" onClick={onClose} title="Hide details" aria-label="Hide details">
          ✕
        </button>
      </div>
      <div className="row wrap detail-meta">
        <StatusBadge status={s.status} />
        <span className="badge">{typeLabels[s.type]}</span>
        <span className="badge" title="Priority (10 normal, 1 lowest)">
          Priority {s.priority}
        </span>
        {s.background && <span className="badge">Background</span>}
        <span className="badge mono" title="Program">
          {s.program}
        </span>
      </div>
      <div className="detail-kv">
        <span className="faint">Branch</span>
        <span className="row" style={{ minWidth: 0 }}>
          <span className="mono truncate" data-testid="detail-branch" title={s.branch}>
            {s.branch}
          </span>
          <button
            className="btn ghost small"
            onClick={copyBranch}
            data-testid="detail-copy-branch"
            title="Copy branch name"
          >
            {copied ? '✓ Copied' : 'Copy'}
          </button>
        </span>
        <span className="faint">Base</span>
        <span className="mono truncate">{s.baseBranch}</span>
        <span className="faint">Worktree</span>
        <span className="mono truncate" title={s.worktreePath} data-testid="detail-worktree">
          {s.worktreePath}
        </span>
      </div>
      {s.worktreeMissing && <div className="warn-box">Worktree missing: {s.worktreeMissing}</div>}
      {s.errorReason && s.status === 'error' && <div className="error-box">{s.errorReason}</div>}
      <div className="row wrap detail-actions">
        {!live && !ended && (
          <button
            className="btn small"
            data-testid="detail-start"
            disabled={pending}
            onClick={() => start.mutate({ sessionId: s.id })}
          >
            ▶ Start
          </button>
        )}
        {live && (
          <button
            className="btn small"
            data-testid="detail-stop"
            disabled={pending}
            onClick={() => stop.mutate({ sessionId: s.id })}
          >
            ■ Stop
          </button>
        )}
        {!ended && (
          <button
            className="btn small"
            data-testid="detail-restart"
            disabled={pending}
            onClick={() => restart.mutate({ sessionId: s.id })}
          >
            ↻ Restart
          </button>
        )}
        <button
          className="btn small"
          disabled={ended || Boolean(s.worktreeMissing)}
          onClick={() => open.mutate({ path: s.worktreePath, with: 'fileManager' })}
          title="Open the worktree in the file manager"
        >
          Open folder
        </button>
        <button
          className="btn small"
          disabled={ended || Boolean(s.worktreeMissing)}
          onClick={() => open.mutate({ path: s.worktreePath, with: 'editor' })}
          title="Open the worktree in your editor"
        >
          Open in editor
        </button>
        {pending && <span className="spinner" />}
      </div>
      {error && <div className="error-box">{errorText(error)}</div>}
      {terminating && <TerminateDialog session={s} onClose={() => setTerminating(false)} />}
    </header>
  );
}
