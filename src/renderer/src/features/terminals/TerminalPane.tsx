import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Session } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { isRunning } from './session-store';
import { getTerminal } from './terminal-registry';
import { TerminalSearchBar } from './TerminalSearchBar';
import type { TerminalController } from './terminal-controller';
import { terminalDropHandlers } from './drop-paste';

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
      <div
        className="term-container"
        ref={container}
        {...terminalDropHandlers((text) => {
          controller?.term.paste(text);
          controller?.term.focus();
        })}
      />
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

  // A tab opened before its program started (worktree still being created, queued) attaches once it runs.
  const status = session?.status;
  useEffect(() => {
    if (state.phase === 'failed' && status && isRunning(status)) void controller.attach();
  }, [state.phase, status, controller]);
  const notStarted = state.phase === 'failed' && state.errorCode === 'TERMINAL_NOT_FOUND';

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
      {notStarted && (
        <div className="term-banner info">
          {status === 'queued'
            ? 'Queued — the program starts when a running slot frees up.'
            : status === 'initializing'
              ? 'Preparing the worktree — the terminal opens when the program starts…'
              : 'The program is not running.'}
          {status && !isRunning(status) && !['initializing', 'queued', 'terminated'].includes(status) && (
            <>
              {' '}
              <button type="button" className="link" disabled={restarting} onClick={() => void restart()}>
                Start
              </button>
            </>
          )}
        </div>
      )}
      {state.phase === 'failed' && !notStarted && (
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
