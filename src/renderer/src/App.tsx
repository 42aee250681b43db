import { AppShell } from './features/shell/AppShell';
import { useLiveInvalidation } from './lib/queries';
import { useTheme } from './lib/use-theme';

/** The renderer root: keeps the cache live, applies the theme, draws the shell. */
export function App() {
  useLiveInvalidation();
  useTheme();
  return <AppShell />;
}
