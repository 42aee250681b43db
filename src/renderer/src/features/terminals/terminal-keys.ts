import type { Terminal } from '@xterm/xterm';

const isMac = navigator.platform.toLowerCase().includes('mac');

/**
 * The terminal's own shortcuts, checked before xterm turns a key into input:
 * Ctrl+Shift+C / Cmd+C copy, Ctrl+Shift+V / Cmd+V paste, Ctrl+F / Ctrl+Shift+F / Cmd+F find.
 * Returns false for keys it handled so they never reach the program.
 */
export function handleTerminalKey(ev: KeyboardEvent, term: Terminal, openSearch: () => void): boolean {
  if (ev.type !== 'keydown') return !isShortcut(ev);
  const key = ev.key.toLowerCase();
  const mod = isMac ? ev.metaKey : ev.ctrlKey && ev.shiftKey;
  if (mod && key === 'c') {
    const text = term.getSelection();
    if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
    ev.preventDefault();
    return false;
  }
  if (mod && key === 'v') {
    ev.preventDefault();
    navigator.clipboard
      ?.readText()
      .then((text) => text && term.paste(text))
      .catch(() => undefined);
    return false;
  }
  if (isFind(ev)) {
    ev.preventDefault();
    openSearch();
    return false;
  }
  return true;
}

function isFind(ev: KeyboardEvent): boolean {
  return ev.key.toLowerCase() === 'f' && (isMac ? ev.metaKey : ev.ctrlKey) && !ev.altKey;
}

function isShortcut(ev: KeyboardEvent): boolean {
  const key = ev.key.toLowerCase();
  const mod = isMac ? ev.metaKey : ev.ctrlKey && ev.shiftKey;
  return (mod && (key === 'c' || key === 'v')) || isFind(ev);
}
