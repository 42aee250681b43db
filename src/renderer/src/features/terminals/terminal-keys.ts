import type { Terminal } from '@xterm/xterm';
import { commandFor } from '../shell/keybindings';

/**
 * The terminal's own shortcuts (copy, paste, select all, find), checked before xterm turns a key into input.
 * Returns false for keys that belong to the app — these and the app's skip-list chords never reach
 * the program; every other key, Ctrl+F, Ctrl+W and Ctrl+R included, does.
 */
export function handleTerminalKey(ev: KeyboardEvent, term: Terminal, openSearch: () => void): boolean {
  const command = commandFor(ev, true);
  if (!command) return true;
  if (ev.type !== 'keydown') return false;
  switch (command.id) {
    case 'terminal.copy': {
      const text = term.getSelection();
      if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
      break;
    }
    case 'terminal.paste':
      navigator.clipboard
        ?.readText()
        .then((text) => text && term.paste(text))
        .catch(() => undefined);
      break;
    case 'terminal.selectAll':
      // Copy-on-select (terminal-controller) puts it on the clipboard.
      term.selectAll();
      break;
    case 'terminal.find':
      openSearch();
      break;
    default:
      // Tab commands run in the window's shortcut handler, which saw this key first.
      break;
  }
  ev.preventDefault();
  return false;
}
