import { getUi, subscribeUi } from '../../lib/ui-store';
import { TerminalController } from './terminal-controller';

const controllers = new Map<string, TerminalController>();
let started = false;
let closedWhileTyping = false;
let switchedWhileTyping = false;

/**
 * A keyboard shortcut typed in a terminal switches tabs: the next terminal takes the focus in the
 * same commit, before the next key, so keys typed right after the shortcut reach it — not the
 * page (where they were dropped until the deferred show() focused it) and never the old terminal.
 */
export function noteSwitchWhileTyping(): void {
  switchedWhileTyping = true;
  // Consumed in the commit React flushes before the next task; never left for a later tab switch.
  setTimeout(() => {
    switchedWhileTyping = false;
  }, 0);
}

/** True once after noteSwitchWhileTyping. */
export function consumeSwitchWhileTyping(): boolean {
  const was = switchedWhileTyping;
  switchedWhileTyping = false;
  return was;
}

/** True once after a tab closed while its terminal had focus (then no other terminal takes focus by itself). */
export function consumeClosedWhileTyping(): boolean {
  const was = closedWhileTyping;
  closedWhileTyping = false;
  return was;
}

// Controllers follow the open tabs, not React: a tab's xterm survives view switches and remounts,
// and is disposed (with a detach) exactly when its tab closes (a removed session's tab is closed by
// ui-store's forgetSession).
function start(): void {
  if (started) return;
  started = true;
  subscribeUi(() => {
    const open = new Set(getUi().openTabs);
    for (const [id, c] of controllers) {
      if (!open.has(id)) {
        controllers.delete(id);
        if (c.hasFocus()) {
          closedWhileTyping = true;
          // Focus lands on the tab strip, not in the next session's program.
          requestAnimationFrame(() =>
            document.querySelector<HTMLElement>('.term-tabs [aria-selected="true"]')?.focus(),
          );
        }
        c.dispose();
      }
    }
  });
}

/** The live terminal of an open tab, created on first use. */
export function getTerminal(sessionId: string): TerminalController {
  start();
  let c = controllers.get(sessionId);
  if (!c) {
    c = new TerminalController(sessionId);
    controllers.set(sessionId, c);
  }
  return c;
}

/** The terminal of a tab if it already exists (for tests and focus handling). */
export function findTerminal(sessionId: string): TerminalController | undefined {
  return controllers.get(sessionId);
}
