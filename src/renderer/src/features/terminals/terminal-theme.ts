import type { ITheme } from '@xterm/xterm';

export type ThemeMode = 'dark' | 'light';

const dark: ITheme = {
  background: '#1e1e1e',
  foreground: '#cccccc',
  cursor: '#aeafad',
  cursorAccent: '#1e1e1e',
  selectionBackground: '#264f78',
  black: '#000000',
  red: '#cd3131',
  green: '#0dbc79',
  yellow: '#e5e510',
  blue: '#2472c8',
  magenta: '#bc3fbc',
  cyan: '#11a8cd',
  white: '#e5e5e5',
  brightBlack: '#666666',
  brightRed: '#f14c4c',
  brightGreen: '#23d18b',
  brightYellow: '#f5f543',
  brightBlue: '#3b8eea',
  brightMagenta: '#d670d6',
  brightCyan: '#29b8db',
  brightWhite: '#e5e5e5',
};

const light: ITheme = {
  background: '#ffffff',
  foreground: '#333333',
  cursor: '#000000',
  cursorAccent: '#ffffff',
  selectionBackground: '#add6ff',
  black: '#000000',
  red: '#cd3131',
  green: '#107c10',
  yellow: '#949800',
  blue: '#0451a5',
  magenta: '#bc05bc',
  cyan: '#0598bc',
  white: '#555555',
  brightBlack: '#666666',
  brightRed: '#cd3131',
  brightGreen: '#14ce14',
  brightYellow: '#b5ba00',
  brightBlue: '#0451a5',
  brightMagenta: '#bc05bc',
  brightCyan: '#0598bc',
  brightWhite: '#a5a5a5',
};

/** xterm colours for the app's light or dark theme. */
export function terminalTheme(mode: ThemeMode): ITheme {
  return mode === 'dark' ? dark : light;
}

/** The colours a program may ask its terminal for (OSC 10/11/12), as this theme draws them. */
export function reportedColours(mode: ThemeMode): { foreground: string; background: string; cursor: string } {
  const theme = terminalTheme(mode);
  return { foreground: theme.foreground!, background: theme.background!, cursor: theme.cursor! };
}

const media = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

/**
 * The app theme: an explicit `data-theme="dark|light"` (or class `dark`/`light`) on <html> or <body>
 * wins; otherwise the system preference.
 */
export function currentThemeMode(): ThemeMode {
  for (const el of [document.documentElement, document.body]) {
    if (!el) continue;
    const attr = el.dataset.theme;
    if (attr === 'dark' || attr === 'light') return attr;
    if (el.classList.contains('dark') || el.classList.contains('theme-dark')) return 'dark';
    if (el.classList.contains('light') || el.classList.contains('theme-light')) return 'light';
  }
  return media().matches ? 'dark' : 'light';
}

/** Calls `cb` with the new mode whenever the app or system theme changes. */
export function watchThemeMode(cb: (mode: ThemeMode) => void): () => void {
  let last = currentThemeMode();
  const check = () => {
    const next = currentThemeMode();
    if (next !== last) {
      last = next;
      cb(next);
    }
  };
  const mq = media();
  mq.addEventListener('change', check);
  const mo = new MutationObserver(check);
  const opts = { attributes: true, attributeFilter: ['class', 'data-theme'] };
  mo.observe(document.documentElement, opts);
  if (document.body) mo.observe(document.body, opts);
  return () => {
    mq.removeEventListener('change', check);
    mo.disconnect();
  };
}
