import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, memo } from 'react';
import type { Session } from '../../../../shared/domain';
import { isTerminatedStatus } from '../../../../shared/session-state';
import { useQuarantined, useSessions } from '../../lib/queries';
import { getUi, openSessionDialog, openTab, setUi, toggleSelected, useUi } from '../../lib/ui-store';
import { Menu, type MenuEntry } from '../shell/Menu';
import { SessionContextMenu } from '../session-actions/SessionContextMenu';
import { startAll, stopAll } from '../session-actions/session-actions';
import { filterSessions, groupSessions, type SessionGroup } from './group-sessions';
import { SessionRow } from './SessionRow';
import { SearchFilters } from './SearchFilters';

const noSessions: Session[] = [];
type MenuState =
  | { kind: 'session'; id: string; x: number; y: number }
  | { kind: 'list'; x: number; y: number; group: SessionGroup | null };

/** Sessions grouped by repository, with multi-select for batch and broadcast. */
export const Sidebar = memo(function Sidebar() {
  const sessions = useSessions();
  const quarantined = useQuarantined().data ?? [];
  const search = useUi((s) => s.search);
  const status = useUi((s) => s.statusFilter);
  const type = useUi((s) => s.typeFilter);
  const showTerminated = useUi((s) => s.showTerminated);
  const selected = useUi((s) => s.selected);
  const selectedId = useUi((s) => s.selectedId);
  const collapsed = useUi((s) => s.collapsedGroups);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const anchor = useRef<string | null>(null);
  const all = sessions.data ?? noSessions;
  const visible = useMemo(
    () => filterSessions(all, { search, status, type, showTerminated }),
    [all, search, status, type, showTerminated],
  );
  const groups = useMemo(() => groupSessions(visible), [visible]);
  const ordered = useMemo(
    () => groups.filter((g) => !collapsed.includes(g.key)).flatMap((g) => g.sessions.map((s) => s.id)),
    [groups, collapsed],
  );
  const orderedRef = useRef(ordered);
  orderedRef.current = ordered;
  const terminatedCount = useMemo(() => all.filter((s) => isTerminatedStatus(s.status)).length, [all]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  // The list's one tab stop: the row the keyboard is on while the focus is in the list; otherwise
  // the selected session's row, so a selection made elsewhere (tab strip, shortcut, toast) is where
  // Tab enters the list — not the row the keyboard last left. Renders follow every selection, so
  // reading the focus here sees the state that matters.
  const focusInList = list.current?.contains(document.activeElement) ?? false;
  const shown = (id: string | null | undefined) => (id && ordered.includes(id) ? id : null);
  const tabStop = (focusInList && shown(focusId)) || shown(selectedId) || shown(focusId) || ordered[0];

  // The list follows the selection made elsewhere (tab strip, shortcut, toast): the row scrolls into
  // view in the next frame, never inside the click, and only the list scrolls (not the page).
  useEffect(() => {
    const el = list.current;
    if (!selectedId || !el) return;
    const frame = requestAnimationFrame(() => {
      const row = el.querySelector<HTMLElement>(`[data-testid="sidebar-session-${CSS.escape(selectedId)}"]`);
      if (!row) return;
      const top = row.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
      const bottom = top + row.offsetHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [selectedId]);

  const onOpen = useCallback((id: string, e: MouseEvent | KeyboardEvent) => {
    const order = orderedRef.current;
    setFocusId(id);
    if (e.shiftKey && anchor.current) {
      const a = order.indexOf(anchor.current);
      const b = order.indexOf(id);
      if (a >= 0 && b >= 0) {
        const range = order.slice(Math.min(a, b), Math.max(a, b) + 1);
        setUi((s) => ({ selected: [...new Set([...s.selected, ...range])] }));
        return;
      }
    }
    anchor.current = id;
    if (e.ctrlKey || e.metaKey) {
      toggleSelected(id);
      return;
    }
    openTab(id);
  }, []);

  const focusRow = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    list.current?.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(id)}"]`)?.focus();
  };

  const onKey = useCallback((id: string, e: KeyboardEvent<HTMLButtonElement>) => {
    const order = orderedRef.current;
    const i = order.indexOf(id);
    const go = (j: number) => {
      e.preventDefault();
      focusRow(order[Math.max(0, Math.min(order.length - 1, j))]);
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(order.length - 1);
    else if (e.key === ' ') {
      e.preventDefault();
      toggleSelected(id);
    } else if (e.key === 'F2') {
      e.preventDefault();
      openSessionDialog('edit-session', id, 'name');
    } else if (e.key === 'Delete') {
      e.preventDefault();
      openSessionDialog('terminate', id);
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      const r = e.currentTarget.getBoundingClientRect();
      setMenu({ kind: 'session', id, x: r.left + 24, y: r.bottom });
    }
  }, []);

  const onContextMenu = useCallback((id: string, x: number, y: number) => setMenu({ kind: 'session', id, x, y }), []);
  const toggleGroup = (key: string) =>
    setUi((s) => ({
      collapsedGroups: s.collapsedGroups.includes(key)
        ? s.collapsedGroups.filter((k) => k !== key)
        : [...s.collapsedGroups, key],
    }));

  const listMenu = (group: SessionGroup | null): MenuEntry[] => {
    const scope = group ? group.sessions : visible;
    const where = group ? `“${group.title}”` : 'the list';
    return [
      {
        label: group ? `Select all in ${group.title}` : 'Select all visible',
        testId: 'list-select-all',
        onSelect: () => setUi((s) => ({ selected: [...new Set([...s.selected, ...scope.map((x) => x.id)])] })),
      },
      { label: 'Clear selection', disabled: getUi().selected.length === 0, onSelect: () => setUi({ selected: [] }) },
      'separator',
      { label: 'Start all…', testId: 'list-start-all', onSelect: () => startAll(scope, where) },
      { label: 'Stop all…', testId: 'list-stop-all', onSelect: () => stopAll(scope, where) },
      'separator',
      ...(group
        ? []
        : [
            { label: 'Collapse all groups', onSelect: () => setUi({ collapsedGroups: groups.map((g) => g.key) }) },
            { label: 'Expand all groups', onSelect: () => setUi({ collapsedGroups: [] }) },
          ]),
    ];
  };

  return (
    <aside className="sidebar" data-testid="sidebar" aria-label="Sessions">
      <div className="sidebar-head">
        <h2 className="sidebar-title">Sessions</h2>
        <span className="badge" aria-label={`${visible.length} shown`}>
          {visible.length}
        </span>
        <span className="spacer" />
        {selected.length > 0 && (
          <button
            className="btn ghost small"
            data-testid="sidebar-clear-selection"
            onClick={() => setUi({ selected: [] })}
          >
            Clear {selected.length}
          </button>
        )}
        <button
          className="btn ghost small icon"
          data-testid="sidebar-menu"
          aria-label="Session list actions"
          aria-haspopup="menu"
          title="Select, start or stop all, collapse groups"
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            setMenu({ kind: 'list', x: r.left, y: r.bottom + 2, group: null });
          }}
        >
          ⋯
        </button>
      </div>
      <SearchFilters />
      <div
        className="sidebar-list"
        ref={list}
        onFocus={(e) => {
          // A click's focus (not :focus-visible) is taken by onOpen in the click's own render: done
          // here too it re-rendered the whole list once more, before the click (bench renderer).
          const el = e.target as HTMLElement;
          const id = el.dataset.sessionId;
          if (id && el.matches(':focus-visible')) setFocusId(id);
        }}
      >
        {quarantined.length > 0 && (
          <div
            className="sidebar-note warn-box"
            data-testid="sidebar-quarantined"
            title={quarantined.map((q) => `${q.id}${q.name ? ` (${q.name})` : ''}: ${q.reason}`).join('\n')}
          >
            ⚠ {quarantined.length} damaged session record{quarantined.length === 1 ? '' : 's'} kept aside — their
            worktrees are protected from cleanup
            {quarantined.some((q) => q.worktreePath) &&
              `: ${quarantined
                .map((q) => q.worktreePath)
                .filter(Boolean)
                .join(', ')}`}
          </div>
        )}
        {sessions.isLoading && <div className="sidebar-note">Loading sessions…</div>}
        {sessions.isError && (
          <div className="sidebar-note error-box">Could not load sessions: {String(sessions.error.message)}</div>
        )}
        {sessions.isSuccess && all.length === 0 && (
          <div className="sidebar-note">
            No sessions yet. Drop a repository folder on the window or click New session.
          </div>
        )}
        {sessions.isSuccess && all.length > 0 && visible.length === 0 && (
          <div className="sidebar-note">
            No session matches the search or filters.{' '}
            <button
              className="btn ghost small"
              onClick={() => setUi({ search: '', statusFilter: 'all', typeFilter: 'all', showTerminated: true })}
            >
              Show all
            </button>
          </div>
        )}
        {groups.map((g) => {
          const isCollapsed = collapsed.includes(g.key);
          const listId = `group-${g.key}`;
          return (
            <section key={g.key} className="session-group" data-testid={`sidebar-group-${g.title}`} data-group={g.key}>
              <header className="group-head" title={g.subtitle}>
                <button
                  type="button"
                  className="group-toggle"
                  aria-expanded={!isCollapsed}
                  aria-controls={listId}
                  data-testid={`sidebar-group-toggle-${g.title}`}
                  onClick={() => toggleGroup(g.key)}
                >
                  <span className="group-caret" aria-hidden>
                    {isCollapsed ? '▸' : '▾'}
                  </span>
                  <span className="truncate">{g.title}</span>
                  <span className="group-count">{g.sessions.length}</span>
                </button>
                <button
                  type="button"
                  className="btn ghost small icon group-menu"
                  aria-label={`Actions for ${g.title}`}
                  aria-haspopup="menu"
                  onClick={(e) => {
                    const r = e.currentTarget.getBoundingClientRect();
                    setMenu({ kind: 'list', x: r.left, y: r.bottom + 2, group: g });
                  }}
                >
                  ⋯
                </button>
              </header>
              {!isCollapsed && (
                <ul className="session-list" id={listId}>
                  {g.sessions.map((s) => (
                    <SessionRow
                      key={s.id}
                      session={s}
                      selected={selectedSet.has(s.id)}
                      current={selectedId === s.id}
                      focusTarget={tabStop === s.id}
                      onOpen={onOpen}
                      onToggle={toggleSelected}
                      onKey={onKey}
                      onContextMenu={onContextMenu}
                    />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <footer className="sidebar-foot">
        <label className="check">
          <input
            type="checkbox"
            checked={showTerminated}
            data-testid="sidebar-show-terminated"
            onChange={(e) => setUi({ showTerminated: e.target.checked })}
          />
          Show terminated{terminatedCount > 0 ? ` (${terminatedCount})` : ''}
        </label>
      </footer>
      {menu?.kind === 'session' && (
        <SessionContextMenu sessionId={menu.id} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />
      )}
      {menu?.kind === 'list' && (
        <Menu
          x={menu.x}
          y={menu.y}
          label={menu.group ? `Actions for ${menu.group.title}` : 'Session list actions'}
          items={listMenu(menu.group)}
          onClose={() => setMenu(null)}
          testId="list-menu"
        />
      )}
    </aside>
  );
});
