import { useEffect, useState } from 'react';
import { setUi, useUi } from '../../lib/ui-store';
import { useSelectedSession, useSessions } from '../../lib/queries';
import { TerminalTabs } from '../terminals/TerminalTabs';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { SessionDetail } from '../session-detail/SessionDetail';
import { EmptySessions, EmptyTabs } from './EmptyStates';
import { DETAIL_MAX, DETAIL_MIN, RAIL, type PaneLayout } from './pane-layout';
import { PaneResizer } from './PaneResizer';
import { DetailRail } from './Rails';

/** The view right of the sidebar: terminals with the session detail, analytics or settings. */
export function MainArea({ detail }: { detail: PaneLayout['detail'] }) {
  const view = useUi((s) => s.view);
  const hasTabs = useUi((s) => s.openTabs.length > 0);
  const sessions = useSessions();
  const selected = useSelectedSession();
  const [drawer, setDrawer] = useState(false);
  // A drawer belongs to the session it was opened for.
  useEffect(() => setDrawer(false), [selected?.id]);

  if (view === 'analytics') {
    return (
      <main className="main-area scroll" data-testid="view-analytics">
        <AnalyticsPage />
      </main>
    );
  }
  if (view === 'settings') {
    return (
      <main className="main-area scroll" data-testid="view-settings">
        <SettingsPage />
      </main>
    );
  }
  const none = sessions.isSuccess && sessions.data.length === 0;
  const columns =
    !selected || detail.width === 0
      ? 'minmax(0, 1fr)'
      : detail.mode === 'docked'
        ? `minmax(0, 1fr) auto ${detail.width}px`
        : `minmax(0, 1fr) ${RAIL}px`;
  // Every pane below follows the one selected session; the key resets a pane's local state
  // (tab, typed command, last result, errors) when the selection moves to another session.
  const pane = selected && (
    <SessionDetail
      key={selected.id}
      session={selected}
      onHide={() => (detail.mode === 'overlay' ? setDrawer(false) : setUi({ detailOpen: false }))}
    />
  );
  return (
    <main
      className={selected ? `main-area workspace with-detail detail-${detail.mode}` : 'main-area workspace'}
      data-testid="view-sessions"
      style={{ gridTemplateColumns: columns }}
    >
      <section className="terminal-area" aria-label="Terminals">
        {none ? <EmptySessions /> : hasTabs ? <TerminalTabs /> : <EmptyTabs />}
      </section>
      {selected && detail.mode === 'docked' && (
        <>
          <PaneResizer
            label="Details width"
            value={detail.width}
            min={DETAIL_MIN}
            max={DETAIL_MAX}
            grows="left"
            onResize={(w) => setUi({ detailWidth: w })}
            onReset={() => setUi({ detailWidth: 400 })}
            testId="detail-resizer"
          />
          {pane}
        </>
      )}
      {selected && detail.mode === 'rail' && (
        <DetailRail
          expanded={false}
          onOpen={() => {
            setUi({ detailOpen: true });
            setDrawer(true);
          }}
        />
      )}
      {selected && detail.mode === 'overlay' && (
        <>
          <DetailRail expanded={drawer} onOpen={() => setDrawer(!drawer)} />
          {drawer && (
            <div className="detail-drawer" style={{ width: detail.width }} data-testid="detail-drawer">
              {pane}
            </div>
          )}
        </>
      )}
    </main>
  );
}
