import type { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebglAddon } from '@xterm/addon-webgl';
import { getClient, onReconnected } from '../../lib/client';
import { AckBatcher } from './ack-batcher';
import { clampSize } from '../../../../shared/terminal-size';
import { notePaneSize, paneSize } from './pane-size';
import { HeldOutput, type TerminalItem } from './held-output';
import { routeTerminal } from './terminal-events';
import { currentThemeMode, reportedColours } from './terminal-theme';
import { createXterm } from './create-xterm';
import { deferBlur } from './deferred-blur';

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
 * and is disposed when the tab closes. While hidden its output is held and written in batches
 * (held-output.ts); the xterm is put on the page only once the tab is first shown, after that
 * frame is painted, so opening a tab never blocks the click that opened it.
 */
export class TerminalController {
  readonly element: HTMLDivElement;
  readonly search = new SearchAddon({ highlightLimit: 2000 });
  private readonly fit = new FitAddon();
  private readonly acks: AckBatcher;
  private readonly cleanups: Array<() => void> = [];
  /** The attach request went out (at mount when the pane's size is known, else once the xterm is open). */
  private attachStarted = false;
  /** The xterm is on the page (`term.open`): done the first time the tab is shown. */
  private termOpened = false;
  private disposed = false;
  /** Output that arrived before the snapshot was written; applied right after it. */
  private queue: TerminalItem[] | null = [];
  private readonly held = new HeldOutput((items) => this.apply(items));
  private visible = false;
  private focusOnOpen = false;
  /** Set while show() focuses the xterm (its focusin would repeat show's fit and resize request). */
  private showing = false;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  private sentSize: { cols: number; rows: number } | null = null;
  private state: TerminalViewState = { phase: 'new', error: null, errorCode: null, exit: null, searchOpen: false };
  private readonly listeners = new Set<() => void>();
  private xterm: ReturnType<typeof createXterm> | null = null;

