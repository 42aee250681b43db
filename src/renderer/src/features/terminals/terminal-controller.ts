import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { getClient, onReconnected } from '../../lib/client';
import { AckBatcher } from './ack-batcher';
import { clampSize } from '../../../../shared/terminal-size';
import { notePaneSize } from './pane-size';
import { routeTerminal } from './terminal-events';
import { currentThemeMode, terminalTheme, watchThemeMode } from './terminal-theme';
import { handleTerminalKey } from './terminal-keys';
import { openExternalLink } from './open-link';

/** What the React pane shows around the xterm. */
export interface TerminalViewState {
  phase: 'new' | 'attaching' | 'attached' | 'failed';
  error: string | null;
  /** The host's error code when attaching failed (TERMINAL_NOT_FOUND: the program has not started yet). */
  errorCode: string | null;
  /** Set by `terminals.exit` (or an attach to a stopped program); cleared when output resumes. */
  exit: { code: number | null; signal: number | null } | null;
  searchOpen: boolean;
}

const RESIZE_DEBOUNCE_MS = 60;
/** localStorage key: 'dom' forces xterm's DOM renderer instead of WebGL. */
export const RENDERER_KEY = 'multisession.terminalRenderer';

/**
 * One live terminal tab: an xterm instance attached to a session's PTY on the host.
 * It lives as long as the tab is open (hidden tabs keep it, so switching is only a show)
 * and is disposed when the tab closes.
 */
export class TerminalController {
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  readonly search = new SearchAddon({ highlightLimit: 2000 });
  private readonly fit = new FitAddon();
  private readonly acks: AckBatcher;
  private readonly cleanups: Array<() => void> = [];
  private opened = false;
  private disposed = false;
  /** Output that arrived before the snapshot was written; applied right after it. */
  private queue: Array<string | { cols: number; rows: number }> | null = [];
  private visible = false;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  private sentSize: { cols: number; rows: number } | null = null;
  private state: TerminalViewState = { phase: 'new', error: null, errorCode: null, exit: null, searchOpen: false };
  private readonly listeners = new Set<() => void>();

