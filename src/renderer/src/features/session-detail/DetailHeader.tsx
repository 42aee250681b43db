import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import {
  hasWorktreeFolder,
  isLiveStatus,
  isRestartableStatus,
  isStartableStatus,
  isTerminatedStatus,
} from '../../../../shared/session-state';
import { errorText, useRequest } from '../../lib/queries';
import { typeLabels } from '../../lib/status';
import { openSessionDialog } from '../../lib/ui-store';
import { StatusBadge } from '../shell/StatusBadge';
import { Menu } from '../shell/Menu';
import { copyText } from '../session-actions/session-actions';
import { sessionMenuItems } from '../session-actions/SessionContextMenu';
import { useOlderHostHolding } from '../older-host/held-by-older-host';

/** Name, status, where the session works, and what can be done with it. */
export function DetailHeader({ session: s, onClose }: { session: Session; onClose(): void }) {
  const start = useRequest('sessions.start');
  const stop = useRequest('sessions.stop');
  const restart = useRequest('sessions.restart');
  const open = useRequest('system.openPath');
  const recover = useRequest('sessions.recover');
  const heldBy = useOlderHostHolding(s.id);
  const held = heldBy !== null;
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const ended = isTerminatedStatus(s.status);
  const pending = start.isPending || stop.isPending || restart.isPending;
  const error = start.error ?? stop.error ?? restart.error ?? open.error ?? recover.error;
  const hasWorktree = hasWorktreeFolder(s.status) && !s.worktreeMissing;

  return (
    <header className="detail-header">
      <div className="row">
        <h2 className="truncate" title={s.name} data-testid="detail-name">
          {s.name}
        </h2>
        {!ended && (
          <button
            className="btn ghost small icon"
            data-testid="detail-rename"
            aria-label={`Rename ${s.name}`}
            title="Rename (F2 in the list)"
            onClick={() => openSessionDialog('edit-session', s.id, 'name')}
          >
            ✎
          </button>
        )}
        <span className="spacer" />
        {!ended && (
          <button
            className="btn small danger"
            data-testid="detail-terminate"
            onClick={() => openSessionDialog('terminate', s.id)}
          >
            Terminate…
          </button>
        )}
        <button
          className="btn ghost icon small"
          data-testid="detail-menu"
          aria-label={`More actions for ${s.name}`}
          aria-haspopup="menu"
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            setMenu({ x: r.left, y: r.bottom + 2 });
          }}
        >
          ⋯
        </button>
        <button className="btn ghost icon small" onClick={onClose} title="Hide details" aria-label="Hide details">
          ✕
        </button>
      </div>
      <div className="row wrap detail-meta">
        <StatusBadge status={s.status} heldBy={heldBy} />
        <span className="badge">{typeLabels[s.type]}</span>
        <button
          type="button"
          className="badge badge-button"
          data-testid="detail-priority"
          disabled={ended}
          title="Priority (10 normal, 1 lowest) — click to change priority and limits"
          onClick={() => openSessionDialog('edit-session', s.id, 'priority')}
        >
          Priority {s.priority}
        </button>
        {s.limits.memoryMb !== null && <span className="badge">≤ {s.limits.memoryMb} MB</span>}
        {s.limits.runtimeSec !== null && <span className="badge">≤ {Math.round(s.limits.runtimeSec / 60)} min</span>}
        {s.limitMechanism && (
          <span
            className="badge"
            data-testid="detail-limit-mechanism"
            title={
              s.limitMechanism === 'sampling'
                ? 'Limits are checked by sampling every few seconds (no cgroup available here)'
                : 'Memory, process count and CPU share are enforced by the kernel in this session’s own cgroup; escaped background processes count too'
            }
          >
            {s.limitMechanism === 'sampling'
              ? 'Limits: sampled'
              : `Limits: kernel (${s.limitMechanism.replace('cgroup-', 'cgroup ')})`}
          </span>
        )}
        {s.passEnv.length > 0 && (
          <span
            className="badge"
            data-testid="detail-passenv"
            title={`Host variables this session gets on top of the allow-list: ${s.passEnv.join(', ')}`}
          >
            +{s.passEnv.length} host variable{s.passEnv.length === 1 ? '' : 's'}
          </span>
        )}
        {s.background && <span className="badge">Background</span>}
        <span className="badge mono" title="Program">
          {s.program.split('/').pop()}
        </span>
      </div>
      <div className="detail-kv">
        <span className="faint">Branch</span>
        <span className="row kv-value">
          <span className="mono truncate" data-testid="detail-branch" title={s.branch}>
            {s.branch}
          </span>
          <button
            className="btn ghost small"
            onClick={() => void copyText(s.branch, 'the branch name')}
            data-testid="detail-copy-branch"
            aria-label="Copy branch name"
            title="Copy branch name"
          >
            Copy
          </button>
        </span>
        <span className="faint">Base</span>
        <span className="mono truncate">{s.baseBranch}</span>
        <span className="faint">Worktree</span>
        <span className="row kv-value">
          <span className="mono truncate" title={s.worktreePath} data-testid="detail-worktree">
            {s.worktreePath}
          </span>
          <button
            className="btn ghost small"
            onClick={() => void copyText(s.worktreePath, 'the worktree path')}
            data-testid="detail-copy-worktree"
            aria-label="Copy worktree path"
            title="Copy worktree path"
            disabled={!s.worktreePath}
          >
            Copy
          </button>
        </span>
      </div>
      {s.worktreeMissing && <div className="warn-box">Worktree missing: {s.worktreeMissing}</div>}
      {s.status === 'paused' && (
        <div className="info-box" data-testid="detail-paused">
          Paused — folder freed, work committed on <code>{s.branch}</code>
          {s.paused?.wip ? ` (${s.paused.wip.slice(0, 10)})` : ' (nothing was uncommitted)'}. Resume recreates{' '}
          {s.worktreePath} with every file as it was and continues the conversation.
        </div>
      )}

      {s.errorReason && s.status === 'error' && <div className="error-box">{s.errorReason}</div>}
      {s.errorReason && s.status !== 'error' && (
        // Why the program is not running though nothing failed: hibernated under memory pressure,
        // or still running in an older terminal host.
        <div className="warn-box" data-testid="detail-reason">
          {s.errorReason}
        </div>
      )}
      {s.recovery === 'interrupted-create' && (
        // The host stopped while creating it: keep what is in the worktree, or remove it (the
        // terminate dialog lists what that would lose first).
        <div className="row wrap detail-actions" data-testid="detail-recovery">
          <button
            className="btn small primary"
            data-testid="detail-recover"
            disabled={recover.isPending}
            onClick={() => recover.mutate({ sessionId: s.id })}
          >
            Keep the worktree
          </button>
          <button
            className="btn small"
            data-testid="detail-recover-remove"
            onClick={() => openSessionDialog('terminate', s.id)}
          >
            Remove it…
          </button>
        </div>
      )}
      <div className="row wrap detail-actions">
        {isStartableStatus(s.status) && (
          <button
            className="btn small"
            data-testid="detail-start"
            disabled={pending}
            onClick={() => start.mutate({ sessionId: s.id })}
          >
            ▶ Start
          </button>
        )}
        {isLiveStatus(s.status) && (
          <button
            className="btn small"
            data-testid="detail-stop"
            disabled={pending}
            onClick={() => stop.mutate({ sessionId: s.id })}
          >
            ■ Stop
          </button>
        )}
        {isRestartableStatus(s.status) && (
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
          disabled={!hasWorktree}
          onClick={() => open.mutate({ path: s.worktreePath, with: 'fileManager' })}
          title="Open the worktree in the file manager"
        >
          Open folder
        </button>
        <button
          className="btn small"
          disabled={!hasWorktree}
          onClick={() => open.mutate({ path: s.worktreePath, with: 'editor' })}
          title="Open the worktree in your editor"
        >
          Open in editor
        </button>
        {pending && <span className="spinner" aria-label="Working" />}
      </div>
      {error && (
        <div className="error-box" role="alert">
          {errorText(error)}
        </div>
      )}
      {menu && (
        <Menu
          x={menu.x}
          y={menu.y}
          label={`Actions for ${s.name}`}
          items={sessionMenuItems(s, false, held)}
          onClose={() => setMenu(null)}
          testId="session-menu"
        />
      )}
    </header>
  );
}
