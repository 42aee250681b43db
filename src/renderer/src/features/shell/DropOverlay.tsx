import { useEffect, useState } from 'react';
import { dragMayCarryPath, pathsFromDataTransfer } from '../../lib/drop-paths';
import { isElectron } from '../../lib/client';
import { showToast } from '../../lib/toasts';
import { openWizard } from '../../lib/ui-store';

/**
 * A folder dropped anywhere on the window — a terminal included — opens the wizard with it chosen.
 * Over a terminal the overlay also says how to paste a path instead (files paste by themselves,
 * Shift pastes anything). A drop that carries no path says so instead of doing nothing.
 */
export function DropOverlay() {
  const [drag, setDrag] = useState<{ overTerminal: boolean } | null>(null);
  useEffect(() => {
    let depth = 0;
    const overTerminal = (e: DragEvent) => e.target instanceof Element && e.target.closest('.term-container') !== null;
    const onEnter = (e: DragEvent) => {
      if (!dragMayCarryPath(e.dataTransfer)) return;
      depth++;
      setDrag({ overTerminal: overTerminal(e) });
    };
    const onOver = (e: DragEvent) => {
      if (!dragMayCarryPath(e.dataTransfer)) return;
      const over = overTerminal(e);
      setDrag((d) => (d && d.overTerminal === over ? d : { overTerminal: over }));
      if (e.defaultPrevented) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDrag(null);
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDrag(null);
      // A terminal that pasted a file's path prevents default; everything else is ours.
      if (e.defaultPrevented || !e.dataTransfer) return;
      e.preventDefault();
      const paths = pathsFromDataTransfer(e.dataTransfer);
      if (paths.length > 0) {
        openWizard(paths[0]);
        if (paths.length > 1) {
          showToast({
            kind: 'info',
            sessionId: null,
            title: `${paths.length} items dropped — using the first`,
            body: `${paths[0]} is in the wizard; drop the others one at a time.`,
          });
        }
        return;
      }
      showToast({
        kind: 'error',
        sessionId: null,
        title: 'That drop carried no folder path',
        body: isElectron()
          ? 'Drag the repository folder itself from your file manager, or click New session and choose it.'
          : 'Browsers do not tell a page where a dropped folder lives. Click New session and type or paste its path.',
      });
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
  if (!drag) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" data-over-terminal={drag.overTerminal || undefined}>
      <div className="drop-overlay-card">
        <span className="drop-icon" aria-hidden>
          ⇣
        </span>
        <span className="drop-title">Drop a repository folder to start a session in it</span>
        {drag.overTerminal && (
          <span className="muted" data-testid="drop-overlay-terminal-hint">
            A file dropped here pastes its path into this terminal; hold Shift to paste a folder’s path.
          </span>
        )}
      </div>
    </div>
  );
}