  constructor(readonly sessionId: string) {
    this.acks = new AckBatcher(sessionId);
    this.element = document.createElement('div');
    this.element.className = 'term-host';
    this.term = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Courier New", monospace',
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 10_000,
      theme: terminalTheme(currentThemeMode()),
      macOptionIsMeta: true,
    });
    // The width table the programs and the host's headless terminal use: emoji and CJK are two cells.
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new WebLinksAddon((event, uri) => openExternalLink(event, uri)));
    this.term.attachCustomKeyEventHandler((ev) =>
      handleTerminalKey(ev, this.term, () => this.setState({ searchOpen: true })),
    );
    const input = this.term.onData((data) => {
      void getClient().request('terminals.input', { sessionId, data });
    });
    const selection = this.term.onSelectionChange(() => {
      // Copy on select, like most Linux terminals; Ctrl+Shift+C copies explicitly.
      const text = this.term.getSelection();
      if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
    });
    this.cleanups.push(
      () => input.dispose(),
      () => selection.dispose(),
      watchThemeMode((mode) => (this.term.options.theme = terminalTheme(mode))),
      routeTerminal(sessionId, {
        data: (data) => (this.queue ? this.queue.push(data) : this.write(data)),
        exit: ({ exitCode, signal }) => this.setState({ exit: { code: exitCode, signal } }),
        // In order with the data: the program draws for this size from here on.
        size: ({ cols, rows }) => (this.queue ? this.queue.push({ cols, rows }) : this.applyHostSize(cols, rows)),
      }),
    );
    // Hidden tabs keep their xterm; a key must never reach a session whose tab is not the visible one.
    const guard = (ev: Event) => {
      if (this.visible) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
    };
    for (const type of ['keydown', 'keypress', 'beforeinput', 'paste', 'compositionend'] as const) {
      this.element.addEventListener(type, guard, true);
      this.cleanups.push(() => this.element.removeEventListener(type, guard, true));
    }
    // Focusing a terminal is using it: the host makes this window the size owner and query answerer.
    const onFocus = () => {
      this.sentSize = null;
      this.fitNow();
    };
    this.element.addEventListener('focusin', onFocus);
    this.cleanups.push(() => this.element.removeEventListener('focusin', onFocus));
    const ro = new ResizeObserver(() => this.scheduleFit());
    ro.observe(this.element);
    this.cleanups.push(() => ro.disconnect());
    // A restarted host forgot this viewer: take a fresh snapshot and subscribe again.
    this.cleanups.push(onReconnected(() => void (this.opened && this.attach())));
  }

  getState = (): TerminalViewState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private setState(patch: Partial<TerminalViewState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Puts the terminal into `container`; the first mount opens the xterm and attaches to the host. */
  mount(container: HTMLElement): void {
    if (this.disposed) return;
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (this.opened) return;
    this.opened = true;
    this.term.open(this.element);
    this.loadWebgl();
    void this.attach();
  }

  private loadWebgl(): void {
    // Escape hatch for GPUs that render xterm's WebGL badly (and for tests reading the DOM rows).
    if (localStorage.getItem(RENDERER_KEY) === 'dom') return;
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        // The GPU took the context back: fall back to the DOM renderer instead of a blank pane.
        webgl.dispose();
      });
      this.term.loadAddon(webgl);
    } catch {
      // No WebGL2 here (software rendering, blocked GPU): xterm keeps its DOM renderer.
    }
  }

  /** Attaches (or re-attaches after a restart): snapshot first, then the queued live output. */
  async attach(): Promise<void> {
    if (this.disposed) return;
    this.queue = [];
    this.setState({ phase: 'attaching', error: null, errorCode: null });
    const size = this.proposeSize() ?? { cols: this.term.cols, rows: this.term.rows };
    const theme = terminalTheme(currentThemeMode());
    const colours = { foreground: theme.foreground!, background: theme.background!, cursor: theme.cursor! };
    const r = await getClient().request('terminals.attach', { sessionId: this.sessionId, ...size, colours });
    if (this.disposed) return;
    if (!r.ok) {
      this.queue = null;
      this.setState({ phase: 'failed', error: r.error.message, errorCode: r.error.code });
      return;
    }
    const { snapshot, cols, rows, running } = r.value;
    this.term.reset();
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
    this.sentSize = { cols, rows };
    const queued = this.queue ?? [];
    this.queue = null;
    this.term.write(snapshot);
    for (const item of queued) {
      if (typeof item === 'string') this.write(item);
      else this.applyHostSize(item.cols, item.rows);
    }
    this.setState({ phase: 'attached', exit: running ? null : (this.state.exit ?? { code: null, signal: null }) });
    this.scheduleFit();
  }

  private write(data: string): void {
    if (this.state.exit) this.setState({ exit: null });
    this.term.write(data, () => this.acks.add(data.length));
  }

  private proposeSize(): { cols: number; rows: number } | null {
    if (!this.element.isConnected || this.element.clientWidth === 0 || this.element.clientHeight === 0) return null;
    const dims = this.fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return null;
    const size = clampSize(dims.cols, dims.rows);
    notePaneSize(size);
    return size;
  }

  /** Refits to the container (after a resize or when the tab is shown) and tells the host the new size. */
  scheduleFit(): void {
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null;
      this.fitNow();
    }, RESIZE_DEBOUNCE_MS);
  }

  /**
   * Tells the host the size this tab's pane wants. The terminal's size is the host's answer (the
   * size policy over every viewer), so the xterm takes that, not the pane's own fit.
   */
  private fitNow(): void {
    if (this.disposed || !this.opened) return;
    const size = this.proposeSize();
    if (!size) return;
    if (this.state.phase !== 'attached') {
      if (size.cols !== this.term.cols || size.rows !== this.term.rows) this.term.resize(size.cols, size.rows);
      return;
    }
    if (this.sentSize && this.sentSize.cols === size.cols && this.sentSize.rows === size.rows) return;
    this.sentSize = size;
    void getClient()
      .request('terminals.resize', { sessionId: this.sessionId, ...size })
      .then((r) => r.ok && this.applyHostSize(r.value.cols, r.value.rows));
  }

  /** The size the program draws for (from the host). */
  private applyHostSize(cols: number, rows: number): void {
    if (this.disposed) return;
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
  }

  /** Called when the tab becomes the visible one. */
  show(focus: boolean): void {
    this.visible = true;
    this.sentSize = null; // showing a tab is using it: tell the host again
    this.fitNow();
    this.scheduleFit();
    if (focus) this.term.focus();
  }

  /** Called when another tab becomes the visible one: this terminal takes no more keys. */
  hide(): void {
    this.visible = false;
    this.term.blur();
  }

  /** Whether the user is typing in this terminal (its input has focus). */
  hasFocus(): boolean {
    return this.element.contains(document.activeElement);
  }

  closeSearch(): void {
    this.search.clearDecorations();
    this.setState({ searchOpen: false });
    this.term.focus();
  }

  openSearch(): void {
    this.setState({ searchOpen: true });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    for (const c of this.cleanups.splice(0)) c();
    this.acks.flush();
    this.acks.dispose();
    void getClient().request('terminals.detach', { sessionId: this.sessionId });
    this.term.dispose();
    this.element.remove();
    this.listeners.clear();
  }
}
