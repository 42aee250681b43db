import { useEffect, useState } from 'react';
import { dragMayCarryPath, pathsFromDataTransfer } from '../../lib/drop-paths';
import { openWizard } from '../../lib/ui-store';

/** A folder dropped anywhere on the window opens the wizard with it chosen. */
export function DropOverlay() {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!dragMayCarryPath(e.dataTransfer)) return;
      depth++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (e.defaultPrevented || !dragMayCarryPath(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      // A feature that handled the drop itself (e.g. a terminal pasting the path) prevents default.
      if (e.defaultPrevented || !e.dataTransfer) return;
      const paths = pathsFromDataTransfer(e.dataTransfer);
      e.preventDefault();
      if (paths.length > 0) openWizard(paths[0]);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      <div className="drop-overlay-card">
        <span className="drop-icon">⇣</span>
        <span className="drop-title">Drop the repository folder to start a session</span>
      </div>
    </div>
  );
}
