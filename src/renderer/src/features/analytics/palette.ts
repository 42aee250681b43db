import type { SessionStatus } from '../../../../shared/domain';

/** A distinct colour for the i-th series: golden-angle hues, so neighbours never look alike. */
export function seriesColor(i: number): string {
  const hue = (i * 137.508 + 210) % 360;
  const light = i % 2 === 0 ? 52 : 62;
  return `hsl(${hue.toFixed(0)} 70% ${light}%)`;
}

/** The theme's colour for a status (the same variables as status dots elsewhere). */
export function statusColor(status: SessionStatus | string): string {
  return cssVar(`--st-${status}`) || '#888888';
}

/** Reads a CSS custom property from the document root. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The colour with transparency, for fills (canvas does not take every CSS colour syntax). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  if (color.startsWith('hsl(') && !color.includes('/')) return color.replace(/\)$/, ` / ${alpha})`);
  return color;
}
