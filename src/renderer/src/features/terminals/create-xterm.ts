import { Terminal } from '@xterm/xterm';
import type { FitAddon } from '@xterm/addon-fit';
import type { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { getClient } from '../../lib/client';
import { currentThemeMode, terminalTheme, watchThemeMode } from './terminal-theme';
import { handleTerminalKey } from './terminal-keys';
import { openExternalLink } from './open-link';

/**
 * A session's xterm (not yet on the page), wired the app's way: Unicode 11 widths, links, search,
 * copy on select, the terminal's own shortcuts, theme changes, and keys sent as the session's input.
 * `dispose` undoes the wiring and disposes the xterm.
 */
export function createXterm(o: { sessionId: string; fit: FitAddon; search: SearchAddon; openSearch: () => void }): {
  term: Terminal;
  dispose: () => void;
} {
  const term = new Terminal({
    allowProposedApi: true,
    cursorBlink: true,
    fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Courier New", monospace',
    fontSize: 13,
    lineHeight: 1.15,
    scrollback: 10_000,
    theme: terminalTheme(currentThemeMode()),
    macOptionIsMeta: true,
  });
  // The width table the programs and the host's headless terminal use: emoji and CJK are two cells.
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  term.loadAddon(o.fit);
  term.loadAddon(o.search);
  term.loadAddon(new WebLinksAddon((event, uri) => openExternalLink(event, uri)));
  term.attachCustomKeyEventHandler((ev) => handleTerminalKey(ev, term, o.openSearch));
  const input = term.onData((data) => {
    void getClient().request('terminals.input', { sessionId: o.sessionId, data });
  });
  const selection = term.onSelectionChange(() => {
    // Copy on select, like most Linux terminals; Ctrl+Shift+C copies explicitly.
    const text = term.getSelection();
    if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
  });
  const unwatch = watchThemeMode((mode) => (term.options.theme = terminalTheme(mode)));
  return {
    term,
    dispose: () => {
      input.dispose();
      selection.dispose();
      unwatch();
      term.dispose();
    },
  };
}
