import type xtermHeadless from '@xterm/headless';
import { penSgr, restoreModesSequence, terminalModeState } from './terminal-modes';

type Xterm = InstanceType<typeof xtermHeadless.Terminal>;
type XtermBuffer = Xterm['buffer']['active'];
type XtermCell = ReturnType<XtermBuffer['getNullCell']>;

/**
 * Rebuilds a terminal's whole state in a fresh terminal of the same size: every line of the main
 * buffer (scrollback included) and of the alternate screen cell by cell, which buffer is active,
 * the cursor, the modes and the pen.
 *
 * Written for exactness instead of the serialize addon, which drops bold when dim ends on the
 * same cell and carries the main screen's last attributes into the alternate screen: each run of
 * equally styled cells starts from a full SGR reset, so no attribute can leak from one run into
 * the next. `snapshot-roundtrip.test.ts` compares replays with the live terminal cell by cell.
 */
export function serializeScreen(term: Xterm): string {
  const cols = term.cols;
  const normal = term.buffer.normal;
  let out = serializeBuffer(normal, cols);
  if (term.buffer.active.type === 'alternate') {
    // Entering the alternate screen saves the main screen's cursor; put it where the program left it.
    out += `\x1b[0m\x1b[${normal.cursorY + 1};${normal.cursorX + 1}H\x1b[?1049h\x1b[H\x1b[2J`;
    out += serializeBuffer(term.buffer.alternate, cols);
  }
  const active = term.buffer.active;
  return out + restoreModesSequence(terminalModeState(term), { x: active.cursorX, y: active.cursorY }, term.rows);
}

function serializeBuffer(buf: XtermBuffer, cols: number): string {
  const parts: string[] = [];
  const cell = buf.getNullCell();
  let style = '';
  // The SGR is rebuilt only when a cell's packed attributes differ from the previous cell's.
  let lastFg = 0;
  let lastBg = 0;
  const sgrOf = (c: XtermCell): string => {
    if (c.isAttributeDefault()) {
      lastFg = lastBg = 0;
      return '';
    }
    const fg = fgWord(c);
    const bg = bgWord(c);
    if (fg !== lastFg || bg !== lastBg || style === '') {
      lastFg = fg;
      lastBg = bg;
      return penSgr({ fg, bg });
    }
    return style;
  };
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const next = buf.getLine(y + 1);
    // A line the next one continues must be written to its last column, so the terminal wraps.
    const wraps = next?.isWrapped ?? false;
    const end = wraps ? cols : contentEnd(line, cols, cell);
    if (y > 0 && !line.isWrapped) {
      // A scroll fills the new line with the pen's background: reset before moving down.
      if (style !== '') parts.push('\x1b[0m');
      style = '';
      parts.push('\r\n');
    }
    for (let x = 0; x < end; x++) {
      line.getCell(x, cell);
      const width = cell.getWidth();
      if (width === 0) continue; // the right half of a wide character
      const s = sgrOf(cell);
      if (s !== style) {
        parts.push(s || '\x1b[0m');
        style = s;
      }
      parts.push(cell.getChars() || ' ');
    }
  }
  if (style !== '') parts.push('\x1b[0m');
  return parts.join('');
}

/** How many cells of a line hold something: characters, or blanks with a background or attributes. */
function contentEnd(line: NonNullable<ReturnType<XtermBuffer['getLine']>>, cols: number, cell: XtermCell): number {
  for (let x = cols - 1; x >= 0; x--) {
    line.getCell(x, cell);
    if (cell.getChars() !== '' && cell.getChars() !== ' ') return x + 1 + (cell.getWidth() === 2 ? 1 : 0);
    if (!cell.isAttributeDefault()) return x + 1;
  }
  return 0;
}

// Repacks a cell into xterm.js's attribute words (colour mode bits are already in place), so cells
// and the pen share one SGR writer.
function fgWord(cell: XtermCell): number {
  const mode = cell.getFgColorMode();
  let w = mode === 0 ? 0 : mode | (cell.getFgColor() & 0xffffff);
  if (cell.isInverse()) w |= 1 << 26;
  if (cell.isBold()) w |= 1 << 27;
  if (cell.isUnderline()) w |= 1 << 28;
  if (cell.isBlink()) w |= 1 << 29;
  if (cell.isInvisible()) w |= 1 << 30;
  if (cell.isStrikethrough()) w |= 1 << 31;
  return w;
}

function bgWord(cell: XtermCell): number {
  const mode = cell.getBgColorMode();
  let w = mode === 0 ? 0 : mode | (cell.getBgColor() & 0xffffff);
  if (cell.isItalic()) w |= 1 << 26;
  if (cell.isDim()) w |= 1 << 27;
  if (cell.isOverline()) w |= 1 << 30;
  return w;
}
