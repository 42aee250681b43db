import { startTransition, useEffect, useState } from 'react';

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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setPainted(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [painted]);
  return painted;
}
