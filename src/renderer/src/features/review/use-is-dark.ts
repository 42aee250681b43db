import { useSyncExternalStore } from 'react';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'dark') return true;
  if (forced === 'light') return false;
  return query().matches;
}

function subscribe(listener: () => void): () => void {
  const mq = query();
  mq.addEventListener('change', listener);
  // settings.theme is applied as data-theme on <html> (lib/use-theme.ts).
  const mo = new MutationObserver(listener);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    mq.removeEventListener('change', listener);
    mo.disconnect();
  };
}

/** Whether the app is showing its dark theme (the diff viewer needs to be told). */
export function useIsDark(): boolean {
  return useSyncExternalStore(subscribe, isDark);
}
