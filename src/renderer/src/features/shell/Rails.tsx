import { useSessions } from '../../lib/queries';
import { needsInput } from '../../../../shared/session-state';
import { setUi } from '../../lib/ui-store';

/** The collapsed sidebar: one button that brings it back, with how many sessions need input. */
export function SidebarRail() {
  const sessions = useSessions().data ?? [];
  const waiting = sessions.filter((s) => needsInput(s.status)).length;
  return (
    <aside className="pane-rail left" aria-label="Sessions (collapsed)">
      <button
        type="button"
        className="rail-button"
        data-testid="sidebar-expand"
        title="Show the session list"
        aria-label={`Show the session list (${sessions.length} sessions${waiting ? `, ${waiting} need input` : ''})`}
        onClick={() => setUi({ sidebarCollapsed: false })}
      >
        <span aria-hidden>▸</span>
        <span className="rail-text">Sessions · {sessions.length}</span>
        {waiting > 0 && <span className="rail-alert">{waiting}</span>}
      </button>
    </aside>
  );
}

/** The collapsed detail pane: one button that brings it back (docked, or as a drawer when narrow). */
export function DetailRail({ onOpen, expanded }: { onOpen(): void; expanded: boolean }) {
  return (
    <aside className="pane-rail right" aria-label="Session details (collapsed)">
      <button
        type="button"
        className="rail-button"
        data-testid="detail-expand"
        aria-expanded={expanded}
        title="Show the session details"
        onClick={onOpen}
      >
        <span aria-hidden>◂</span>
        <span className="rail-text">Details</span>
      </button>
    </aside>
  );
}
