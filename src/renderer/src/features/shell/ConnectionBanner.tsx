import { useRef } from 'react';
import { useConnectionState } from '../../lib/queries';

const labels: Record<string, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Not signed in — open the link printed by serve',
  closed: 'Disconnected',
};

/** The status bar's words for a connection state (the client may add states; unknown ones show as-is). */
export function connectionLabel(state: string): string {
  return labels[state] ?? state;
}

/**
 * A bar across the top while the connection to the host is lost after it had worked: what is on
 * screen may be stale, and actions wait until it is back. Everything is re-read on reconnect.
 */
export function ConnectionBanner() {
  const state = useConnectionState();
  const everOpen = useRef(false);
  if (state === 'open') everOpen.current = true;
  if (state === 'open' || !everOpen.current) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner" data-state={state}>
      <span className="spinner" aria-hidden />
      {state === 'closed'
        ? 'The connection to the Multisession host was lost. Sessions keep running there; reload the page once the host is back.'
        : 'Reconnecting to the Multisession host… Sessions keep running; the view catches up when the connection is back.'}
    </div>
  );
}
