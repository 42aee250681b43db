import { useMemo, useRef, type MouseEvent } from 'react';
import type { Session } from '../../../../shared/domain';
import { useAllMetrics, useSessions } from '../../lib/queries';
import { openTab, setUi, toggleSelected, useUi } from '../../lib/ui-store';
import { filterSessions, groupSessions } from './group-sessions';
import { SessionRow } from './SessionRow';

const noSessions: Session[] = [];

/** Sessions grouped by repository, with multi-select for batch and broadcast. */
export function Sidebar() {
  const sessions = useSessions();
  const metrics = useAllMetrics().data ?? {};
  const search = useUi((s) => s.search);
  const status = useUi((s) => s.statusFilter);
  const type = useUi((s) => s.typeFilter);
  const showTerminated = useUi((s) => s.showTerminated);
  const selected = useUi((s) => s.selected);
  const activeTab = useUi((s) => s.activeTab);
  const anchor = useRef<string | null>(null);
  const all = sessions.data ?? noSessions;
  const visible = useMemo(
    () => filterSessions(all, { search, status, type, showTerminated }),
    [all, search, status, type, showTerminated],
  );
  const groups = useMemo(() => groupSessions(visible), [visible]);
  const ordered = groups.flatMap((g) => g.sessions.map((s) => s.id));
  const terminatedCount = all.filter((s) => s.status === 'terminated').length;

  const onRowClick = (id: string, e: MouseEvent) => {
    if (e.shiftKey && anchor.current) {
      const a = ordered.indexOf(anchor.current);
      const b = ordered.indexOf(id);
      if (a >= 0 && b >= 0) {
        const range = ordered.slice(Math.min(a, b), Math.max(a, b) + 1);
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
  };

  return (
    <aside className="sidebar" data-testid="sidebar">
      <div className="sidebar-head">
        <span className="sidebar-title">Sessions</span>
        <span className="badge">{visible.length}</span>
        <span className="spacer" />
        {selected.length > 0 ? (
          <button
            className="btn ghost small"
            data-testid="sidebar-clear-selection"
            onClick={() => setUi({ selected: [] })}
          >
            Clear {selected.length}
          </button>
        ) : (
          visible.length > 1 && (
            <button
              className="btn ghost small"
              onClick={() => setUi({ selected: ordered })}
              title="Select every visible session"
            >
              Select all
            </button>
          )
        )}
      </div>
      <div className="sidebar-list">
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
        {groups.map((g) => (
          <section key={g.key} className="session-group" data-testid={`sidebar-group-${g.title}`}>
            <header className="group-head" title={g.subtitle}>
              <span className="group-icon">{g.key === '__background' ? '◌' : '▣'}</span>
              <span className="truncate">{g.title}</span>
              <span className="faint">{g.sessions.length}</span>
            </header>
            <ul className="session-list">
              {g.sessions.map((s) => (
                <SessionRow
                  key={s.id}
                  session={s}
                  metrics={metrics[s.id]}
                  selected={selected.includes(s.id)}
                  active={activeTab === s.id}
                  onClick={(e) => onRowClick(s.id, e)}
                  onToggle={() => toggleSelected(s.id)}
                />
              ))}
            </ul>
          </section>
        ))}
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
    </aside>
  );
}
