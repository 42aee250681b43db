import { AppShell } from './features/shell/AppShell';
import { useLiveUpdates } from './lib/live-updates';
import { useTheme } from './lib/use-theme';

/** The renderer root: keeps the cache live, applies the theme, draws the shell. */
export function App() {
  useLiveUpdates();
  useTheme();
  return <AppShell />;
}
