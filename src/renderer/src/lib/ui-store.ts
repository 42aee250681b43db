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
  dialog: null | 'batch' | 'broadcast' | 'cleanup' | 'help' | 'batch-command';
  /** Batch shown in the results grid (dialog 'batch'). */
  batchId: string | null;
  /** A batch is being started (grid shows progress) or failed to start (grid shows why). */
  batchStarting: boolean;
  batchError: string | null;
  /** Sidebar filters next to the search box. */
  statusFilter: string;
  typeFilter: string;
  showTerminated: boolean;
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
  batchId: null,
  batchStarting: false,
  batchError: null,
  statusFilter: 'all',
  typeFilter: 'all',
  showTerminated: false,
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
    const activeTab = s.activeTab === sessionId ? (openTabs[Math.min(idx, openTabs.length - 1)] ?? null) : s.activeTab;
    return { openTabs, activeTab };
  });
}

/** Opens the creation wizard, optionally with a repository already chosen. */
export function openWizard(repoPath: string | null = null): void {
  setUi({ wizard: { open: true, repoPath } });
}

/** Adds or removes a session from the multi-selection used by batch and broadcast. */
export function toggleSelected(sessionId: string): void {
  setUi((s) => ({
    selected: s.selected.includes(sessionId) ? s.selected.filter((id) => id !== sessionId) : [...s.selected, sessionId],
  }));
}

/** Shows a batch's live results grid. */
export function showBatch(batchId: string): void {
  setUi({ batchId, dialog: 'batch', batchStarting: false, batchError: null });
}

/** Calls `listener` after every UI state change, outside React (e.g. to dispose closed terminals). */
export function subscribeUi(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
