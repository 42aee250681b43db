import { openWizard } from '../../lib/ui-store';

/** No sessions yet: one big target that says what to do. */
export function EmptySessions() {
  return (
    <div className="empty-state" data-testid="empty-sessions">
      <button className="drop-target" onClick={() => openWizard()}>
        <span className="drop-icon" aria-hidden>
          ⇣
        </span>
        <span className="drop-title">Drop a repository folder here or click New session</span>
        <span className="muted">
          Each session gets its own git worktree and branch, so agents never step on each other’s files.
        </span>
        <span className="faint">
          Press <kbd>N</kbd> for a new session, <kbd>?</kbd> for all shortcuts.
        </span>
      </button>
    </div>
  );
}

/** Sessions exist but no terminal is open. */
export function EmptyTabs() {
  return (
    <div className="empty-state" data-testid="empty-tabs">
      <div className="empty-hint">
        <span className="drop-icon" aria-hidden>
          ▤
        </span>
        <span className="drop-title">Click a session in the sidebar to open its terminal</span>
        <span className="faint">
          Tabs switch with <kbd>Ctrl</kbd>+<kbd>1</kbd>…<kbd>9</kbd>; <kbd>Ctrl</kbd>+<kbd>W</kbd> closes one (the
          session keeps running).
        </span>
      </div>
    </div>
  );
}
