import { describe, expect, it } from 'vitest';
import { DETAIL_MIN, GUTTER, paneLayout, RAIL, SIDEBAR_MIN, TERMINAL_MIN } from './pane-layout';

const base = { sidebarWidth: 280, sidebarCollapsed: false, detailWidth: 400, detailOpen: true, detailWanted: true };

describe('paneLayout', () => {
  it('docks both panes at their chosen widths when the window is wide', () => {
    const l = paneLayout({ ...base, windowWidth: 1920 });
    expect(l.sidebar).toEqual({ mode: 'docked', width: 280 });
    expect(l.detail).toEqual({ mode: 'docked', width: 400 });
  });

  it('keeps the terminal usable at every width from 900 to 2560 px', () => {
    for (let w = 900; w <= 2560; w += 20) {
      const l = paneLayout({ ...base, windowWidth: w });
      const docked = l.detail.mode === 'docked' ? l.detail.width : l.detail.mode === 'rail' ? l.detail.width : 0;
      expect(w - l.sidebar.width - docked - 2 * GUTTER).toBeGreaterThanOrEqual(TERMINAL_MIN);
    }
  });

  it('narrows the detail pane before it stops docking, then turns it into a drawer', () => {
    const narrowed = paneLayout({ ...base, windowWidth: 1080 });
    expect(narrowed.detail.mode).toBe('docked');
    expect(narrowed.detail.width).toBe(1080 - 280 - 2 * GUTTER - TERMINAL_MIN);
    const drawer = paneLayout({ ...base, windowWidth: 900 });
    expect(drawer.detail.mode).toBe('overlay');
    expect(drawer.detail.width).toBeGreaterThanOrEqual(DETAIL_MIN);
  });

  it('clamps stored sizes and collapses to rails', () => {
    expect(paneLayout({ ...base, windowWidth: 1600, sidebarWidth: 5 }).sidebar.width).toBe(SIDEBAR_MIN);
    expect(paneLayout({ ...base, windowWidth: 1600, sidebarCollapsed: true }).sidebar).toEqual({
      mode: 'rail',
      width: RAIL,
    });
    expect(paneLayout({ ...base, windowWidth: 1600, detailOpen: false }).detail).toEqual({ mode: 'rail', width: RAIL });
    expect(paneLayout({ ...base, windowWidth: 1600, detailWanted: false }).detail.width).toBe(0);
  });
});
