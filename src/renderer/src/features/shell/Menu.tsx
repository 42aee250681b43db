import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  label: ReactNode;
  /** Shown right-aligned: a shortcut or a value. */
  hint?: string;
  disabled?: boolean;
  danger?: boolean;
  testId?: string;
  onSelect(): void;
}
export type MenuEntry = MenuItem | 'separator';

interface Props {
  x: number;
  y: number;
  items: MenuEntry[];
  label: string;
  onClose(): void;
  testId?: string;
}

/**
 * A popup menu at a point (context menu, overflow menu): arrow keys, Home/End and the first letter
 * move, Enter or Space chooses, Esc, Tab or a click elsewhere closes, and focus returns to where
 * it was. It stays inside the window at any size.
 */
export function Menu({ x, y, items, label, onClose, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({
      left: Math.max(4, Math.min(x, window.innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(y, window.innerHeight - r.height - 4)),
    });
  }, [x, y]);

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) closeRef.current();
    };
    const onBlur = () => closeRef.current();
    window.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  const move = (from: HTMLElement, to: 'next' | 'prev' | 'first' | 'last' | string) => {
    const list = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const enabled = list.filter((el) => el.getAttribute('aria-disabled') !== 'true');
    if (enabled.length === 0) return;
    const i = enabled.indexOf(from);
    let target: HTMLElement | undefined;
    if (to === 'next') target = enabled[(i + 1) % enabled.length];
    else if (to === 'prev') target = enabled[(i - 1 + enabled.length) % enabled.length];
    else if (to === 'first') target = enabled[0];
    else if (to === 'last') target = enabled[enabled.length - 1];
    else {
      const after = [...enabled.slice(i + 1), ...enabled.slice(0, i + 1)];
      target = after.find((el) => el.textContent?.trim().toLowerCase().startsWith(to));
    }
    target?.focus();
  };

  return createPortal(
    <div
      className="menu"
      role="menu"
      aria-label={label}
      ref={ref}
      style={{ left: pos.left, top: pos.top }}
      data-testid={testId}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        const from = e.target as HTMLElement;
        if (e.key === 'Escape' || e.key === 'Tab') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        } else if (e.key === 'ArrowDown') move(from, 'next');
        else if (e.key === 'ArrowUp') move(from, 'prev');
        else if (e.key === 'Home') move(from, 'first');
        else if (e.key === 'End') move(from, 'last');
        else if (e.key.length === 1 && /\S/.test(e.key)) move(from, e.key.toLowerCase());
        else return;
        e.preventDefault();
      }}
    >
      {items.map((item, i) =>
        item === 'separator' ? (
          <div key={`sep-${i}`} className="menu-sep" role="separator" />
        ) : (
          <div
            key={i}
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.disabled || undefined}
            className={item.danger ? 'menu-item danger' : 'menu-item'}
            data-testid={item.testId}
            onClick={() => {
              if (item.disabled) return;
              onClose();
              item.onSelect();
            }}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' && e.key !== ' ') return;
              e.preventDefault();
              e.stopPropagation();
              if (item.disabled) return;
              onClose();
              item.onSelect();
            }}
          >
            <span className="menu-label">{item.label}</span>
            {item.hint && <span className="menu-hint">{item.hint}</span>}
          </div>
        ),
      )}
    </div>,
    document.body,
  );
}
