import { useState } from 'react';
import { useSession } from '../../lib/queries';
import { setUi } from '../../lib/ui-store';
import { DetailHeader } from './DetailHeader';
import { MetricsGrid } from './MetricsGrid';
import { CommandHistory } from './CommandHistory';
import { RunCommandBox } from './RunCommandBox';
import { DiffView } from './DiffView';

type Tab = 'overview' | 'commands' | 'changes';

/** Everything about one session beside its terminal: state, actions, metrics, commands, changes. */
export function SessionDetail({ sessionId }: { sessionId: string }) {
  const session = useSession(sessionId);
  const [tab, setTab] = useState<Tab>('overview');
  const s = session.data;
  return (
    <aside className="detail" data-testid="session-detail">
      {!s ? (
        <div className="detail-body muted">{session.isError ? 'This session no longer exists.' : 'Loading…'}</div>
      ) : (
        <>
          <DetailHeader session={s} onClose={() => setUi({ detailSessionId: null })} />
          <nav className="detail-tabs" role="tablist">
            {(['overview', 'commands', 'changes'] as const).map((t) => (
              <button
                key={t}
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? 'detail-tab on' : 'detail-tab'}
                data-testid={`detail-tab-${t}`}
                onClick={() => setTab(t)}
              >
                {t === 'overview' ? 'Overview' : t === 'commands' ? 'Commands' : 'Changes'}
              </button>
            ))}
          </nav>
          <div className="detail-body">
            {tab === 'overview' && (
              <>
                <MetricsGrid sessionId={s.id} />
                <RunCommandBox session={s} />
                <section>
                  <div className="row section-head">
                    <h3>Recent commands</h3>
                    <span className="spacer" />
                    <button className="btn ghost small" onClick={() => setTab('commands')}>
                      All commands →
                    </button>
                  </div>
                  <CommandHistory sessionId={s.id} limit={5} />
                </section>
              </>
            )}
            {tab === 'commands' && (
              <>
                <RunCommandBox session={s} />
                <CommandHistory sessionId={s.id} />
              </>
            )}
            {tab === 'changes' && <DiffView sessionId={s.id} />}
          </div>
        </>
      )}
    </aside>
  );
}
