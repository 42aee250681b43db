import { useSyncExternalStore } from 'react';
import { loadPersistedUi, pickPersisted, savePersistedUi, type PersistedUi } from './ui-persistence';

export type DialogName =
  'batch' | 'broadcast' | 'cleanup' | 'help' | 'batch-command' | 'confirm' | 'edit-session' | 'terminate';

/** A question the shell asks before an action over many sessions (ConfirmDialog shows it). */
export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): void;
}

/**
 * Renderer-only UI state shared across features. `selectedId` is the one selected session: the
 * active terminal tab, the highlighted sidebar row and the session the detail pane shows are all
 * this one id, so no pane can show another session than its neighbours.
 */
export interface UiState extends PersistedUi {
  search: string;
  statusFilter: string;
  typeFilter: string;
  wizard: { open: boolean; repoPath: string | null };
  dialog: DialogName | null;
  confirm: ConfirmRequest | null;
  /** The session a per-session dialog (edit, terminate) is about, and the field to focus first. */
  dialogSessionId: string | null;
  dialogFocus: 'name' | 'priority' | null;
  /** Batch shown in the results grid (dialog 'batch'). */
  batchId: string | null;
  /** A batch is being started (grid shows progress) or failed to start (grid shows why). */
  batchStarting: boolean;
  batchError: string | null;
}

let state: UiState = {
  ...loadPersistedUi(),
  search: '',
  statusFilter: 'all',
  typeFilter: 'all',
  wizard: { open: false, repoPath: null },
  dialog: null,
  confirm: null,
  dialogSessionId: null,
  dialogFocus: null,
  batchId: null,
  batchStarting: false,
  batchError: null,
};
const listeners = new Set<() => void>();

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let lastSaved = JSON.stringify(pickPersisted(state));
function persistSoon(): void {
  if (saveTimer) return;
  saveTimer = setTimeout(persistNow, 150);
}
function persistNow(): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  const snapshot = pickPersisted(state);
  const text = JSON.stringify(snapshot);
  if (text === lastSaved) return;
  lastSaved = text;
  savePersistedUi(snapshot);
}
// A reload or a closing window must not lose the last 150 ms of changes.
window.addEventListener('pagehide', persistNow);

export function getUi(): UiState {
  return state;
}

export function setUi(update: Partial<UiState> | ((s: UiState) => Partial<UiState>)): void {
  const patch = typeof update === 'function' ? update(state) : update;
  let changed = false;
  for (const k of Object.keys(patch) as Array<keyof UiState>) {
    if (patch[k] !== state[k]) changed = true;
  }
  if (!changed) return;
  state = { ...state, ...patch };
  persistSoon();
  for (const l of listeners) l();
}

export function useUi<T>(select: (s: UiState) => T): T {
  return useSyncExternalStore(subscribeUi, () => select(state));
}

/** Calls `listener` after every UI state change, outside React (e.g. to dispose closed terminals). */
export function subscribeUi(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Opens (or focuses) a session's terminal tab and selects the session everywhere. */
export function openTab(sessionId: string): void {
  setUi((s) => ({
    view: 'sessions',
    openTabs: s.openTabs.includes(sessionId) ? s.openTabs : [...s.openTabs, sessionId],
    selectedId: sessionId,
  }));
}

/** The tab that takes over when `closing` goes: the one right of it, else the one left of it. */
function neighbour(tabs: string[], closing: string): string | null {
  const i = tabs.indexOf(closing);
  if (i < 0) return null;
  return tabs[i + 1] ?? tabs[i - 1] ?? null;
}

/** Closes a tab (the session keeps running); the selection moves to the neighbouring tab. */
export function closeTab(sessionId: string): void {
  setUi((s) => {
    if (!s.openTabs.includes(sessionId)) return {};
    const openTabs = s.openTabs.filter((id) => id !== sessionId);
    const selectedId = s.selectedId === sessionId ? neighbour(s.openTabs, sessionId) : s.selectedId;
    return { openTabs, selectedId };
  });
}

/** Closes every tab except `keep` (or all). */
export function closeOtherTabs(keep: string | null): void {
  setUi((s) => ({
    openTabs: keep && s.openTabs.includes(keep) ? [keep] : [],
    selectedId: keep && s.openTabs.includes(keep) ? keep : null,
  }));
}

/** The host removed a session: it leaves the tabs, the selection and the multi-selection. */
export function forgetSession(sessionId: string): void {
  closeTab(sessionId);
  setUi((s) => ({
    selectedId: s.selectedId === sessionId ? null : s.selectedId,
    selected: s.selected.includes(sessionId) ? s.selected.filter((id) => id !== sessionId) : s.selected,
  }));
}

/** Drops remembered ids (from the last visit) of sessions the host no longer has. */
export function forgetMissingSessions(known: ReadonlySet<string>): void {
  const s = state;
  const openTabs = s.openTabs.filter((id) => known.has(id));
  const selected = s.selected.filter((id) => known.has(id));
  const selectedId =
    s.selectedId && known.has(s.selectedId) ? s.selectedId : s.selectedId ? (openTabs[0] ?? null) : null;
  if (openTabs.length === s.openTabs.length && selected.length === s.selected.length && selectedId === s.selectedId)
    return;
  setUi({ openTabs, selected, selectedId });
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

/** Asks before an action over many sessions; runs `onConfirm` only when the user agrees. */
export function askConfirm(request: ConfirmRequest): void {
  setUi({ dialog: 'confirm', confirm: request });
}

/** Opens the edit (rename, priority, limits) or terminate dialog of one session. */
export function openSessionDialog(
  dialog: 'edit-session' | 'terminate',
  sessionId: string,
  focus: 'name' | 'priority' | null = null,
): void {
  setUi({ dialog, dialogSessionId: sessionId, dialogFocus: focus });
}
