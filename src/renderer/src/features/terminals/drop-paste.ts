import type { DragEvent } from 'react';
import { shellJoin } from '../../../../shared/command-line';
import { droppedKinds } from '../../lib/drop-kind';
import { dragMayCarryPath, pathsFromDataTransfer } from '../../lib/drop-paths';
import { TAB_DRAG_TYPE } from './TerminalTab';

/**
 * A drop on a terminal: files (known not to be folders) paste their quoted paths, as in VS Code;
 * with Shift held anything pastes its path. A folder — or a drop whose kind the browser hides —
 * is left to the window, which opens the wizard with it, as the drop overlay says.
 */
export function terminalDropHandlers(paste: (text: string) => void) {
  const accepts = (e: DragEvent) => !e.dataTransfer.types.includes(TAB_DRAG_TYPE) && dragMayCarryPath(e.dataTransfer);
  return {
    onDragOver: (e: DragEvent) => {
      if (!accepts(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDrop: (e: DragEvent) => {
      if (!accepts(e)) return;
      const kinds = droppedKinds(e.dataTransfer);
      const onlyFiles = kinds.files > 0 && kinds.folders === 0 && kinds.unknown === 0;
      if (!e.shiftKey && !onlyFiles) return;
      const paths = pathsFromDataTransfer(e.dataTransfer);
      if (paths.length === 0) return;
      // Handled here: the window-wide drop (which opens the wizard) sees defaultPrevented and stays out.
      e.preventDefault();
      paste(shellJoin(paths));
    },
  };
}
