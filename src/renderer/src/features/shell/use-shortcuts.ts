import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { closeTab, getUi, openSessionDialog, openTab, openWizard, setUi } from '../../lib/ui-store';
import { runDefaultPreset } from '../batch/run-batch';
import { focusNextRegion } from './focus-regions';
import { cachedSessions } from '../../lib/queries';

/** Whether keystrokes belong to a text field (terminals included), not to app shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** The app-wide keyboard shortcuts listed in the help overlay. */
export function useShortcuts(): void {
  const qc = useQueryClient();
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
      // Tab switching works even from inside a terminal.
      if (mod && !e.altKey && /^[1-9]$/.test(e.key)) {
        const id = ui.openTabs[Number(e.key) - 1];
        if (id) {
          e.preventDefault();
          openTab(id);
        }
        return;
      }
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'w' && ui.selectedId && ui.view === 'sessions') {
        if (!ui.openTabs.includes(ui.selectedId)) return;
        e.preventDefault();
        closeTab(ui.selectedId);
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
