import { useEffect } from 'react';
import { useSettings } from './queries';

/** Applies settings.theme to the document; 'system' leaves it to prefers-color-scheme. */
export function useTheme(): void {
  const { data } = useSettings();
  const theme = data?.theme ?? 'system';
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