  constructor(readonly sessionId: string) {
    this.acks = new AckBatcher(sessionId);
    this.element = document.createElement('div');
    this.element.className = 'term-host';
    this.cleanups.push(
      routeTerminal(sessionId, {
        data: (data) => this.deliver(data),
        exit: ({ exitCode, signal }) => this.setState({ exit: { code: exitCode, signal } }),
        // In order with the data: the program draws for this size from here on.
        size: ({ cols, rows }) => this.deliver({ cols, rows }),
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
      if (this.showing) return;
      this.sentSize = null;
      this.fitNow();
    };
    this.element.addEventListener('focusin', onFocus);
    this.cleanups.push(() => this.element.removeEventListener('focusin', onFocus));
    // Clicking a sidebar row or a tab takes the focus from this terminal: its redraw for that waits
    // until the click's frame is painted.
    this.cleanups.push(deferBlur(this.element));
    const ro = new ResizeObserver(() => this.scheduleFit());
    ro.observe(this.element);
    this.cleanups.push(() => ro.disconnect());
    // A restarted host forgot this viewer: take a fresh snapshot and subscribe again.
    this.cleanups.push(onReconnected(() => void (this.attachStarted && this.attach())));
  }

  /**
   * The xterm, created on first use: when the snapshot arrives or the tab is first drawn — not in
   * the click that opened the tab, where building it was most of the click's work.
   */
  get term(): Terminal {
    this.xterm ??= createXterm({
      sessionId: this.sessionId,
      fit: this.fit,
      search: this.search,
      openSearch: () => this.setState({ searchOpen: true }),
    });
    return this.xterm.term;
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

  /**
   * Puts the terminal into `container` and attaches to the host at once when the pane's size is
   * known (every tab shows in the same pane), so the snapshot is on its way while the tab is drawn.
   */
  mount(container: HTMLElement): void {
    if (this.disposed) return;
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.attachStarted && paneSize()) {
      this.attachStarted = true;
      void this.attach();
    }
  }

  /** Puts the xterm on the page (its renderer measures the font: a layout) and attaches if not yet done. */
  private openTerm(): void {
    if (this.disposed || this.termOpened || !this.visible) return;
    this.termOpened = true;
    this.term.open(this.element);
    this.loadWebgl();
    if (!this.attachStarted) {
      this.attachStarted = true;
      void this.attach();
    }
    this.show(this.focusOnOpen);
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
    // What is held came through the subscription this attach replaces (the host forgot it with the
    // old connection, so nothing is owed) and the coming snapshot already contains it.
    this.held.drop();
    this.setState({ phase: 'attaching', error: null, errorCode: null });
    const size = this.proposeSize() ?? paneSize() ?? { cols: this.term.cols, rows: this.term.rows };
    const colours = reportedColours(currentThemeMode());
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
    for (const item of queued) this.deliver(item);
    this.setState({ phase: 'attached', exit: running ? null : (this.state.exit ?? { code: null, signal: null }) });
    this.scheduleFit();
  }

  /** Live output and size changes: written at once while the tab is visible, held while it is hidden. */
  private deliver(item: TerminalItem): void {
    if (typeof item === 'string' && this.state.exit) this.setState({ exit: null });
    if (this.queue) this.queue.push(item);
    else if (this.visible) {
      // Anything still held arrived first: it goes before this item (a no-op when nothing is held).
      this.held.release();
      this.apply([item]);
    } else this.held.push(item);
  }

  private apply(items: TerminalItem[]): void {
    for (const item of items) {
      // After the text before it is parsed (xterm parses writes later, in order): that text was
      // drawn for the old size. An empty write's callback runs exactly then.
      if (typeof item !== 'string') {
        const { cols, rows } = item;
        this.term.write('', () => this.applyHostSize(cols, rows));
      }
      // Acknowledged once xterm has parsed it, so the host's flow control follows what the page took.
      else this.term.write(item, () => this.acks.add(item.length));
    }
  }

  private proposeSize(): { cols: number; rows: number } | null {
    if (
      !this.termOpened ||
      !this.element.isConnected ||
      this.element.clientWidth === 0 ||
      this.element.clientHeight === 0
    )
      return null;
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
    if (this.disposed || !this.termOpened) return;
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

  /**
   * Called in an animation frame when the tab becomes the visible one. The first time, the xterm is
   * opened in a task after that frame, so the frame paints the selected tab (and its "Connecting…"
   * line) without waiting for the terminal's font measurement and first layout.
   */
  show(focus: boolean): void {
    this.visible = true;
    // What was held while hidden goes first (xterm takes writes before it is opened): output that
    // arrives from now on is written at once, and must not overtake it.
    this.held.release();
    if (!this.termOpened) {
      this.focusOnOpen = focus;
      setTimeout(() => this.openTerm(), 0);
      return;
    }
    this.sentSize = null; // showing a tab is using it: tell the host again
    this.fitNow();
    this.scheduleFit();
    if (!focus) return;
    // show() has just told the host; the focus it gives must not measure and tell it a second time.
    this.showing = true;
    try {
      this.term.focus();
    } finally {
      this.showing = false;
    }
  }

  /**
   * The tab became the visible one by a shortcut typed in a terminal: this terminal takes keys and
   * the keyboard focus now, in the commit that shows it, so the keys typed right after the shortcut
   * reach it; show() still fits it after the frame. (Not before the xterm is open: then it is focused
   * once opened.)
   */
  focusAtOnce(): void {
    if (!this.termOpened) {
      this.focusOnOpen = true;
      return;
    }
    // As in show(): what was held while hidden goes first, and the key guard lets keys through.
    this.visible = true;
    this.held.release();
    this.showing = true;
    try {
      this.term.focus();
    } finally {
      this.showing = false;
    }
  }

  /** Called when another tab becomes the visible one: this terminal takes no more keys. */
  hide(): void {
    this.visible = false;
    this.xterm?.term.blur();
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
    this.held.dispose();
    for (const c of this.cleanups.splice(0)) c();
    this.acks.flush();
    this.acks.dispose();
    void getClient().request('terminals.detach', { sessionId: this.sessionId });
    this.xterm?.dispose();
    this.element.remove();
    this.listeners.clear();
  }
}
