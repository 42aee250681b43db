import { memo, useState, type DragEvent, type MouseEvent } from 'react';
import { useSession } from '../../lib/queries';
import { StatusDot, statusLabel } from './status-dot';

export const TAB_DRAG_TYPE = 'application/x-multisession-tab';

interface Props {
  sessionId: string;
  active: boolean;
  onSelect(sessionId: string): void;
  onClose(sessionId: string): void;
  onMove(draggedId: string, targetId: string, after: boolean): void;
  /** Arrow keys move along the strip (roving tabindex, as WAI-ARIA tabs do). */
  onArrow(sessionId: string, dir: -1 | 1 | 'first' | 'last'): void;
  onContextMenu(sessionId: string, e: MouseEvent | { clientX: number; clientY: number }): void;
}

/**
 * One tab of the terminal strip: status dot, name, close button; draggable to reorder. The tab
 * list holds only `tab` elements for assistive technology; the close cross is a mouse affordance
 * beside it, and keyboard users close with Delete, Ctrl+W or the context menu (Shift+F10).
 */
export const TerminalTab = memo(function TerminalTab({
  sessionId,
  active,
  onSelect,
  onClose,
  onMove,
  onArrow,
  onContextMenu,
}: Props) {
  const [dropSide, setDropSide] = useState<'before' | 'after' | null>(null);
  const session = useSession(sessionId);
  const name = session?.name ?? 'Loading…';
  const status = session?.status ?? null;

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
      role="presentation"
      data-testid={`terminal-tab-${sessionId}`}
      data-active={active || undefined}
      title={status ? `${name} — ${statusLabel(status)}` : name}
      draggable
      onClick={() => onSelect(sessionId)}
      onMouseDown={(e) => {
        // Middle-click closes; stop the browser's autoscroll cursor.
        if (e.button === 1) e.preventDefault();
      }}
      onAuxClick={(e) => {
        if (e.button === 1) {
          e.preventDefault();
          onClose(sessionId);
        }
      }}
      onContextMenu={(e) => onContextMenu(sessionId, e)}
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
        onMove(dragged, sessionId, sideOf(e) === 'after');
      }}
    >
      <span
        className="term-tab-label"
        role="tab"
        aria-selected={active}
        tabIndex={active ? 0 : -1}
        id={`tab-${sessionId}`}
        aria-controls={`tabpanel-${sessionId}`}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSelect(sessionId);
          } else if (e.key === 'Delete') {
            e.preventDefault();
            onClose(sessionId);
          } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
            e.preventDefault();
            onArrow(sessionId, e.key === 'ArrowLeft' ? -1 : 1);
          } else if (e.key === 'Home' || e.key === 'End') {
            e.preventDefault();
            onArrow(sessionId, e.key === 'Home' ? 'first' : 'last');
          } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
            e.preventDefault();
            const r = e.currentTarget.getBoundingClientRect();
            onContextMenu(sessionId, { clientX: r.left, clientY: r.bottom });
          }
        }}
      >
        {status ? <StatusDot status={status} /> : <span className="term-dot" />}
        <span className="term-tab-name">{name}</span>
      </span>
      {/* Mouse only: inside a tab list only tabs may be announced; keys close with Delete or Ctrl+W. */}
      <span
        className="term-tab-close"
        title="Close tab (the session keeps running)"
        aria-hidden="true"
        data-testid="close-tab"
        draggable={false}
        onClick={(e) => {
          e.stopPropagation();
          onClose(sessionId);
        }}
      >
        ×
      </span>
    </div>
  );
});
