import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';

interface ModalProps {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
  /** Extra header content, right-aligned before the close button. */
  headerExtra?: ReactNode;
}

/** Where each open dialog sends focus back to (so a dialog opened from a closing one can too). */
const returnTargets = new WeakMap<Element, HTMLElement>();

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A dialog over the app: Esc or a click on the backdrop closes it, Tab stays inside it, and focus
 * goes back where it was when it closes.
 */
export function Modal({ title, onClose, children, footer, wide, testId, headerExtra }: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const titleId = useId();
  // Read while rendering: by the time effects run, an autoFocus field inside has taken focus.
  const [returnTo] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    // Opened from a dialog that is closing now (confirm → results): inherit that dialog's target.
    const opener = returnTo?.closest('[role="dialog"]');
    const inherited = opener ? returnTargets.get(opener) : undefined;
    if (ref.current && returnTo) returnTargets.set(ref.current, returnTo);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        closeRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    // A control that asked for focus (autoFocus) keeps it; otherwise the first field or the main button.
    if (!ref.current?.contains(document.activeElement)) {
      const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button.primary');
      first?.focus();
    }
    return () => {
      window.removeEventListener('keydown', onKey);
      if (returnTo?.isConnected) returnTo.focus();
      else if (inherited?.isConnected) inherited.focus();
    };
  }, [returnTo]);
  const trapTab = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(focusable)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={wide ? 'modal wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        ref={ref}
        onKeyDown={trapTab}
      >
        <div className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <span className="spacer" />
          {headerExtra}
          <button className="btn ghost icon" onClick={onClose} aria-label="Close" title="Close (Esc)">
            ✕
          </button>
        </div>
        {/* Focusable so a long body (help, results) scrolls from the keyboard. */}
        <div className="modal-body" tabIndex={0}>
          {children}
        </div>
        {footer && <div className="modal-footer">{footer}</div>}
      </div>
    </div>
  );
}
