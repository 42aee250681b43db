/**
 * The app's keyboard shortcuts and which of them skip a focused terminal (VS Code's
 * commandsToSkipShell). A focused terminal gets every key except the chords of the commands in
 * the skip list; the defaults take no Ctrl+letter a shell, vim, less or an agent uses — only
 * Ctrl+Shift chords (a terminal has no byte of its own for them) and Cmd on macOS — and pick, in a browser tab, chords the browser lets a page have (Chrome keeps Ctrl+W, Ctrl+T,
 * Ctrl+N, Ctrl+Tab, Ctrl+Shift+W/T/N for itself). The list is the `commandsToSkipShell` setting.
 */
export type CommandId =
  | 'terminal.copy'
  | 'terminal.paste'
  | 'terminal.selectAll'
  | 'terminal.find'
  | 'tabs.next'
  | 'tabs.previous'
  | 'tabs.close'
  | 'tabs.goTo';

export interface CommandInfo {
  id: CommandId;
  title: string;
  /** Chords on Linux/Windows and on macOS; `browser` replaces them in a browser tab where given. */
  keys: { other: string[]; mac: string[]; browser?: string[]; browserMac?: string[] };
}

export const commands: readonly CommandInfo[] = [
  { id: 'terminal.copy', title: 'Copy the selection', keys: { other: ['Ctrl+Shift+C'], mac: ['Meta+C'] } },
  { id: 'terminal.paste', title: 'Paste', keys: { other: ['Ctrl+Shift+V'], mac: ['Meta+V'] } },
  {
    id: 'terminal.selectAll',
    title: 'Select all, scrollback included (and copy it)',
    // Chrome keeps Ctrl+Shift+A (tab search) for itself.
    keys: { other: ['Ctrl+Shift+A'], mac: ['Meta+A'], browser: ['Alt+Shift+A'], browserMac: ['Meta+A'] },
  },
  { id: 'terminal.find', title: 'Find in the terminal', keys: { other: ['Ctrl+Shift+F'], mac: ['Meta+F'] } },
  {
    id: 'tabs.next',
    title: 'Next tab',
    keys: { other: ['Ctrl+Shift+BracketRight'], mac: ['Meta+Shift+BracketRight'] },
  },
  {
    id: 'tabs.previous',
    title: 'Previous tab',
    keys: { other: ['Ctrl+Shift+BracketLeft'], mac: ['Meta+Shift+BracketLeft'] },
  },
  {
    id: 'tabs.close',
    title: 'Close the tab (the program keeps running)',
    keys: { other: ['Ctrl+Shift+W'], mac: ['Meta+W'], browser: ['Alt+Shift+W'], browserMac: ['Alt+Shift+W'] },
  },
  {
    id: 'tabs.goTo',
    title: 'Go to tab 1–9',
    keys: {
      other: ['Ctrl+Shift+Digit'],
      mac: ['Meta+Digit'],
      browser: ['Alt+Shift+Digit'],
      browserMac: ['Alt+Shift+Digit'],
    },
  },
];

/** Every command skips the terminal by default: each chord was chosen to be free in programs. */
export const defaultCommandsToSkipShell: readonly CommandId[] = commands.map((c) => c.id);

const isMac = typeof navigator !== 'undefined' && navigator.platform.toLowerCase().includes('mac');
const inBrowser = typeof window !== 'undefined' && !(window as { multisession?: unknown }).multisession;

let skipShell: ReadonlySet<string> = new Set(defaultCommandsToSkipShell);

/** The `commandsToSkipShell` setting (null: the defaults). */
export function setCommandsToSkipShell(ids: readonly string[] | null): void {
  skipShell = new Set(ids ?? defaultCommandsToSkipShell);
}

/** The chords of a command here (platform, Electron or browser). */
export function chordsOf(c: CommandInfo): string[] {
  if (inBrowser)
    return (isMac ? (c.keys.browserMac ?? c.keys.browser) : c.keys.browser) ?? (isMac ? c.keys.mac : c.keys.other);
  return isMac ? c.keys.mac : c.keys.other;
}

/** `Ctrl+Shift+Digit` → "Ctrl+Shift+1…9", `BracketRight` → "]" — for the help overlay. */
export function describeChord(chord: string): string {
  return chord.replace('Digit', '1…9').replace('BracketRight', ']').replace('BracketLeft', '[').replace('Meta', '⌘');
}

function matches(ev: KeyboardEvent, chord: string): number | null {
  const parts = chord.split('+');
  const key = parts[parts.length - 1];
  const want = new Set(parts.slice(0, -1));
  if (ev.ctrlKey !== want.has('Ctrl') || ev.shiftKey !== want.has('Shift')) return null;
  if (ev.altKey !== want.has('Alt') || ev.metaKey !== want.has('Meta')) return null;
  if (key === 'Digit') {
    const m = /^Digit([1-9])$/.exec(ev.code);
    return m ? Number(m[1]) : null;
  }
  if (key.length === 1) return ev.code === `Key${key}` ? 0 : null;
  return ev.code === key ? 0 : null;
}

/**
 * The command a key event is a chord of, with the digit for `tabs.goTo`. With `inTerminal`, only
 * commands in the skip list count: every other key belongs to the program.
 */
export function commandFor(ev: KeyboardEvent, inTerminal: boolean): { id: CommandId; digit: number } | null {
  for (const c of commands) {
    if (inTerminal && !skipShell.has(c.id)) continue;
    for (const chord of chordsOf(c)) {
      const digit = matches(ev, chord);
      if (digit !== null) return { id: c.id, digit };
    }
  }
  return null;
}

/** Whether a key event's target is a terminal (xterm's input element). */
export function isTerminalTarget(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('.xterm') !== null;
}
