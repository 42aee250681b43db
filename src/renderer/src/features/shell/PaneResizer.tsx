import { useRef } from 'react';

interface Props {
  label: string;
  /** Current width of the pane this handle resizes. */
  value: number;
  min: number;
  max: number;
  /** The pane grows when the handle moves right (sidebar) or left (detail pane). */
  grows: 'right' | 'left';
  onResize(width: number): void;
  onReset(): void;
  testId?: string;
}

const STEP = 16;

/**
 * A draggable, keyboard-operable splitter (WAI-ARIA window splitter): drag it, or focus it and
 * use ←/→ (Shift for bigger steps), Home/End for the limits; a double-click or Enter restores the
 * default width.
 */
export function PaneResizer({ label, value, min, max, grows, onResize, onReset, testId }: Props) {
  const drag = useRef<{ x: number; start: number } | null>(null);
  const sign = grows === 'right' ? 1 : -1;
  const clamp = (v: number) => Math.round(Math.max(min, Math.min(max, v)));
  return (
    <div
      className="pane-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={testId}
      title={`${label} — drag, or focus and use the arrow keys; double-click resets`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, start: value };
        document.body.classList.add('resizing');
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        onResize(clamp(drag.current.start + sign * (e.clientX - drag.current.x)));
      }}
      onPointerUp={(e) => {
        drag.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
        document.body.classList.remove('resizing');
      }}
      onDoubleClick={onReset}
      onKeyDown={(e) => {
        const step = e.shiftKey ? STEP * 4 : STEP;
        if (e.key === 'ArrowLeft') onResize(clamp(value - sign * step));
        else if (e.key === 'ArrowRight') onResize(clamp(value + sign * step));
        else if (e.key === 'Home') onResize(min);
        else if (e.key === 'End') onResize(max);
        else if (e.key === 'Enter') onReset();
        else return;
        e.preventDefault();
      }}
    />
  );
}
