import { startTransition, useEffect, useState } from 'react';

/**
 * Runs `run` in the task after the next frame is painted (a frame callback, then a task): work a
 * click needs done, but not before the click's frame shows. Returns the cancel.
 */
export function afterPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(run, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * False in the render that mounts the component and true from the task after its first frame is
 * painted: the heavy part of a pane that a click replaces (the detail pane's body when another
 * session is selected) renders after the click's frame, which then shows the row, the tab and the
 * pane's header of the new selection sooner (bench renderer: a 100-session tab switch).
 */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (painted) return;
    return afterPaint(() => startTransition(() => setPainted(true)));
  }, [painted]);
  return painted;
}
