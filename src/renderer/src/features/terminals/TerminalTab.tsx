import { useState, type DragEvent } from 'react';
import type { SessionStatus } from '../../../../shared/domain';
import { StatusDot, statusLabel } from './status-dot';

export const TAB_DRAG_TYPE = 'application/x-multisession-tab';

interface Props {
  sessionId: string;
  name: string;
  status: SessionStatus | null;
  active: boolean;
  onSelect(): void;
  onClose(): void;
  onMove(draggedId: string, after: boolean): void;
}

/** One tab of the terminal strip: status dot, name, close button; draggable to reorder. */
export function TerminalTab({ sessionId, name, status, active, onSelect, onClose, onMove }: Props) {
  const [dropSide, setDropSide] = useState<'before' | 'after' | null>(null);

  const sideOf = (e: DragEvent<HTMLDivElement>): 'before' | 'after' => {
    const r = e.currentTarget.getBoundingClientRect();
    return e.clientX > r.left + r.width / 2 ? 'after' : 'before';
  };

  const classes = ['term-tab'];
  if (active) classes.push('active');
  if (status === 'waiting') classes.push('waiting');
  if (dropSide) classes.push(`drop-${dropSide}`);

  return (
    <div
      className={classes.join(' ')}
      role="tab"
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      data-testid={`terminal-tab-${sessionId}`}
      title={status ? `${name} — ${statusLabel(status)}` : name}
      draggable
      onClick={onSelect}
      onMouseDown={(e) => {
        // Middle-click closes; stop the browser's autoscroll cursor.
        if (e.button === 1) e.preventDefault();
      }}
      onAuxClick={(e) => {
        if (e.button === 1) {
          e.preventDefault();
          onClose();
        }
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect();
        } else if (e.key === 'Delete') {
          onClose();
        }
      }}
      onDragStart={(e) => {
        e.dataTransfer.setData(TAB_DRAG_TYPE, sessionId);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(TAB_DRAG_TYPE)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'move';
        setDropSide(sideOf(e));
      }}
      onDragLeave={() => setDropSide(null)}
      onDrop={(e) => {
        const dragged = e.dataTransfer.getData(TAB_DRAG_TYPE);
        setDropSide(null);
        if (!dragged) return;
        e.preventDefault();
        e.stopPropagation();
        onMove(dragged, sideOf(e) === 'after');
      }}
    >
      {status ? <StatusDot status={status} /> : <span className="term-dot" />}
      <span className="term-tab-name">{name}</span>
      <button
        type="button"
        className="term-tab-close"
        title="Close tab (the session keeps running)"
        aria-label={`Close ${name}`}
        draggable={false}
        onClick={(e) => {
          e.stopPropagation();
          onClose();
        }}
      >
        ×
      </button>
    </div>
  );
}
