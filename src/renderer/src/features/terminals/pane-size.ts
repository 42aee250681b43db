/**
 * The size, in cells, of the terminal pane the last time a tab measured it. Every tab shows in the
 * same pane, so this is the size a new session's terminal will be shown at: the wizard starts
 * sessions at it (issue #12: a program's first screen is drawn for its real size, not redrawn
 * after a resize, which some agents draw badly). Null until a terminal has been laid out.
 */
let last: { cols: number; rows: number } | null = null;

export function notePaneSize(size: { cols: number; rows: number }): void {
  last = { cols: size.cols, rows: size.rows };
}

export function paneSize(): { cols: number; rows: number } | null {
  return last;
}
