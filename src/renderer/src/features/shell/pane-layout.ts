/** Sizes the window's panes get; widths in CSS pixels. */
export interface PaneLayout {
  sidebar: { mode: 'docked' | 'rail'; width: number };
  /** docked: beside the terminal; overlay: a drawer over it (too narrow to share); rail: collapsed. */
  detail: { mode: 'docked' | 'overlay' | 'rail'; width: number };
}

export const SIDEBAR_MIN = 200;
export const SIDEBAR_MAX = 520;
export const DETAIL_MIN = 300;
export const DETAIL_MAX = 720;
/** Below this the terminal is too narrow to use (about 50 columns at 13 px). */
export const TERMINAL_MIN = 420;
export const RAIL = 32;
/** The track a splitter takes between two panes (it is 5 px wide with -2 px margins). */
export const GUTTER = 1;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Fits the sidebar, the terminal and the detail pane into the window. The terminal is the reason
 * the app exists, so it always keeps TERMINAL_MIN: the sidebar gives way first (down to its
 * minimum), then the detail pane stops docking and opens as a drawer over the terminal instead.
 */
export function paneLayout(input: {
  windowWidth: number;
  sidebarWidth: number;
  sidebarCollapsed: boolean;
  detailWidth: number;
  detailOpen: boolean;
  /** Whether the detail pane is shown at all (a session is selected on the sessions view). */
  detailWanted: boolean;
}): PaneLayout {
  const w = input.windowWidth;
  let sidebarWidth = input.sidebarCollapsed ? RAIL : clamp(input.sidebarWidth, SIDEBAR_MIN, SIDEBAR_MAX);
  // The sidebar never takes more than a third of a narrow window.
  if (!input.sidebarCollapsed) sidebarWidth = Math.max(SIDEBAR_MIN, Math.min(sidebarWidth, Math.floor(w / 3)));
  const sidebar = { mode: input.sidebarCollapsed ? ('rail' as const) : ('docked' as const), width: sidebarWidth };
  if (!input.detailWanted) return { sidebar, detail: { mode: 'rail', width: 0 } };
  const detailWidth = clamp(input.detailWidth, DETAIL_MIN, DETAIL_MAX);
  if (!input.detailOpen) return { sidebar, detail: { mode: 'rail', width: RAIL } };
  const room = w - sidebarWidth - (input.sidebarCollapsed ? 0 : GUTTER) - GUTTER - TERMINAL_MIN;
  if (room >= detailWidth) return { sidebar, detail: { mode: 'docked', width: detailWidth } };
  if (room >= DETAIL_MIN) return { sidebar, detail: { mode: 'docked', width: room } };
  // Too narrow to share: the terminal keeps the width, the details slide over it when asked.
  return {
    sidebar,
    detail: { mode: 'overlay', width: Math.min(detailWidth, Math.max(DETAIL_MIN, w - sidebarWidth - 40)) },
  };
}
