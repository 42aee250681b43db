import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Session } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { isRunning } from './session-store';
import { getTerminal } from './terminal-registry';
import { TerminalSearchBar } from './TerminalSearchBar';
import type { TerminalController } from './terminal-controller';

interface Props {
  sessionId: string;
  session: Session | undefined;
  active: boolean;
}

/** One open tab's terminal. Hidden (not unmounted) while another tab is active. */
export function TerminalPane({ sessionId, session, active }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<TerminalController | null>(null);

  useEffect(() => {
    const c = getTerminal(sessionId);
    if (container.current) c.mount(container.current);
    setController(c);
  }, [sessionId]);

  useEffect(() => {
    if (active && controller) controller.show(shouldTakeFocus());
  }, [active, controller]);

  return (
    <div className="term-pane" data-testid={`terminal-${sessionId}`} hidden={!active} aria-hidden={!active}>
      {controller && <PaneChrome controller={controller} session={session} />}
      <div className="term-container" ref={container} />
    </div>
  );
}

/** Take focus when a tab is shown, unless the user is typing in a field elsewhere (search box, dialog). */
function shouldTakeFocus(): boolean {
  const el = document.activeElement;
  if (!el || el === document.body || el.closest('.term-pane, .term-tabs')) return true;
  return !(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement);
}

function PaneChrome({ controller, session }: { controller: TerminalController; session: Session | undefined }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const [restarting, setRestarting] = useState(false);
  const [restartError, setRestartError] = useState<string | null>(null);

  const stopped = session ? !isRunning(session.status) && !['initializing', 'queued'].includes(session.status) : false;
  const showExit = state.phase === 'attached' && stopped;
  const code = state.exit?.code ?? session?.exitCode ?? null;
  const signal = state.exit?.signal ?? null;

  const restart = async () => {
    if (!session) return;
    setRestarting(true);
    setRestartError(null);
    const r = await getClient().request(session.status === 'stopped' ? 'sessions.start' : 'sessions.restart', {
      sessionId: session.id,
    });
    setRestarting(false);
    if (!r.ok) setRestartError(r.error.message);
  };

  return (
    <>
      {state.searchOpen && <TerminalSearchBar controller={controller} />}
      {state.phase === 'attaching' && <div className="term-banner info">Connecting to the terminal…</div>}
      {state.phase === 'failed' && (
        <div className="term-banner error" role="alert">
          Could not open the terminal: {state.error}{' '}
          <button type="button" className="link" onClick={() => void controller.attach()}>
            Retry
          </button>
        </div>
      )}
      {showExit && (
        <div className="term-banner exit" data-testid="terminal-exit-banner">
          {session?.status === 'terminated'
            ? 'Session terminated'
            : signal !== null
              ? `Program exited (signal ${signal})`
              : code !== null
                ? `Program exited with code ${code}`
                : 'Program is not running'}
          {session?.status !== 'terminated' && (
            <>
              {' — '}
              <button type="button" className="link" disabled={restarting} onClick={() => void restart()}>
                {restarting ? 'Restarting…' : 'Restart'}
              </button>
            </>
          )}
          {restartError && <span className="term-banner-error"> {restartError}</span>}
        </div>
      )}
    </>
  );
}
