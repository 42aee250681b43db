import { afterPaint } from '../../lib/after-paint';

/** How long a held blur may wait for a frame (a hidden window draws none). */
const LATEST_MS = 200;

/**
 * Holds xterm's blur until the frame after it is painted. When its input loses focus, xterm redraws
 * every row of the terminal at once (DomRenderer.handleBlur; the WebGL renderer redraws the whole
 * viewport in the next frame) — inside the very click that moved the focus to a sidebar row or a
 * tab, where the dirtied rows then cost a forced layout of the terminal before that click's frame
 * (bench renderer, 100 sessions). The browser's blur event is stopped on its way to xterm's input
 * (capture phase, on the terminal's host element) and given to xterm after the next frame, unless
 * the focus came back first — then xterm hears neither, as nothing changed for it (no focus report
 * `ESC [ O` / `ESC [ I` pair reaches a program that asked for them). When the whole window loses
 * focus (no frame may come) xterm hears the blur at once.
 * Returns the undo.
 */
export function deferBlur(host: HTMLElement): () => void {
  type Timer = ReturnType<typeof setTimeout>;
  let held: { input: HTMLTextAreaElement; cancelPaint: () => void; latest: Timer } | null = null;
  let delivering = false;

  const release = (): HTMLTextAreaElement | null => {
    if (!held) return null;
    const { input, cancelPaint, latest } = held;
    cancelPaint();
    clearTimeout(latest);
    held = null;
    return input;
  };
  const deliver = () => {
    const input = release();
    if (!input || document.activeElement === input) return;
    delivering = true;
    try {
      input.dispatchEvent(new FocusEvent('blur'));
    } finally {
      delivering = false;
    }
  };

  const onBlur = (ev: FocusEvent) => {
    const input = ev.target;
    if (delivering || !(input instanceof HTMLTextAreaElement) || !document.hasFocus()) return;
    ev.stopPropagation();
    release();
    held = {
      input,
      cancelPaint: afterPaint(deliver),
      latest: setTimeout(deliver, LATEST_MS),
    };
  };
  const onFocus = (ev: FocusEvent) => {
    if (!held || ev.target !== held.input) return;
    release();
    ev.stopPropagation();
  };
  host.addEventListener('blur', onBlur, true);
  host.addEventListener('focus', onFocus, true);
  return () => {
    host.removeEventListener('blur', onBlur, true);
    host.removeEventListener('focus', onFocus, true);
    release();
  };
}
