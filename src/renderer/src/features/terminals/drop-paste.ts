import type { DragEvent } from 'react';
import { dragMayCarryPath, pathsFromDataTransfer } from '../../lib/drop-paths';
import { TAB_DRAG_TYPE } from './TerminalTab';

/** Quotes a path for a POSIX shell when it holds anything beyond safe characters. */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Lets a file or folder dropped on a terminal be pasted as its (quoted) path, as in VS Code. */
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
      const paths = pathsFromDataTransfer(e.dataTransfer);
      if (paths.length === 0) return;
      // Handled here: the window-wide drop (which opens the wizard) sees defaultPrevented and stays out.
      e.preventDefault();
      paste(paths.map(shellQuote).join(' '));
    },
  };
}
