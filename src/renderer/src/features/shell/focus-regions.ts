/**
 * F6 / Shift+F6 move focus between the window's regions — toolbar, session list, terminal,
 * details — as in browsers and desktop apps. It is how a keyboard leaves a terminal, which keeps
 * Tab for the program running in it.
 */
const regions: Array<() => HTMLElement | null> = [
  () => document.querySelector<HTMLElement>('[data-testid="toolbar-new-session"]'),
  () =>
    document.querySelector<HTMLElement>('.sidebar-list .session-main[tabindex="0"]') ??
    document.querySelector<HTMLElement>('[data-testid="toolbar-search"]') ??
    document.querySelector<HTMLElement>('[data-testid="sidebar-expand"]'),
  () =>
    document.querySelector<HTMLElement>('.term-pane:not([hidden]) .xterm-helper-textarea') ??
    document.querySelector<HTMLElement>('.term-tabs [role="tab"][tabindex="0"]') ??
    document.querySelector<HTMLElement>('.main-area .drop-target, .main-area [data-testid="settings-page"] select'),
  () =>
    document.querySelector<HTMLElement>('[data-testid="session-detail"] .detail-tab[tabindex="0"]') ??
    document.querySelector<HTMLElement>('[data-testid="detail-expand"]'),
];

function regionOf(el: Element | null): number {
  if (!el) return -1;
  if (el.closest('.toolbar')) return 0;
  if (el.closest('.sidebar, .pane-rail.left')) return 1;
  if (el.closest('.terminal-area, .main-area.scroll')) return 2;
  if (el.closest('.detail, .pane-rail.right, .detail-drawer')) return 3;
  return -1;
}

/** Focuses the next (or previous) region that has something to focus; false when none has. */
export function focusNextRegion(backwards: boolean): boolean {
  const from = regionOf(document.activeElement);
  for (let step = 1; step <= regions.length; step++) {
    const i = (from + (backwards ? -step : step) + regions.length * 2) % regions.length;
    const target = regions[i]();
    if (target && target.offsetParent !== null) {
      target.focus();
      return true;
    }
    // The terminal's textarea is positioned off-screen by xterm: offsetParent still exists.
    if (target && target.classList.contains('xterm-helper-textarea')) {
      target.focus();
      return true;
    }
  }
  return false;
}
