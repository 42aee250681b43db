import { z } from 'zod';

/**
 * The part of the UI state that survives a reload and a restart: open tabs, the selected session,
 * the multi-selection, the view, panel sizes, collapsed groups, the analytics range. Each field
 * falls back on its own when the stored value is missing or malformed, so one bad field (an older
 * version, a hand edit) never throws the rest away.
 */
export const persistedUiSchema = z.object({
  view: z.enum(['sessions', 'analytics', 'settings']).catch('sessions'),
  openTabs: z.array(z.string().max(64)).max(500).catch([]),
  selectedId: z.string().max(64).nullable().catch(null),
  selected: z.array(z.string().max(64)).max(1000).catch([]),
  showTerminated: z.boolean().catch(false),
  sidebarWidth: z.number().min(0).max(4000).catch(280),
  sidebarCollapsed: z.boolean().catch(false),
  detailWidth: z.number().min(0).max(4000).catch(400),
  detailOpen: z.boolean().catch(true),
  detailTab: z.string().max(40).catch('overview'),
  collapsedGroups: z.array(z.string().max(4096)).max(500).catch([]),
  analyticsRange: z.string().max(10).catch('1h'),
});
export type PersistedUi = z.infer<typeof persistedUiSchema>;

export const persistedKeys = Object.keys(persistedUiSchema.shape) as Array<keyof PersistedUi>;

const STORAGE_KEY = 'multisession.ui.v1';

/** What was stored by the last visit, each field checked; defaults for anything unusable. */
export function loadPersistedUi(): PersistedUi {
  let raw: unknown = {};
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (text) raw = JSON.parse(text);
  } catch {
    // Unreadable storage (private mode, corrupt JSON): start from the defaults.
  }
  const obj = typeof raw === 'object' && raw !== null ? raw : {};
  return persistedUiSchema.parse(obj);
}

export function savePersistedUi(state: PersistedUi): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or blocked: the UI still works, it just will not remember.
  }
}

export function pickPersisted<T extends PersistedUi>(state: T): PersistedUi {
  const out: Record<string, unknown> = {};
  for (const k of persistedKeys) out[k] = state[k];
  return out as PersistedUi;
}
