import { useSyncExternalStore } from 'react';

/** Which full-window review view is open, if any. */
export type ReviewOverlay =
  | { kind: 'review'; sessionId: string }
  | { kind: 'conflicts'; repoPath: string | null }
  | { kind: 'compare'; groupId: string }
  | null;

let overlay: ReviewOverlay = null;
const listeners = new Set<() => void>();

function set(next: ReviewOverlay): void {
  overlay = next;
  for (const l of listeners) l();
}

export const openReview = (sessionId: string) => set({ kind: 'review', sessionId });
export const openConflicts = (repoPath: string | null = null) => set({ kind: 'conflicts', repoPath });
export const openCompare = (groupId: string) => set({ kind: 'compare', groupId });
export const closeReviewOverlay = () => set(null);

export function useReviewOverlay(): ReviewOverlay {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => overlay,
  );
}

const MODE_KEY = 'multisession.review.diffMode';

/** Unified or side-by-side, remembered on this device. */
export function loadDiffMode(): 'unified' | 'split' {
  try {
    return localStorage.getItem(MODE_KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}
export function saveDiffMode(mode: 'unified' | 'split'): void {
  try {
    localStorage.setItem(MODE_KEY, mode);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts until reload.
  }
}
