import { deflateRawSync, inflateRawSync } from 'node:zlib';
import xtermHeadless from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { serializeScreen } from './screen-serializer';
import { terminalModeState, type TerminalModes } from './terminal-modes';

/** Colours the host reports for OSC 10/11/12 queries when it answers for a terminal. */
export interface ReportedColours {
  foreground: string;
  background: string;
  cursor: string;
}

/** What the app's dark terminal theme shows; used until a viewer reports its own colours. */
export const defaultReportedColours: ReportedColours = {
  foreground: '#d4d4d4',
  background: '#1e1e1e',
  cursor: '#d4d4d4',
};

/** `#rrggbb` → the `rgb:rrrr/gggg/bbbb` form xterm answers OSC colour queries with. */
export function xtermColourSpec(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return 'rgb:0000/0000/0000';
  return `rgb:${m[1]}${m[1]}/${m[2]}${m[2]}/${m[3]}${m[3]}`.toLowerCase();
}

type Xterm = InstanceType<typeof xtermHeadless.Terminal>;

/**
 * How long a screen takes no output before it goes dormant: its state is serialized, compressed and
 * the headless terminal (scrollback cells: 12 bytes per cell) is let go, until output, a resize or a
 * read that needs cells wakes it. An idle session's screen then costs its compressed text.
 */
export const SCREEN_DORMANT_AFTER_MS = 15_000;

/** A dormant screen: the compressed serialization plus what is read without waking it. */
interface Dormant {
  packed: Buffer;
  cols: number;
  rows: number;
  lines: string[];
  /** Per visible row, each cell's characters joined by NUL (for `cellText`). */
  cells: string[];
  cursor: { x: number; y: number };
  alternate: boolean;
  modes: TerminalModes;
}

/** Counts of screens by state, for the benchmark and diagnostics. */
export const screenCounts = { live: 0, dormant: 0 };

/**
 * The host's copy of a terminal's state: a headless xterm with bounded scrollback and xterm's
 * Unicode 11 width table (emoji and CJK two cells, combining marks none — what the programs'
 * wcwidth says, and what the renderer's xterm uses too). Writes are parsed asynchronously;
 * `afterWrites` runs its callback once everything written before it has been parsed, which is what
 * makes snapshot + subscribe exact.
 *
 * It can also answer the program's terminal queries (cursor position, device attributes, modes,
 * colours) — but only for writes flagged `answer`, so the decision "who answers" is taken when the
 * output is delivered, in order with it, not when it happens to be parsed.
 */
export class HeadlessScreen {
  private term: Xterm | null;
  /** Set while dormant and while waking (until the restored state has been parsed): reads use it. */
  private dormant: Dormant | null = null;
  private disposed = false;
  private lastWrite = Date.now();
  private sleepTimer: NodeJS.Timeout | null = null;
  private readonly scrollback: number;
  /** One flag per pending write, in order: whether replies produced while parsing it are sent. */
  private readonly answerQueue: boolean[] = [];
  private replyListener: ((reply: string) => void) | null = null;
  private colours: () => ReportedColours = () => defaultReportedColours;

  constructor(
    cols: number,
    rows: number,
    scrollback: number,
    private readonly dormantAfterMs = SCREEN_DORMANT_AFTER_MS,
  ) {
    this.scrollback = scrollback;
    this.term = this.makeTerm(cols, rows);
    screenCounts.live++;
    this.armSleep();
  }

  private makeTerm(cols: number, rows: number): Xterm {
    const term = new xtermHeadless.Terminal({
      cols,
      rows,
      scrollback: this.scrollback,
      allowProposedApi: true,
      // Programs may print anything; parse errors on garbage are expected, not worth a log line.
      logLevel: 'off',
    });
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    term.onData((reply) => {
      if (this.answerQueue[0]) this.replyListener?.(reply);
    });
    // Headless xterm has no theme, so it leaves colour queries unanswered; a terminal must reply.
    for (const ident of [10, 11, 12]) {
      term.parser.registerOscHandler(ident, (data) => this.answerColourQuery(ident, data));
    }
    return term;
  }

  get cols(): number {
    return this.dormant?.cols ?? this.term?.cols ?? 0;
  }

  get rows(): number {
    return this.dormant?.rows ?? this.term?.rows ?? 0;
  }

  /** Whether the screen is dormant (or still waking): its state is held compressed. */
  get isDormant(): boolean {
    return this.dormant !== null;
  }

  /** Where the terminal's replies to queries go (the program's input). */
  onReply(listener: (reply: string) => void): void {
    this.replyListener = listener;
  }

