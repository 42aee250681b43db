import { AppShell } from './features/shell/AppShell';
import { AccessNeeded } from './features/connection/AccessNeeded';
import { useLiveUpdates } from './lib/live-updates';
import { useConnectionState } from './lib/queries';
import { useTheme } from './lib/use-theme';
import { useTerminalViewReport } from './features/terminals/view-report';

/** The renderer root: keeps the cache live, applies the theme, draws the shell (or how to get in). */
export function App() {
  useLiveUpdates();
  useTheme();
  useTerminalViewReport();
  const connection = useConnectionState();
  return connection === 'unauthorized' ? <AccessNeeded /> : <AppShell />;
}
