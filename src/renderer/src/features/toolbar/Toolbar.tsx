import { useQueryClient } from '@tanstack/react-query';
import { useSessions, useSettings } from '../../lib/queries';
import { openWizard, setUi, useUi } from '../../lib/ui-store';
import { runDefaultPreset } from '../batch/run-batch';
import { SearchFilters } from './SearchFilters';

/** The top bar: create, act on many sessions, find, and switch views. */
export function Toolbar() {
  const qc = useQueryClient();
  const sessions = useSessions().data ?? [];
  const settings = useSettings().data;
  const view = useUi((s) => s.view);
  const selected = useUi((s) => s.selected);
  const preset = settings?.presets.find((p) => p.id === settings.defaultPresetId) ?? settings?.presets[0];
  const none = sessions.length === 0;
  const scope = selected.length > 0 ? `${selected.length} selected` : 'all sessions';
  const batchTitle = none
    ? 'Create a session first'
    : preset
      ? `Run “${preset.name}” (${[preset.command, ...preset.args].join(' ')}) on ${scope}  [B]`
      : 'No preset yet — add one in Settings, or use the ▾ menu for a one-off command';
  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="brand" title="Multisession">
        <span className="brand-mark">◫</span>
        <span className="brand-name">Multisession</span>
      </div>
      <button
        className="btn primary"
        data-testid="toolbar-new-session"
        onClick={() => openWizard()}
        title="New session [N]"
      >
        + New session
      </button>
      <div className="btn-group" title={none ? batchTitle : undefined}>
        <button
          className="btn"
          data-testid="toolbar-batch-run"
          disabled={none}
          title={batchTitle}
          onClick={() => void runDefaultPreset(qc)}
        >
          ▶ Batch run{preset ? `: ${preset.name}` : ''}
        </button>
        <button
          className="btn"
          data-testid="toolbar-batch-menu"
          disabled={none}
          title="Run a one-off command across sessions…"
          aria-label="Run a one-off command across sessions"
          onClick={() => setUi({ dialog: 'batch-command' })}
        >
          ▾
        </button>
      </div>
      {/* Disabled buttons get no hover events, so the wrapper carries the tooltip. */}
      <span title={none ? 'Create a session first — broadcast types the same text into running terminals' : undefined}>
        <button
          className="btn"
          data-testid="toolbar-broadcast"
          disabled={none}
          title={none ? undefined : `Type the same text into ${scope} [Shift+B]`}
          onClick={() => setUi({ dialog: 'broadcast' })}
        >
          ⇶ Broadcast
        </button>
      </span>
      <button
        className="btn"
        data-testid="toolbar-cleanup"
        title="Remove finished worktrees and stale records (preview first)"
        onClick={() => setUi({ dialog: 'cleanup' })}
      >
        ⌫ Cleanup
      </button>
      <span className="toolbar-sep" />
      <SearchFilters />
      <span className="spacer" />
      <nav className="view-switch" aria-label="Views">
        <button
          className={view === 'sessions' ? 'btn ghost on' : 'btn ghost'}
          data-testid="toolbar-view-sessions"
          onClick={() => setUi({ view: 'sessions' })}
        >
          Sessions
        </button>
        <button
          className={view === 'analytics' ? 'btn ghost on' : 'btn ghost'}
          data-testid="toolbar-analytics"
          title="Analytics [A]"
          onClick={() => setUi({ view: 'analytics' })}
        >
          Analytics
        </button>
        <button
          className={view === 'settings' ? 'btn ghost on' : 'btn ghost'}
          data-testid="toolbar-settings"
          title="Settings [,]"
          onClick={() => setUi({ view: 'settings' })}
        >
          Settings
        </button>
      </nav>
      <button
        className="btn ghost icon"
        data-testid="toolbar-help"
        title="Keyboard shortcuts [?]"
        aria-label="Help"
        onClick={() => setUi({ dialog: 'help' })}
      >
        ?
      </button>
    </header>
  );
}
