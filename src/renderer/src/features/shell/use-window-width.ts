import { useSyncExternalStore } from 'react';

let width = window.innerWidth;
const listeners = new Set<() => void>();
let frame = 0;
window.addEventListener('resize', () => {
  // One update per frame while the window is being dragged larger or smaller.
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    for (const l of listeners) l();
  });
});

/** The window's inner width, updated at most once per frame. */
export function useWindowWidth(): number {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => width,
  );
}
