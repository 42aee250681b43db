import { useRef, useState, memo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { cachedSessions, useSessionCount, useSettings } from '../../lib/queries';
import { openWizard, setUi, useUi } from '../../lib/ui-store';
import { runDefaultPreset } from '../batch/run-batch';
import { Menu, type MenuEntry } from '../shell/Menu';
import { startAll, stopAll } from '../session-actions/session-actions';
import { useOverflow } from './use-overflow';

/** Optional items, least needed first: they move into the ⋯ menu when the window is narrow. */
const dropOrder = ['cleanup', 'broadcast', 'views', 'help'] as const;
type Optional = (typeof dropOrder)[number];

/** The top bar: create, act on many sessions, switch views; what does not fit goes into ⋯. */
export const Toolbar = memo(function Toolbar() {
  const qc = useQueryClient();
  const count = useSessionCount();
  const settings = useSettings().data;
  const view = useUi((s) => s.view);
  const selected = useUi((s) => s.selected);
  const sidebarCollapsed = useUi((s) => s.sidebarCollapsed);
  const bar = useRef<HTMLElement>(null);
  const hidden = useOverflow<Optional>(bar, dropOrder);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const preset = settings?.presets.find((p) => p.id === settings.defaultPresetId) ?? settings?.presets[0];
  const none = count === 0;
  const scope = selected.length > 0 ? `${selected.length} selected` : 'all sessions';
  const batchTitle = none
    ? 'Create a session first'
    : preset
      ? `Run “${preset.name}” (${[preset.command, ...preset.args].join(' ')}) on ${scope}  [B]`
      : 'No preset yet — add one in Settings, or use the ▾ menu for a one-off command';
  const shows = (id: Optional) => !hidden.has(id);

  const more: MenuEntry[] = [
    ...(hidden.has('cleanup')
      ? [{ label: 'Cleanup…', testId: 'more-cleanup', onSelect: () => setUi({ dialog: 'cleanup' }) }]
      : []),
    ...(hidden.has('broadcast')
      ? [{ label: 'Broadcast…', hint: 'Shift+B', disabled: none, onSelect: () => setUi({ dialog: 'broadcast' }) }]
      : []),
    ...(hidden.has('views')
      ? [
          { label: 'Sessions', onSelect: () => setUi({ view: 'sessions' }) },
          { label: 'Analytics', hint: 'A', testId: 'more-analytics', onSelect: () => setUi({ view: 'analytics' }) },
          { label: 'Settings', hint: ',', testId: 'more-settings', onSelect: () => setUi({ view: 'settings' }) },
        ]
      : []),
    ...(hidden.size > 0 ? ['separator' as const] : []),
    {
      label: 'Start all sessions…',
      disabled: none,
      testId: 'more-start-all',
      onSelect: () => startAll(cachedSessions(qc), 'all sessions'),
    },
    {
      label: 'Stop all sessions…',
      disabled: none,
      testId: 'more-stop-all',
      onSelect: () => stopAll(cachedSessions(qc), 'all sessions'),
    },
    'separator',
    {
      label: sidebarCollapsed ? 'Show the session list' : 'Hide the session list',
      hint: '[',
      onSelect: () => setUi({ sidebarCollapsed: !sidebarCollapsed }),
    },
    {
      label: 'Show or hide session details',
      hint: ']',
      onSelect: () => setUi((s) => ({ detailOpen: !s.detailOpen })),
    },
    { label: 'Keyboard shortcuts', hint: '?', onSelect: () => setUi({ dialog: 'help' }) },
  ];

  return (
    <header className="toolbar" data-testid="toolbar" ref={bar}>
      <div className="brand" title="Multisession">
        <span className="brand-mark" aria-hidden>
          ◫
        </span>
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
          <span>▶ Batch run{preset && <span className="batch-preset">: {preset.name}</span>}</span>
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
      {shows('broadcast') && (
        // Disabled buttons get no hover events, so the wrapper carries the tooltip.
        <span
          data-ov="broadcast"
          title={none ? 'Create a session first — broadcast types the same text into running terminals' : undefined}
        >
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
      )}
      {shows('cleanup') && (
        <button
          className="btn"
          data-ov="cleanup"
          data-testid="toolbar-cleanup"
          title="Remove finished worktrees and stale records (preview first)"
          onClick={() => setUi({ dialog: 'cleanup' })}
        >
          ⌫ Cleanup
        </button>
      )}
      <span className="spacer" />
      {shows('views') && (
        <nav className="view-switch" aria-label="Views" data-ov="views">
          {(['sessions', 'analytics', 'settings'] as const).map((v) => (
            <button
              key={v}
              className={view === v ? 'btn ghost on' : 'btn ghost'}
              aria-current={view === v ? 'page' : undefined}
              data-testid={v === 'sessions' ? 'toolbar-view-sessions' : `toolbar-${v}`}
              title={v === 'analytics' ? 'Analytics [A]' : v === 'settings' ? 'Settings [,]' : 'Sessions'}
              onClick={() => setUi({ view: v })}
            >
              {v === 'sessions' ? 'Sessions' : v === 'analytics' ? 'Analytics' : 'Settings'}
            </button>
          ))}
        </nav>
      )}
      {shows('help') && (
        <button
          className="btn ghost icon"
          data-ov="help"
          data-testid="toolbar-help"
          title="Keyboard shortcuts [?]"
          aria-label="Keyboard shortcuts"
          onClick={() => setUi({ dialog: 'help' })}
        >
          ?
        </button>
      )}
      <button
        className="btn ghost icon"
        data-testid="toolbar-more"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={menu !== null}
        title="More: start or stop all, panes, and what does not fit"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setMenu(menu ? null : { x: r.right - 240, y: r.bottom + 2 });
        }}
      >
        ⋯
      </button>
      {menu && (
        <Menu
          x={menu.x}
          y={menu.y}
          label="More actions"
          items={more}
          onClose={() => setMenu(null)}
          testId="toolbar-more-menu"
        />
      )}
    </header>
  );
});
