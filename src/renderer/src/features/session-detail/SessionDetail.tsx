import type { Session } from '../../../../shared/domain';
import { setUi, useUi } from '../../lib/ui-store';
import { useAfterFirstPaint } from '../../lib/after-paint';
import { DetailHeader } from './DetailHeader';
import { MetricsGrid } from './MetricsGrid';
import { CommandHistory } from './CommandHistory';
import { RunCommandBox } from './RunCommandBox';
import { ChangesPanel } from '../review/ChangesPanel';
import { AgentFacts } from '../agents/AgentFacts';

const tabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'commands', label: 'Commands' },
  { id: 'changes', label: 'Changes' },
] as const;
type Tab = (typeof tabs)[number]['id'];

/**
 * Everything about the selected session beside its terminal: state, actions, metrics, commands,
 * changes. Mounted with `key={session.id}`, so nothing typed or shown for one session carries over
 * to the next; the chosen tab is remembered across sessions and reloads.
 */
export function SessionDetail({ session: s, onHide }: { session: Session; onHide(): void }) {
  const stored = useUi((u) => u.detailTab);
  const tab: Tab = tabs.some((t) => t.id === stored) ? (stored as Tab) : 'overview';
  const setTab = (t: Tab) => setUi({ detailTab: t });
  // The pane is remounted for each selected session: its name, status and actions come with the
  // click's frame, the sections below in the task after it (they were most of a switch's work).
  const bodyReady = useAfterFirstPaint();
  return (
    <aside className="detail" data-testid="session-detail" data-session-id={s.id} aria-label={`Details of ${s.name}`}>
      <DetailHeader session={s} onClose={onHide} />
      <div className="detail-tabs" role="tablist" aria-label="Detail sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            id={`detail-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="detail-tabpanel"
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'detail-tab on' : 'detail-tab'}
            data-testid={`detail-tab-${t.id}`}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
              e.preventDefault();
              const i = tabs.findIndex((x) => x.id === t.id);
              const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
              setTab(next.id);
              document.getElementById(`detail-tab-${next.id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="detail-body"
        role="tabpanel"
        id="detail-tabpanel"
        aria-labelledby={`detail-tab-${tab}`}
        aria-busy={!bodyReady || undefined}
      >
        {bodyReady && tab === 'overview' && (
          <>
            <AgentFacts session={s} />
            <MetricsGrid session={s} />
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
        {bodyReady && tab === 'commands' && (
          <>
            <RunCommandBox session={s} />
            <CommandHistory sessionId={s.id} />
          </>
        )}
        {bodyReady && tab === 'changes' && <ChangesPanel session={s} />}
      </div>
    </aside>
  );
}
