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
  private readonly term: InstanceType<typeof xtermHeadless.Terminal>;
  private disposed = false;
  /** One flag per pending write, in order: whether replies produced while parsing it are sent. */
  private readonly answerQueue: boolean[] = [];
  private replyListener: ((reply: string) => void) | null = null;
  private colours: () => ReportedColours = () => defaultReportedColours;

  constructor(cols: number, rows: number, scrollback: number) {
    this.term = new xtermHeadless.Terminal({
      cols,
      rows,
      scrollback,
      allowProposedApi: true,
      // Programs may print anything; parse errors on garbage are expected, not worth a log line.
      logLevel: 'off',
    });
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.onData((reply) => {
      if (this.answerQueue[0]) this.replyListener?.(reply);
    });
    // Headless xterm has no theme, so it leaves colour queries unanswered; a terminal must reply.
    for (const ident of [10, 11, 12]) {
      this.term.parser.registerOscHandler(ident, (data) => this.answerColourQuery(ident, data));
    }
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
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
    this.answerQueue.push(answer);
    this.term.write(data, () => {
      this.answerQueue.shift();
      onParsed?.();
    });
  }

  /** Calls `cb` when every earlier write has been parsed (immediately-async when none is pending). */
  afterWrites(cb: () => void): void {
    if (this.disposed) setImmediate(cb);
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
    return this.disposed ? '' : serializeScreen(this.term);
  }

  /** The visible screen's lines, top to bottom, without trailing blanks. */
  visibleLines(): string[] {
    if (this.disposed) return [];
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = buf.viewportY; y < buf.viewportY + this.term.rows; y++) {
      lines.push(buf.getLine(y)?.translateToString(true) ?? '');
    }
    return lines;
  }

  /** The characters of one cell of the visible screen ('' for the right half of a wide character). */
  cellText(x: number, y: number): string {
    if (this.disposed) return '';
    const buf = this.term.buffer.active;
    return (
      buf
        .getLine(buf.viewportY + y)
        ?.getCell(x)
        ?.getChars() ?? ''
    );
  }

  /** Cursor position (0-based, in the active buffer's visible screen). */
  cursor(): { x: number; y: number } {
    const buf = this.term.buffer.active;
    return { x: buf.cursorX, y: buf.cursorY };
  }

  /** Whether a full-screen program has switched to the alternate screen. */
  isAlternateScreen(): boolean {
    return !this.disposed && this.term.buffer.active.type === 'alternate';
  }

  /** The modes the program has set (cursor keys, mouse, bracketed paste, …). */
  modes(): TerminalModes {
    return terminalModeState(this.term);
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed && (cols !== this.term.cols || rows !== this.term.rows)) this.term.resize(cols, rows);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
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