  /** Where the colours reported to OSC 10/11/12 queries come from (the primary viewer's theme). */
  coloursFrom(colours: () => ReportedColours): void {
    this.colours = colours;
  }

  write(data: string, onParsed?: () => void, answer = false): void {
    if (this.disposed) {
      onParsed?.();
      return;
    }
    if (data !== '') lastAnyWrite = this.lastWrite = Date.now();
    const term = this.awake();
    this.answerQueue.push(answer);
    term.write(data, () => {
      this.answerQueue.shift();
      onParsed?.();
    });
  }

  /** Calls `cb` when every earlier write has been parsed (immediately-async when none is pending). */
  afterWrites(cb: () => void): void {
    if (this.disposed || (this.dormant && this.term === null)) setImmediate(cb);
    else this.write('', cb);
  }

  /**
   * Scrollback + screen + modes as escape sequences that rebuild this state in another xterm:
   * the serialize addon's buffers, with the pen reset before the alternate screen (the addon
   * carries the main screen's last attributes into it), then every mode — including what the addon
   * leaves out: scroll region, cursor shape and visibility, mouse encoding, the pen.
   * `snapshot-roundtrip.test.ts` compares a replay with the live screen cell by cell.
   */
  serialize(): string {
    if (this.disposed) return '';
    if (this.dormant) return inflateRawSync(this.dormant.packed).toString('utf8');
    return this.term ? serializeScreen(this.term) : '';
  }

  /** The visible screen's lines, top to bottom, without trailing blanks. */
  visibleLines(): string[] {
    if (this.disposed) return [];
    if (this.dormant) return [...this.dormant.lines];
    return this.term ? visibleLinesOf(this.term) : [];
  }

  /** The characters of one cell of the visible screen ('' for the right half of a wide character). */
  cellText(x: number, y: number): string {
    if (this.disposed) return '';
    if (this.dormant) return this.dormant.cells[y]?.split('\0')[x] ?? '';
    const buf = this.term?.buffer.active;
    return (
      buf
        ?.getLine(buf.viewportY + y)
        ?.getCell(x)
        ?.getChars() ?? ''
    );
  }

  /** Cursor position (0-based, in the active buffer's visible screen). */
  cursor(): { x: number; y: number } {
    if (this.dormant) return { ...this.dormant.cursor };
    const buf = this.term?.buffer.active;
    return { x: buf?.cursorX ?? 0, y: buf?.cursorY ?? 0 };
  }

  /** Whether a full-screen program has switched to the alternate screen. */
  isAlternateScreen(): boolean {
    if (this.disposed) return false;
    if (this.dormant) return this.dormant.alternate;
    return this.term?.buffer.active.type === 'alternate';
  }

  /** The modes the program has set (cursor keys, mouse, bracketed paste, …). */
  modes(): TerminalModes {
    if (this.dormant) return { ...this.dormant.modes };
    if (this.disposed || !this.term) return initialModes();
    return terminalModeState(this.term);
  }

  resize(cols: number, rows: number): void {
    if (this.disposed || (cols === this.cols && rows === this.rows)) return;
    const term = this.awake();
    if (this.dormant) {
      // Still waking: the restored state is parsed at the old size first, then reflowed.
      this.dormant = { ...this.dormant, cols, rows };
      term.write('', () => term.resize(cols, rows));
    } else term.resize(cols, rows);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
    goingDormant.delete(this);
    if (this.dormant && this.term === null) screenCounts.dormant--;
    else screenCounts.live--;
    this.dormant = null;
    this.term?.dispose();
    this.term = null;
  }

  /**
   * Lets the headless terminal go after a quiet spell: nothing pending, no output for
   * `dormantAfterMs`. The serialization is the same one a snapshot sends, so waking loses nothing.
   */
  private armSleep(): void {
    if (this.disposed || this.dormantAfterMs <= 0 || this.sleepTimer) return;
    const wait = Math.max(50, this.lastWrite + this.dormantAfterMs - Date.now());
    this.sleepTimer = setTimeout(() => {
      this.sleepTimer = null;
      if (this.disposed || this.term === null || this.dormant) return;
      if (Date.now() - this.lastWrite < this.dormantAfterMs || this.answerQueue.length > 0) this.armSleep();
      else goingDormant.add(this);
      drainDormancy();
    }, wait);
    this.sleepTimer.unref();
  }

  /** Called by the dormancy queue: sleeps if still quiet (true), else waits for the next quiet spell. */
  settle(): boolean {
    if (this.disposed || this.term === null || this.dormant) return false;
    if (Date.now() - this.lastWrite >= this.dormantAfterMs && this.sleep()) return true;
    this.armSleep();
    return false;
  }

