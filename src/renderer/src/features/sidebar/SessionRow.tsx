import type { MouseEvent } from 'react';
import type { Session, SessionMetrics } from '../../../../shared/domain';
import { isLive, typeLabels } from '../../lib/status';
import { StatusBadge } from '../shell/StatusBadge';

interface Props {
  session: Session;
  metrics: SessionMetrics | undefined;
  selected: boolean;
  active: boolean;
  onClick(e: MouseEvent): void;
  onToggle(): void;
}

/** One session in the sidebar: status, name, type, priority, branch and live resource use. */
export function SessionRow({ session: s, metrics, selected, active, onClick, onToggle }: Props) {
  const running = metrics && isLive(s.status);
  return (
    <li
      className={`session-row${active ? ' active' : ''}${selected ? ' selected' : ''}${s.status === 'waiting' ? ' waiting' : ''}`}
      data-testid={`sidebar-session-${s.id}`}
      data-status={s.status}
      onClick={onClick}
      title={`${s.name} — ${s.program} in ${s.worktreePath}`}
    >
      <input
        type="checkbox"
        checked={selected}
        aria-label={`Select ${s.name}`}
        data-testid={`sidebar-select-${s.id}`}
        onClick={(e) => e.stopPropagation()}
        onChange={onToggle}
      />
      <div className="session-main">
        <div className="session-line1">
          <span className="session-name truncate">{s.name}</span>
          {running && (
            <span className="session-res mono" title="CPU and memory of the program's process tree">
              {metrics.cpuPercent.toFixed(0)}% · {metrics.memoryMb.toFixed(0)} MB
            </span>
          )}
        </div>
        <div className="session-line2">
          <StatusBadge status={s.status} />
          <span className="faint">·</span>
          <span className="muted">{typeLabels[s.type]}</span>
          <span className="badge" title="Priority (10 normal, 1 lowest)">
            P{s.priority}
          </span>
        </div>
        <div className="session-line3 truncate mono faint" title={s.branch}>
          ⎇ {s.branch}
        </div>
      </div>
    </li>
  );
}
