import { useSyncExternalStore } from 'react';

/** Renderer-only UI state shared across features: open terminal tabs, focus, selection, view. */
export interface UiState {
  view: 'sessions' | 'analytics' | 'settings';
  /** Session ids with an open terminal tab, in tab order. */
  openTabs: string[];
  activeTab: string | null;
  /** Session whose detail panel is shown (may differ from the active tab). */
  detailSessionId: string | null;
  selected: string[];
  search: string;
  wizard: { open: boolean; repoPath: string | null };
  dialog: null | 'batch' | 'broadcast' | 'cleanup' | 'help';
}

let state: UiState = {
  view: 'sessions',
  openTabs: [],
  activeTab: null,
  detailSessionId: null,
  selected: [],
  search: '',
  wizard: { open: false, repoPath: null },
  dialog: null,
};
const listeners = new Set<() => void>();

export function getUi(): UiState {
  return state;
}

export function setUi(update: Partial<UiState> | ((s: UiState) => Partial<UiState>)): void {
  const patch = typeof update === 'function' ? update(state) : update;
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useUi<T>(select: (s: UiState) => T): T {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => select(state),
  );
}

/** Opens (or focuses) a session's terminal tab. */
export function openTab(sessionId: string): void {
  setUi((s) => ({
    view: 'sessions',
    openTabs: s.openTabs.includes(sessionId) ? s.openTabs : [...s.openTabs, sessionId],
    activeTab: sessionId,
    detailSessionId: sessionId,
  }));
}

/** Closes a tab; the session keeps running. */
export function closeTab(sessionId: string): void {
  setUi((s) => {
    const idx = s.openTabs.indexOf(sessionId);
    const openTabs = s.openTabs.filter((id) => id !== sessionId);
    const activeTab =
      s.activeTab === sessionId ? (openTabs[Math.min(idx, openTabs.length - 1)] ?? null) : s.activeTab;
    return { openTabs, activeTab };
  });
}