  /** Goes dormant now (when nothing is pending); exposed for tests. */
  sleep(): boolean {
    const term = this.term;
    if (this.disposed || term === null || this.dormant || this.answerQueue.length > 0) return false;
    const buf = term.buffer.active;
    const cells: string[] = [];
    for (let y = buf.viewportY; y < buf.viewportY + term.rows; y++) {
      const line = buf.getLine(y);
      const row: string[] = [];
      for (let x = 0; x < term.cols; x++) row.push(line?.getCell(x)?.getChars() ?? '');
      cells.push(row.join('\0'));
    }
    this.dormant = {
      packed: deflateRawSync(Buffer.from(serializeScreen(term), 'utf8')),
      cols: term.cols,
      rows: term.rows,
      lines: visibleLinesOf(term),
      cells,
      cursor: { x: buf.cursorX, y: buf.cursorY },
      alternate: buf.type === 'alternate',
      modes: terminalModeState(term),
    };
    term.dispose();
    this.term = null;
    screenCounts.live--;
    screenCounts.dormant++;
    return true;
  }

  /**
   * The terminal to write to, waking a dormant screen: a new headless terminal replays the
   * serialization first (FIFO with whatever is written next); reads keep using the dormant copy
   * until that replay has been parsed.
   */
  private awake(): Xterm {
    if (this.term) return this.term;
    const dormant = this.dormant;
    if (!dormant) throw new Error('headless screen has neither a terminal nor a dormant state');
    const term = this.makeTerm(dormant.cols, dormant.rows);
    this.term = term;
    screenCounts.dormant--;
    screenCounts.live++;
    this.answerQueue.push(false);
    term.write(inflateRawSync(dormant.packed).toString('utf8'), () => {
      this.answerQueue.shift();
      if (this.dormant === dormant || this.dormant?.packed === dormant.packed) this.dormant = null;
    });
    this.armSleep();
    return term;
  }

  private answerColourQuery(ident: number, data: string): boolean {
    // "OSC 10 ; ? ; ?" asks for 10 and 11 in one go; a colour spec instead of "?" sets, which we ignore.
    const slots = data.split(';');
    if (!slots.includes('?')) return false;
    const c = this.colours();
    const byIdent: Record<number, string> = { 10: c.foreground, 11: c.background, 12: c.cursor };
    if (!this.answerQueue[0]) return true;
    slots.forEach((slot, i) => {
      const colour = byIdent[ident + i];
      if (slot === '?' && colour) this.replyListener?.(`\x1b]${ident + i};${xtermColourSpec(colour)}\x1b\\`);
    });
    return true;
  }
}

/**
 * Screens whose quiet spell ended, put to sleep one at a time: serializing a long scrollback takes a
 * few milliseconds, and a hundred sessions that went quiet together must not stall the host at once.
 */
const goingDormant = new Set<HeadlessScreen>();
let draining: NodeJS.Timeout | null = null;
const DORMANCY_GAP_MS = 5;

const dormantListeners = new Set<() => void>();

/** When any screen of this process was last written to (output, or the echo of a key). */
let lastAnyWrite = 0;

/** How long no screen of this process has been written to. */
export function msSinceAnyScreenWrite(): number {
  return Date.now() - lastAnyWrite;
}

/**
 * Tells `listener` whenever a screen went dormant (the terminal host collects garbage after a burst:
 * an idle process allocates nothing, so V8 would never free the cells the screens let go of).
 */
export function onScreenDormant(listener: () => void): () => void {
  dormantListeners.add(listener);
  return () => dormantListeners.delete(listener);
}

function drainDormancy(): void {
  if (draining) return;
  const next = goingDormant.values().next();
  if (next.done) return;
  goingDormant.delete(next.value);
  if (next.value.settle()) for (const l of dormantListeners) l();
  draining = setTimeout(() => {
    draining = null;
    drainDormancy();
  }, DORMANCY_GAP_MS);
  draining.unref();
}

let initial: TerminalModes | null = null;

/** The modes of a terminal nothing was written to (what a disposed screen reports). */
function initialModes(): TerminalModes {
  if (!initial) {
    const term = new xtermHeadless.Terminal({ cols: 2, rows: 1, allowProposedApi: true });
    initial = terminalModeState(term);
    term.dispose();
  }
  return { ...initial };
}

/** The visible screen's lines of a terminal, top to bottom, without trailing blanks. */
function visibleLinesOf(term: Xterm): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = buf.viewportY; y < buf.viewportY + term.rows; y++) {
    lines.push(buf.getLine(y)?.translateToString(true) ?? '');
  }
  return lines;
}
