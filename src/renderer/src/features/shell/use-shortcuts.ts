import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { closeTab, getUi, openSessionDialog, openTab, openWizard, setUi } from '../../lib/ui-store';
import { runDefaultPreset } from '../batch/run-batch';
import { focusNextRegion } from './focus-regions';
import { cachedSessions, useSettings } from '../../lib/queries';
import { commandFor, isTerminalTarget, setCommandsToSkipShell, type CommandId } from './keybindings';
import { noteSwitchWhileTyping } from '../terminals/terminal-registry';

/** Whether keystrokes belong to a text field (terminals included), not to app shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Runs a tab command; false when it does not apply (no tabs, another view). */
function runTabCommand(id: CommandId, digit: number, inTerminal: boolean): boolean {
  const ui = getUi();
  const go = (sessionId: string) => {
    // Typing in a terminal: the next one takes the keys at once (terminal-registry).
    if (inTerminal && sessionId !== ui.selectedId) noteSwitchWhileTyping();
    openTab(sessionId);
  };
  const tabs = ui.openTabs;
  const at = ui.selectedId ? tabs.indexOf(ui.selectedId) : -1;
  switch (id) {
    case 'tabs.next':
    case 'tabs.previous': {
      if (tabs.length === 0) return false;
      const step = id === 'tabs.next' ? 1 : -1;
      go(tabs[(at + step + tabs.length) % tabs.length]);
      return true;
    }
    case 'tabs.goTo': {
      const target = tabs[digit - 1];
      if (!target) return false;
      go(target);
      return true;
    }
    case 'tabs.close':
      if (ui.view !== 'sessions' || !ui.selectedId || at < 0) return false;
      closeTab(ui.selectedId);
      return true;
    default:
      // Terminal commands (copy, paste, find) are the terminal's own (terminal-keys.ts).
      return false;
  }
}

/** The app-wide keyboard shortcuts listed in the help overlay. */
export function useShortcuts(): void {
  const qc = useQueryClient();
  const skipShell = useSettings().data?.commandsToSkipShell ?? null;
  useEffect(() => setCommandsToSkipShell(skipShell), [skipShell]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = getUi();
      const mod = e.ctrlKey || e.metaKey;
      // F6 leaves (and reaches) the terminal: it is the keyboard's way between regions.
      if (e.key === 'F6' && !mod && !e.altKey && !ui.dialog && !ui.wizard.open) {
        if (focusNextRegion(e.shiftKey)) {
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      const inTerminal = isTerminalTarget(e.target);
      // In a terminal only the commands of the skip list act; every other key is the program's.
      const command = commandFor(e, inTerminal);
      if (command && runTabCommand(command.id, command.digit, inTerminal)) {
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      if (inTerminal) return;
      // Outside a terminal the short forms work too (where the browser lets the page have them).
      if (mod && !e.altKey && /^[1-9]$/.test(e.key)) {
        const id = ui.openTabs[Number(e.key) - 1];
        if (id) {
          e.preventDefault();
          openTab(id);
        }
        return;
      }
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'w' && runTabCommand('tabs.close', 0, false)) {
        e.preventDefault();
        return;
      }
      if (e.key === 'Escape') {
        if (ui.dialog) setUi({ dialog: null });
        else if (ui.wizard.open) setUi({ wizard: { open: false, repoPath: null } });
        return;
      }
      if (mod || e.altKey || isTyping(e.target)) return;
      if (ui.dialog || ui.wizard.open) return;
      const hasSessions = cachedSessions(qc).length > 0;
      switch (e.key) {
        case 'n':
        case 'N':
          if (e.shiftKey) return;
          openWizard();
          break;
        case 'b':
          if (hasSessions) void runDefaultPreset(qc);
          break;
        case 'B':
          if (hasSessions) setUi({ dialog: 'broadcast' });
          break;
        case '/':
          // The search lives in the sidebar: bring it back first when it is collapsed.
          setUi({ sidebarCollapsed: false, view: ui.view });
          requestAnimationFrame(() =>
            document.querySelector<HTMLInputElement>('[data-testid="toolbar-search"]')?.focus(),
          );
          break;
        case '?':
          setUi({ dialog: 'help' });
          break;
        case 'a':
        case 'A':
          setUi((s) => ({ view: s.view === 'analytics' ? 'sessions' : 'analytics' }));
          break;
        case ',':
          setUi((s) => ({ view: s.view === 'settings' ? 'sessions' : 'settings' }));
          break;
        case '[':
          setUi((s) => ({ sidebarCollapsed: !s.sidebarCollapsed }));
          break;
        case ']':
          setUi((s) => ({ detailOpen: !s.detailOpen }));
          break;
        case 'F2':
          if (!ui.selectedId) return;
          openSessionDialog('edit-session', ui.selectedId, 'name');
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    // Capture phase, so tab shortcuts still work while a terminal has focus.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [qc]);
}
