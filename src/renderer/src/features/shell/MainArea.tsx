import { useUi } from '../../lib/ui-store';
import { useSessions } from '../../lib/queries';
import { TerminalTabs } from '../terminals/TerminalTabs';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { SessionDetail } from '../session-detail/SessionDetail';
import { EmptySessions, EmptyTabs } from './EmptyStates';

/** The view right of the sidebar: terminals with the session detail, analytics or settings. */
export function MainArea() {
  const view = useUi((s) => s.view);
  const hasTabs = useUi((s) => s.openTabs.length > 0);
  const detailId = useUi((s) => s.detailSessionId);
  const sessions = useSessions();
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
  const detailShown = Boolean(detailId && sessions.data?.some((s) => s.id === detailId));
  return (
    <main
      className={detailShown ? 'main-area workspace with-detail' : 'main-area workspace'}
      data-testid="view-sessions"
    >
      <section className="terminal-area">
        {none ? <EmptySessions /> : hasTabs ? <TerminalTabs /> : <EmptyTabs />}
      </section>
      {detailShown && detailId && <SessionDetail sessionId={detailId} />}
    </main>
  );
}
