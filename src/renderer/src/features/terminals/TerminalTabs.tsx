import { useCallback, useEffect, useLayoutEffect, useRef, useState, type MouseEvent, type WheelEvent } from 'react';
import { closeTab, openTab, setUi, useUi } from '../../lib/ui-store';
import { SessionContextMenu } from '../session-actions/SessionContextMenu';
import { moveTab } from './tab-order';
import { TerminalPane } from './TerminalPane';
import { TerminalTab } from './TerminalTab';
import { noteSwitchWhileTyping } from './terminal-registry';
import { isTerminalTarget } from '../shell/keybindings';
import '@xterm/xterm/css/xterm.css';
import './terminals.css';

const moveTo = (dragged: string, target: string, after: boolean) =>
  setUi((s) => ({ openTabs: moveTab(s.openTabs, dragged, target, after) }));

/**
 * The terminal tab strip and the open tabs' live terminals (only the selected one visible). The
 * strip scrolls so the selected tab is always in view, however many are open.
 */
export function TerminalTabs() {
  const openTabs = useUi((s) => s.openTabs);
  const selectedId = useUi((s) => s.selectedId);
  const strip = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);

  useEffect(() => {
    // Ctrl+PageUp / Ctrl+PageDown cycle tabs, as in VS Code and browsers.
    const onKey = (e: KeyboardEvent) => {
      if (!e.ctrlKey || (e.key !== 'PageUp' && e.key !== 'PageDown') || openTabs.length < 2) return;
      e.preventDefault();
      const i = Math.max(0, openTabs.indexOf(selectedId ?? ''));
      const next = (i + (e.key === 'PageDown' ? 1 : -1) + openTabs.length) % openTabs.length;
      // Typing in a terminal: the next one takes the keys at once (terminal-registry).
      if (isTerminalTarget(e.target)) noteSwitchWhileTyping();
      openTab(openTabs[next]);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [openTabs, selectedId]);

  const shown = selectedId && openTabs.includes(selectedId) ? selectedId : null;

  // The strip follows the selected tab: a tab opened from the sidebar or by Ctrl+9 scrolls into view,
  // and stays in view when the window (and so the strip) gets narrower. Measured in the next frame
  // (the layout that frame needs anyway), never in the click itself.
  useLayoutEffect(() => {
    const el = strip.current;
    if (!shown || !el) return;
    let frame = 0;
    const follow = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const tab = el.querySelector<HTMLElement>(`[data-testid="terminal-tab-${CSS.escape(shown)}"]`);
        if (!tab) return;
        // In the strip's scroll coordinates, whatever element is positioned around it.
        const left = tab.getBoundingClientRect().left - el.getBoundingClientRect().left + el.scrollLeft;
        const right = left + tab.offsetWidth;
        if (left < el.scrollLeft) el.scrollLeft = left;
        else if (right > el.scrollLeft + el.clientWidth) el.scrollLeft = right - el.clientWidth;
      });
    };
    follow();
    const ro = new ResizeObserver(follow);
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, [shown, openTabs.length]);

  const onArrow = useCallback((id: string, dir: -1 | 1 | 'first' | 'last') => {
    const tabs = strip.current ? [...strip.current.querySelectorAll<HTMLElement>('[role="tab"]')] : [];
    const i = tabs.findIndex((t) => t.id === `tab-${id}`);
    const j = dir === 'first' ? 0 : dir === 'last' ? tabs.length - 1 : (i + dir + tabs.length) % tabs.length;
    const target = tabs[j];
    if (!target) return;
    target.focus();
    openTab(target.id.slice('tab-'.length));
  }, []);
  const onContextMenu = useCallback((id: string, e: MouseEvent | { clientX: number; clientY: number }) => {
    if ('preventDefault' in e) e.preventDefault();
    setMenu({ id, x: e.clientX, y: e.clientY });
  }, []);

  if (openTabs.length === 0) return null;

  // Panes render in a stable order so reordering tabs never moves a live terminal in the DOM.
  const paneOrder = [...openTabs].sort();

  return (
    <div className="term-tabs-root" data-testid="terminal-tabs">
      <div className="term-tabs" role="tablist" aria-label="Terminals" ref={strip} onWheel={scrollSideways}>
        {openTabs.map((id) => (
          <TerminalTab
            key={id}
            sessionId={id}
            active={id === shown}
            onSelect={openTab}
            onClose={closeTab}
            onMove={moveTo}
            onArrow={onArrow}
            onContextMenu={onContextMenu}
          />
        ))}
      </div>
      <div className="term-panes">
        {shown === null && (
          <div className="term-empty" data-testid="terminal-none-selected">
            <p>No terminal selected.</p>
            <p className="muted">Pick a tab above or a session in the list.</p>
          </div>
        )}
        {paneOrder.map((id) => (
          <TerminalPane key={id} sessionId={id} active={id === shown} />
        ))}
      </div>
      {menu && <SessionContextMenu sessionId={menu.id} x={menu.x} y={menu.y} onClose={() => setMenu(null)} inTab />}
    </div>
  );
}

/** A vertical wheel over the strip scrolls it sideways (there is nothing to scroll vertically). */
function scrollSideways(e: WheelEvent<HTMLDivElement>): void {
  if (Math.abs(e.deltaY) <= Math.abs(e.deltaX)) return;
  e.currentTarget.scrollLeft += e.deltaY;
}
