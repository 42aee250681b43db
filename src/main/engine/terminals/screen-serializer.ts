import type xtermHeadless from '@xterm/headless';
import { penSgr, restoreModesSequence, savedStateSequence, terminalModeState } from './terminal-modes';

type Xterm = InstanceType<typeof xtermHeadless.Terminal>;

/**
 * One line of xterm.js's buffer as the core stores it: three 32-bit words per cell — content
 * (code point, "combined" flag, width), foreground word, background word — and the strings of
 * cells holding more than one code point. Read directly, because the public API allocates a cell
 * object per `getCell` and was most of a snapshot's cost (5 000 coloured lines × 120 columns on this VM:
 * median 128 ms through the API, 36 ms here).
 */
interface CoreLine {
  readonly _data: Uint32Array;
  readonly _combined: Record<number, string>;
  /** Underline style and colour of cells whose background word has HAS_EXTENDED. */
  readonly _extendedAttrs: Record<number, { underlineStyle: number } | undefined>;
  readonly isWrapped: boolean;
}

interface CoreBuffer {
  readonly lines: { readonly length: number; get(index: number): CoreLine | undefined };
}

interface CoreBuffers {
  readonly normal: CoreBuffer;
  readonly alt: CoreBuffer;
}

function buffersOf(term: Xterm): CoreBuffers | null {
  const buffers = (term as unknown as { _core?: { buffers?: Partial<CoreBuffers> } })._core?.buffers;
  const probe = buffers?.normal?.lines?.get(0);
  if (
    !buffers?.normal ||
    !buffers.alt ||
    !(probe?._data instanceof Uint32Array) ||
    !probe._combined ||
    !probe._extendedAttrs
  )
    return null;
  return buffers as CoreBuffers;
}

/** Whether this xterm build stores lines the way the serializer reads them (checked by a test). */
export function hasXtermLineInternals(term: Xterm): boolean {
  return buffersOf(term) !== null;
}

// xterm.js's packed words (common/buffer/Constants.ts).
const CODEPOINT_MASK = 0x1fffff;
const IS_COMBINED = 0x200000;
const HAS_CONTENT_MASK = 0x3fffff;
const WIDTH_SHIFT = 22;
const COLOUR_MODE_MASK = 0x3000000;
const COLOUR_MASK = 0xffffff;
/** The background word's bits a pen carries (colour, mode, italic, dim, overline); the rest is bookkeeping. */
const BG_PEN_BITS = COLOUR_MASK | COLOUR_MODE_MASK | (1 << 26) | (1 << 27) | (1 << 30);
const BG_HAS_EXTENDED = 1 << 28;
const FG_UNDERLINE = 1 << 28;
const SPACE = 0x20;

/**
 * Rebuilds a terminal's whole state in a fresh terminal of the same size: every line of the main
 * buffer (scrollback included) and of the alternate screen cell by cell, which buffer is active,
 * the cursor, the modes and the pen, the tab stops, the cursor saved with DECSC and the character sets.
 *
 * Written for exactness instead of the serialize addon, which drops bold when dim ends on the
 * same cell and carries the main screen's last attributes into the alternate screen: each run of
 * equally styled cells starts from a full SGR reset and every line ends with the pen reset, so no
 * attribute can leak from one run or line into the next. `snapshot-roundtrip.test.ts` compares
 * replays with the live terminal cell by cell.
 */
export function serializeScreen(term: Xterm): string {
  const buffers = buffersOf(term);
  const cols = term.cols;
  const normal = term.buffer.normal;
  let out = buffers ? serializeLines(buffers.normal, cols) : plainText(term, 'normal');
  if (term.buffer.active.type === 'alternate') {
    // Entering the alternate screen saves the main screen's cursor; put it where the program left it.
    out += `\x1b[0m\x1b[${normal.cursorY + 1};${normal.cursorX + 1}H\x1b[?1049h\x1b[H\x1b[2J`;
    out += buffers ? serializeLines(buffers.alt, cols) : plainText(term, 'alternate');
  }
  const active = term.buffer.active;
  return (
    out +
    savedStateSequence(term) +
    restoreModesSequence(terminalModeState(term), { x: active.cursorX, y: active.cursorY }, term.rows)
  );
}

function serializeLines(buf: CoreBuffer, cols: number): string {
  const out = new Utf16Writer(buf.lines.length * (cols + 2));
  const n = buf.lines.length;
  let next = buf.lines.get(0);
  for (let y = 0; y < n; y++) {
    const line = next;
    next = buf.lines.get(y + 1);
    if (!line) continue;
    if (y > 0 && !line.isWrapped) out.ascii('\r\n');
    // A line the next one continues must be written to its last column, so the terminal wraps.
    serializeLine(out, line, next?.isWrapped ? cols : contentEnd(line, cols));
  }
  return out.text();
}

