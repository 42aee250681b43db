import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { Session } from '../../../../shared/domain';
import { needsInput } from '../../../../shared/session-state';
import { useLatestMetrics } from '../../lib/queries';
import { liveResources, typeLabels } from '../../lib/status';
import { StatusBadge } from '../shell/StatusBadge';
import { useOlderHostHolding } from '../older-host/held-by-older-host';
import { ReviewBadges } from '../review/ReviewBadges';

interface Props {
  session: Session;
  selected: boolean;
  current: boolean;
  /** The row that takes Tab focus in the list (roving tabindex). */
  focusTarget: boolean;
  onOpen(id: string, e: MouseEvent | KeyboardEvent): void;
  onToggle(id: string): void;
  onKey(id: string, e: KeyboardEvent<HTMLButtonElement>): void;
  onContextMenu(id: string, x: number, y: number): void;
}

/**
 * One session in the sidebar: status, name, type, priority, branch and live resource use. The
 * checkbox (batch selection) and the row button (open the terminal) are siblings, so each is one
 * control for keyboards and screen readers; Space on the row toggles the checkbox.
 */
export const SessionRow = memo(function SessionRow({
  session: s,
  selected,
  current,
  focusTarget,
  onOpen,
  onToggle,
  onKey,
  onContextMenu,
}: Props) {
  const res = liveResources(s, useLatestMetrics(s.id));
  const heldBy = useOlderHostHolding(s.id);
  const classes = ['session-row'];
  if (current) classes.push('active');
  if (selected) classes.push('selected');
  if (needsInput(s.status)) classes.push('waiting');
  return (
    <li
      className={classes.join(' ')}
      data-testid={`sidebar-session-${s.id}`}
      data-status={s.status}
      data-current={current || undefined}
      onContextMenu={(e) => {
        e.preventDefault();
        onContextMenu(s.id, e.clientX, e.clientY);
      }}
    >
      <input
        type="checkbox"
        checked={selected}
        tabIndex={-1}
        aria-label={`Select ${s.name} for batch runs`}
        data-testid={`sidebar-select-${s.id}`}
        onChange={() => onToggle(s.id)}
      />
      <button
        type="button"
        className="session-main"
        data-session-id={s.id}
        tabIndex={focusTarget ? 0 : -1}
        aria-current={current || undefined}
        title={`${s.name} — ${s.program} in ${s.worktreePath}`}
        onClick={(e) => onOpen(s.id, e)}
        onKeyDown={(e) => onKey(s.id, e)}
      >
        <span className="session-line1">
          <span className="session-name truncate">{s.name}</span>
          {res && (
            <span className="session-res mono" title="CPU and memory of the program's process tree">
              {res.cpuPercent.toFixed(0)}% · {res.memoryMb.toFixed(0)} MB
            </span>
          )}
        </span>
        <span className="session-line2">
          <StatusBadge status={s.status} heldBy={heldBy} />
          <span className="faint" aria-hidden>
            ·
          </span>
          <span className="muted">{typeLabels[s.type]}</span>
          <span className="badge" title="Priority (10 normal, 1 lowest)">
            P{s.priority}
          </span>
          <ReviewBadges sessionId={s.id} />
        </span>
        <span className="session-line3 truncate mono faint" title={s.branch}>
          ⎇ {s.branch || '(branch not created yet)'}
        </span>
      </button>
    </li>
  );
});
