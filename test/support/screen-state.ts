import xtermHeadless from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { terminalModeState, type TerminalModes } from '../../src/main/engine/terminals/terminal-modes';

type Xterm = InstanceType<typeof xtermHeadless.Terminal>;
type XtermBuffer = Xterm['buffer']['active'];

/**
 * Everything a viewer's terminal holds, as plain data two terminals can be compared with: every
 * line of both buffers cell by cell (characters, width, colours and attributes), which buffer is
 * active, the cursor and the modes. A snapshot round trip is exact when the states are equal.
 */
export interface ScreenState {
  cols: number;
  rows: number;
  active: 'normal' | 'alternate';
  normal: string[];
  alternate: string[];
  cursor: { x: number; y: number };
  modes: TerminalModes;
}

/**
 * A colour as the user sees it: palette entries 0–15 are the same colour whether a program chose
 * them with a 16-colour or a 256-colour code (the serialize addon writes the shorter one).
 */
function colour(mode: number, value: number): string {
  if (mode === 0) return '';
  if (mode === 0x1000000 || (mode === 0x2000000 && value < 16)) return `p${value}`;
  if (mode === 0x2000000) return `x${value}`;
  return `#${value.toString(16).padStart(6, '0')}`;
}

function describeBuffer(buf: XtermBuffer, cols: number): string[] {
  const lines: string[] = [];
  const cell = buf.getNullCell();
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const cells: string[] = [];
    for (let x = 0; x < cols; x++) {
      line.getCell(x, cell);
      const flags = [
        cell.isBold() && 'b',
        cell.isDim() && 'd',
        cell.isItalic() && 'i',
        cell.isUnderline() && 'u',
        cell.isBlink() && 'k',
        cell.isInverse() && 'r',
        cell.isInvisible() && 'h',
        cell.isStrikethrough() && 's',
        cell.isOverline() && 'o',
      ]
        .filter(Boolean)
        .join('');
      const style = `${colour(cell.getFgColorMode(), cell.getFgColor())},${colour(cell.getBgColorMode(), cell.getBgColor())}${flags && `,${flags}`}`;
      const width = cell.getWidth() === 1 ? '' : `^${cell.getWidth()}`;
      cells.push(`${cell.getChars() || ' '}${width}${style === ',' ? '' : `{${style}}`}`);
    }
    // Trailing default blanks are not state: a terminal never tells them from unwritten cells.
    while (cells.length && cells[cells.length - 1] === ' ') cells.pop();
    lines.push(`${line.isWrapped ? '↩' : ''}${cells.join('')}`);
  }
  // Empty lines at the end of a buffer are unwritten screen rows.
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function captureState(term: Xterm): ScreenState {
  const active = term.buffer.active;
  return {
    cols: term.cols,
    rows: term.rows,
    active: active.type,
    normal: describeBuffer(term.buffer.normal, term.cols),
    alternate: describeBuffer(term.buffer.alternate, term.cols),
    cursor: { x: active.cursorX, y: active.cursorY },
    modes: terminalModeState(term),
  };
}

/** A terminal like a viewer's: same size, Unicode 11 widths. */
export function makeViewerTerminal(cols: number, rows: number, scrollback = 10_000): Xterm {
  const term = new xtermHeadless.Terminal({ cols, rows, scrollback, allowProposedApi: true, logLevel: 'off' });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  return term;
}

/** Writes `data` and resolves once it has been parsed. */
export function writeParsed(term: Xterm, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** The state a fresh viewer ends in after replaying `snapshot`. */
export async function stateAfterReplay(snapshot: string, cols: number, rows: number): Promise<ScreenState> {
  const term = makeViewerTerminal(cols, rows);
  await writeParsed(term, snapshot);
  const state = captureState(term);
  term.dispose();
  return state;
}
