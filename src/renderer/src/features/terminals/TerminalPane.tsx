import { memo, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Session } from '../../../../shared/domain';
import {
  isPendingStatus,
  isRunningStatus,
  isStartableStatus,
  isTerminatedStatus,
} from '../../../../shared/session-state';
import { getClient } from '../../lib/client';
import { useSession, useSettings } from '../../lib/queries';
import { setUi } from '../../lib/ui-store';
import { afterPaint } from '../../lib/after-paint';
import { consumeClosedWhileTyping, consumeSwitchWhileTyping, getTerminal } from './terminal-registry';
import { TerminalSearchBar } from './TerminalSearchBar';
import type { TerminalController } from './terminal-controller';
import { terminalDropHandlers } from './drop-paste';

interface Props {
  sessionId: string;
  active: boolean;
}

/** One open tab's terminal. Hidden (not unmounted) while another tab is active. */
export const TerminalPane = memo(function TerminalPane({ sessionId, active }: Props) {
  const session = useSession(sessionId);
  const container = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<TerminalController | null>(null);

  useEffect(() => {
    const c = getTerminal(sessionId);
    if (container.current) c.mount(container.current);
    setController(c);
  }, [sessionId]);

  // A tab switched by a shortcut typed in a terminal: focus moves in this commit, before the next
  // key is handled (the fit still waits for the frame below).
  useLayoutEffect(() => {
    if (controller && active && consumeSwitchWhileTyping()) controller.focusAtOnce();
  }, [active, controller]);

  useEffect(() => {
    if (!controller) return;
    if (!active) {
      controller.hide();
      return;
    }
    // After the frame that shows the tab, not in the click nor in that frame: fitting reads layout,
    // and moving the focus into the terminal costs the browser ~3 ms (its style and the input's
    // editing state) — done earlier they delayed the frame that shows the tab (bench renderer).
    // Keys until then go to the row or tab that was clicked, never to another session's terminal.
    return afterPaint(() => controller.show(shouldTakeFocus()));
  }, [active, controller]);

  return (
    <div
      className="term-pane"
      data-testid={`terminal-${sessionId}`}
      hidden={!active}
      role="tabpanel"
      id={`tabpanel-${sessionId}`}
      aria-labelledby={`tab-${sessionId}`}
    >
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
});

/** Take focus when a tab is shown, unless the user is typing in a field elsewhere (search box, dialog). */
function shouldTakeFocus(): boolean {
  // The user was typing in a tab that just closed: the keys that follow must not go to another session.
  if (consumeClosedWhileTyping()) return false;
  const el = document.activeElement;
  if (!el || el === document.body || el.closest('.term-pane, .term-tabs')) return true;
  return !(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement);
}

function PaneChrome({ controller, session }: { controller: TerminalController; session: Session | undefined }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const [restarting, setRestarting] = useState(false);
  const [restartError, setRestartError] = useState<string | null>(null);

  const stopped = session ? !isRunningStatus(session.status) && !isPendingStatus(session.status) : false;
  const showExit = state.phase === 'attached' && stopped;
  const code = state.exit?.code ?? session?.exitCode ?? null;
  const signal = state.exit?.signal ?? null;

  // A tab opened before its program started (worktree still being created, queued) attaches once it runs.
  const status = session?.status;
  useEffect(() => {
    if (state.phase === 'failed' && status && isRunningStatus(status)) void controller.attach();
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
      {status && isPendingStatus(status) && <PendingBanner session={session!} />}
      {notStarted && status && !isPendingStatus(status) && (
        <div className="term-banner info">
          The program is not running.
          {isStartableStatus(status) && (
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
          {session && isTerminatedStatus(session.status)
            ? 'Session terminated'
            : session?.status === 'paused'
              ? `Paused — folder freed, work committed on ${session.branch}. Resume it from the session menu.`
              : signal !== null
                ? `Program exited (signal ${signal})`
                : code !== null
                  ? `Program exited with code ${code}`
                  : 'Program is not running'}
          {session && !isTerminatedStatus(session.status) && session.status !== 'paused' && (
            <>
              {' — '}
              <button type="button" className="link" disabled={restarting} onClick={() => void restart()}>
                {restarting ? 'Starting…' : session?.status === 'stopped' ? 'Start' : 'Restart'}
              </button>
            </>
          )}
          {restartError && <span className="term-banner-error"> {restartError}</span>}
        </div>
      )}
    </>
  );
}

/**
 * A queued or initializing session has no program yet, so its terminal is empty: say why, how
 * long it may wait, and what would start it sooner.
 */
function PendingBanner({ session }: { session: Session }) {
  const settings = useSettings().data;
  if (session.status === 'initializing') {
    return (
      <div className="term-banner info" data-testid="terminal-pending-banner">
        Preparing the worktree — the terminal opens when the program starts…
      </div>
    );
  }
  const cap = settings?.maxRunning;
  const why =
    cap === undefined
      ? 'the running cap is reached'
      : `${cap} program${cap === 1 ? ' is' : 's are'} already running (the running cap)`;
  return (
    <div className="term-banner info" data-testid="terminal-pending-banner">
      Queued — {why}; this one starts as soon as a slot frees up, higher priority first.{' '}
      <button type="button" className="link" onClick={() => setUi({ view: 'settings' })}>
        Raise the cap in Settings
      </button>
    </div>
  );
}