/** Cells 0..end of one line: characters, each run of equal attributes behind a full SGR. */
function serializeLine(out: Utf16Writer, line: CoreLine, end: number): void {
  const d = line._data;
  let style = '';
  let lastFg = 0;
  let lastBg = 0;
  out.reserve(end * 2);
  for (let x = 0; x < end; x++) {
    const content = d[x * 3];
    if (content >>> WIDTH_SHIFT === 0) continue; // the right half of a wide character
    const rawFg = d[x * 3 + 1];
    const rawBg = d[x * 3 + 2];
    if (rawFg === 0 && rawBg === 0) {
      if (style !== '') {
        out.ascii('\x1b[0m');
        style = '';
      }
    } else {
      let fg = rawFg & COLOUR_MODE_MASK ? rawFg : rawFg & ~COLOUR_MASK;
      // A styled underline (SGR 4:x) lives in the extended attributes; xterm shows it as underline.
      if (rawBg & BG_HAS_EXTENDED && line._extendedAttrs[x]?.underlineStyle) fg |= FG_UNDERLINE;
      let bg = rawBg & BG_PEN_BITS;
      if (!(bg & COLOUR_MODE_MASK)) bg &= ~COLOUR_MASK;
      if (style === '' || fg !== lastFg || bg !== lastBg) {
        lastFg = fg;
        lastBg = bg;
        const s = sgrOf(fg, bg);
        if (s !== style) {
          out.ascii(s);
          style = s;
        }
      }
    }
    if (content & IS_COMBINED) out.ascii(line._combined[x] ?? ' ');
    else out.codePoint(content & CODEPOINT_MASK || SPACE);
  }
  if (style !== '') out.ascii('\x1b[0m');
}

/**
 * Builds a long string from UTF-16 code units in a typed array, decoded once at the end: adding
 * half a million characters one by one to a JS string was the other large cost of a snapshot.
 */
class Utf16Writer {
  private buf: Uint16Array;
  private n = 0;

  constructor(sizeHint: number) {
    this.buf = new Uint16Array(Math.max(1024, sizeHint));
  }

  reserve(units: number): void {
    if (this.n + units <= this.buf.length) return;
    const bigger = new Uint16Array(Math.max(this.buf.length * 2, this.n + units));
    bigger.set(this.buf.subarray(0, this.n));
    this.buf = bigger;
  }

  /** Any string (escape sequences, a cell's combined characters); named for its usual content. */
  ascii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
  }

  codePoint(cp: number): void {
    this.reserve(2);
    if (cp <= 0xffff) {
      this.buf[this.n++] = cp;
    } else {
      const v = cp - 0x10000;
      this.buf[this.n++] = 0xd800 + (v >> 10);
      this.buf[this.n++] = 0xdc00 + (v & 0x3ff);
    }
  }

  text(): string {
    return utf16.decode(this.buf.subarray(0, this.n));
  }
}

const utf16 = new TextDecoder('utf-16le');

/** penSgr, remembered: a screen has few distinct styles and each run of cells asks again. */
const sgrCache = new Map<number, Map<number, string>>();
function sgrOf(fg: number, bg: number): string {
  let byBg = sgrCache.get(fg);
  if (!byBg) {
    if (sgrCache.size > 1024) sgrCache.clear();
    byBg = new Map();
    sgrCache.set(fg, byBg);
  }
  let s = byBg.get(bg);
  if (s === undefined) {
    s = penSgr({ fg, bg });
    if (byBg.size < 1024) byBg.set(bg, s);
  }
  return s;
}

/** How many cells of a line hold something: characters, or blanks with a background or attributes. */
function contentEnd(line: CoreLine, cols: number): number {
  const d = line._data;
  for (let x = cols - 1; x >= 0; x--) {
    const content = d[x * 3];
    const hasChar =
      (content & HAS_CONTENT_MASK) !== 0 && (content & IS_COMBINED || (content & CODEPOINT_MASK) !== SPACE);
    if (hasChar) return x + (content >>> WIDTH_SHIFT === 2 ? 2 : 1);
    if (d[x * 3 + 1] !== 0 || d[x * 3 + 2] !== 0) return x + 1;
  }
  return 0;
}

/** Text only, through the public API: what is left if an xterm upgrade moved the line internals. */
function plainText(term: Xterm, which: 'normal' | 'alternate'): string {
  const buf = which === 'normal' ? term.buffer.normal : term.buffer.alternate;
  const lines: string[] = [];
  for (let y = 0; y < buf.length; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
  return lines.join('\r\n');
}
