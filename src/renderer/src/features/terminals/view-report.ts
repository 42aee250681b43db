import { useEffect } from 'react';
import { getClient, getConnectionState, onConnectionChange } from '../../lib/client';
import { paneSize } from './pane-size';
import { currentThemeMode, reportedColours, watchThemeMode } from './terminal-theme';

/** Tells the host what this app's terminals look like (see the `terminals.view` request). */
function report(): void {
  void getClient()
    .request('terminals.view', { colours: reportedColours(currentThemeMode()), ...paneSize() })
    .catch(() => undefined);
}

/**
 * Mount once at the root: when the app connects and whenever its theme changes, the host hears the
 * terminal theme (and the pane's size), so an agent started before its tab opens — from the wizard,
 * the CLI, a restart — draws its first screen for this theme and size, not the dark default.
 */
export function useTerminalViewReport(): void {
  useEffect(() => {
    if (getConnectionState() === 'open') report();
    const offConnection = onConnectionChange((state) => {
      if (state === 'open') report();
    });
    const offTheme = watchThemeMode(() => report());
    return () => {
      offConnection();
      offTheme();
    };
  }, []);
}
