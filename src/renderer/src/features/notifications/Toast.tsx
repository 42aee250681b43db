import { useEffect, useRef } from 'react';
import type { ToastItem } from './NotificationsHost';

const DISMISS_MS = 6000;

const icons: Record<ToastItem['kind'], string> = {
  waiting: '⏳',
  exited: '■',
  error: '⚠',
  info: 'ℹ',
  finished: '✓',
  limit: '⛔',
};

interface Props {
  toast: ToastItem;
  onOpen(): void;
  onDismiss(): void;
}

/** One toast: dismisses itself after ~6 s (paused while hovered); a click opens the session's tab. */
export function Toast({ toast, onOpen, onDismiss }: Props) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dismissRef = useRef(onDismiss);
  dismissRef.current = onDismiss;

  const arm = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => dismissRef.current(), DISMISS_MS);
  };
  const disarm = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };

  useEffect(() => {
    arm();
    return disarm;
  }, []);

  const clickable = toast.sessionId !== null;
  return (
    <div
      className={`toast toast-${toast.kind}${clickable ? ' clickable' : ''}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-kind={toast.kind}
      onMouseEnter={disarm}
      onMouseLeave={arm}
      onClick={clickable ? onOpen : undefined}
      title={clickable ? 'Open this session’s terminal' : undefined}
    >
      <span className="toast-icon" aria-hidden>
        {icons[toast.kind]}
      </span>
      <div className="toast-text">
        <div className="toast-title">{toast.title}</div>
        {toast.body && <div className="toast-body">{toast.body}</div>}
      </div>
      <button
        type="button"
        className="toast-close"
        aria-label="Dismiss"
        onClick={(e) => {
          e.stopPropagation();
          onDismiss();
        }}
      >
        ×
      </button>
    </div>
  );
}
