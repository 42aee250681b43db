import { useEffect } from 'react';
import { closeTab, openTab, setUi, useUi } from '../../lib/ui-store';
import { displayStatus, useSessions } from './session-store';
import { moveTab } from './tab-order';
import { TerminalPane } from './TerminalPane';
import { TerminalTab } from './TerminalTab';
import '@xterm/xterm/css/xterm.css';
import './terminals.css';

/** The terminal tab strip and the open tabs' live terminals (only the active one visible). */
export function TerminalTabs() {
  const openTabs = useUi((s) => s.openTabs);
  const activeTab = useUi((s) => s.activeTab);
  const { byId, activity } = useSessions();

  useEffect(() => {
    // Ctrl+PageUp / Ctrl+PageDown cycle tabs, as in VS Code and browsers.
    const onKey = (e: KeyboardEvent) => {
      if (!e.ctrlKey || (e.key !== 'PageUp' && e.key !== 'PageDown') || openTabs.length < 2) return;
      e.preventDefault();
      const i = Math.max(0, openTabs.indexOf(activeTab ?? ''));
      const next = (i + (e.key === 'PageDown' ? 1 : -1) + openTabs.length) % openTabs.length;
      openTab(openTabs[next]);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [openTabs, activeTab]);

  if (openTabs.length === 0) {
    return (
      <div className="term-tabs-root" data-testid="terminal-tabs">
        <div className="term-empty">
          <p>No terminal open.</p>
          <p className="muted">Pick a session in the list to open its terminal here.</p>
        </div>
      </div>
    );
  }

  const shown = activeTab && openTabs.includes(activeTab) ? activeTab : openTabs[0];
  // Panes render in a stable order so reordering tabs never moves a live terminal in the DOM.
  const paneOrder = [...openTabs].sort();

  return (
    <div className="term-tabs-root" data-testid="terminal-tabs">
      <div className="term-tabs" role="tablist" aria-label="Terminals">
        {openTabs.map((id) => {
          const session = byId.get(id);
          return (
            <TerminalTab
              key={id}
              sessionId={id}
              name={session?.name ?? 'Loading…'}
              status={session ? displayStatus(session, activity) : null}
              active={id === shown}
              onSelect={() => openTab(id)}
              onClose={() => closeTab(id)}
              onMove={(dragged, after) => setUi((s) => ({ openTabs: moveTab(s.openTabs, dragged, id, after) }))}
            />
          );
        })}
      </div>
      <div className="term-panes">
        {paneOrder.map((id) => (
          <TerminalPane key={id} sessionId={id} session={byId.get(id)} active={id === shown} />
        ))}
      </div>
    </div>
  );
}
