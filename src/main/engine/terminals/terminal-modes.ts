import type xtermHeadless from '@xterm/headless';

type Xterm = InstanceType<typeof xtermHeadless.Terminal>;

/**
 * The state of a terminal that is not text on the screen but changes what the next bytes do or how
 * keys are encoded: the modes a program set, the scroll region, the pen (current SGR attributes).
 * A snapshot must carry all of it, or a program that keeps drawing after a reattach draws wrong.
 */
export interface TerminalModes {
  alternateScreen: boolean;
  cursorVisible: boolean;
  cursorStyle: 'block' | 'underline' | 'bar';
  cursorBlink: boolean;
  applicationCursorKeys: boolean;
  applicationKeypad: boolean;
  bracketedPaste: boolean;
  insert: boolean;
  origin: boolean;
  reverseWraparound: boolean;
  sendFocus: boolean;
  wraparound: boolean;
  mouseTracking: 'none' | 'x10' | 'vt200' | 'drag' | 'any';
  /** How mouse reports are encoded ('DEFAULT', 'SGR', …, xterm.js's names). */
  mouseEncoding: string;
  /** DECSTBM, 1-based inclusive rows of the active buffer. */
  scrollRegion: { top: number; bottom: number };
  /** The pen: packed attributes of the next character printed (xterm.js's fg/bg words). */
  pen: { fg: number; bg: number };
}

/**
 * The parts of xterm.js's core that hold state its public API does not expose. Read through one
 * narrow shape; `terminal-modes.test.ts` fails if an xterm upgrade moves them.
 */
interface XtermCore {
  coreService: { isCursorHidden: boolean; decPrivateModes: { cursorStyle?: string; cursorBlink?: boolean } };
  coreMouseService: { activeEncoding: string };
  buffers: { active: { scrollTop: number; scrollBottom: number } };
  _inputHandler: { _curAttrData: { fg: number; bg: number } };
}

function coreOf(term: Xterm): XtermCore | null {
  const core = (term as unknown as { _core?: Partial<XtermCore> })._core;
  if (!core?.coreService || !core.coreMouseService || !core.buffers || !core._inputHandler?._curAttrData) return null;
  return core as XtermCore;
}

/** Whether this xterm build exposes the internals the snapshot needs (checked by a test). */
export function hasXtermInternals(term: Xterm): boolean {
  return coreOf(term) !== null;
}

export function terminalModeState(term: Xterm): TerminalModes {
  const m = term.modes;
  const core = coreOf(term);
  const style = core?.coreService.decPrivateModes.cursorStyle;
  return {
    alternateScreen: term.buffer.active.type === 'alternate',
    cursorVisible: core ? !core.coreService.isCursorHidden : true,
    cursorStyle: style === 'underline' || style === 'bar' ? style : 'block',
    cursorBlink: core?.coreService.decPrivateModes.cursorBlink ?? false,
    applicationCursorKeys: m.applicationCursorKeysMode,
    applicationKeypad: m.applicationKeypadMode,
    bracketedPaste: m.bracketedPasteMode,
    insert: m.insertMode,
    origin: m.originMode,
    reverseWraparound: m.reverseWraparoundMode,
    sendFocus: m.sendFocusMode,
    wraparound: m.wraparoundMode,
    mouseTracking: m.mouseTrackingMode,
    mouseEncoding: core?.coreMouseService.activeEncoding ?? 'DEFAULT',
    scrollRegion: core
      ? { top: core.buffers.active.scrollTop + 1, bottom: core.buffers.active.scrollBottom + 1 }
      : { top: 1, bottom: term.rows },
    pen: core ? { fg: core._inputHandler._curAttrData.fg, bg: core._inputHandler._curAttrData.bg } : { fg: 0, bg: 0 },
  };
}

const mouseEncodingModes: Record<string, number> = { SGR: 1006, SGR_PIXELS: 1016, URXVT: 1015, UTF8: 1005 };
const cursorStyleParam = { block: 2, underline: 4, bar: 6 } as const;

const mouseTrackingModes = { none: 0, x10: 9, vt200: 1000, drag: 1002, any: 1003 } as const;

/**
 * The escapes that put a fresh terminal into `modes` after the screen content was replayed:
 * every mode, the scroll region, then the cursor position (DECSTBM homes the cursor, so it comes
 * after), cursor shape and visibility, and the pen last.
 */
export function restoreModesSequence(modes: TerminalModes, cursor: { x: number; y: number }, rows: number): string {
  let out = '';
  if (modes.applicationCursorKeys) out += '\x1b[?1h';
  if (modes.applicationKeypad) out += '\x1b[?66h';
  if (modes.bracketedPaste) out += '\x1b[?2004h';
  if (modes.insert) out += '\x1b[4h';
  if (modes.reverseWraparound) out += '\x1b[?45h';
  if (modes.sendFocus) out += '\x1b[?1004h';
  if (!modes.wraparound) out += '\x1b[?7l';
  const tracking = mouseTrackingModes[modes.mouseTracking];
  if (tracking) out += `\x1b[?${tracking}h`;
  const { top, bottom } = modes.scrollRegion;
  if (top !== 1 || bottom !== rows) out += `\x1b[${top};${bottom}r`;
  if (modes.origin) out += '\x1b[?6h';
  // In origin mode CUP is relative to the region's top.
  const row = modes.origin ? cursor.y - (top - 1) + 1 : cursor.y + 1;
  out += `\x1b[${row};${cursor.x + 1}H`;
  const enc = mouseEncodingModes[modes.mouseEncoding];
  if (enc) out += `\x1b[?${enc}h`;
  const shape = cursorStyleParam[modes.cursorStyle] - (modes.cursorBlink ? 1 : 0);
  if (shape !== 2) out += `\x1b[${shape} q`;
  out += penSgr(modes.pen);
  out += modes.cursorVisible ? '\x1b[?25h' : '\x1b[?25l';
  return out;
}

// xterm.js's packed attribute words (common/buffer/Constants.ts).
const CM_MASK = 0x3000000;
const CM_P16 = 0x1000000;
const CM_P256 = 0x2000000;
const CM_RGB = 0x3000000;
const fgFlags: Array<[number, number]> = [
  [1 << 27, 1], // bold
  [1 << 28, 4], // underline
  [1 << 29, 5], // blink
  [1 << 26, 7], // inverse
  [1 << 30, 8], // invisible
  [1 << 31, 9], // strikethrough
];
const bgFlags: Array<[number, number]> = [
  [1 << 27, 2], // dim
  [1 << 26, 3], // italic
  [1 << 30, 53], // overline
];

function colourParams(word: number, base: number): string[] {
  const value = word & 0xffffff;
  switch (word & CM_MASK) {
    case CM_P16:
      return [String(value < 8 ? base + value : base + 60 + (value - 8))];
    case CM_P256:
      return [`${base + 8};5;${value}`];
    case CM_RGB:
      return [`${base + 8};2;${(value >> 16) & 255};${(value >> 8) & 255};${value & 255}`];
    default:
      return [];
  }
}

/** The SGR sequence that sets a pen (reset first, so nothing of the serialized screen's last cell stays). */
export function penSgr(pen: { fg: number; bg: number }): string {
  const params = ['0'];
  for (const [bit, code] of fgFlags) if ((pen.fg & bit) !== 0) params.push(String(code));
  for (const [bit, code] of bgFlags) if ((pen.bg & bit) !== 0) params.push(String(code));
  params.push(...colourParams(pen.fg, 30), ...colourParams(pen.bg, 40));
  return `\x1b[${params.join(';')}m`;
}

/**
 * What `attach` writes to the user's own terminal when it detaches: leave the alternate screen,
 * undo every mode a program may have set (mouse, cursor keys, keypad, bracketed paste, focus
 * events, synchronized output, kitty keyboard, scroll region, pen, cursor shape, character sets)
 * and show the cursor (tab stops: `defaultTabStops`, which needs the width) — so the shell the user returns to behaves as before the attach.
 */
export const outerTerminalReset =
  '\x1b[?2026l' + // end a synchronized update a program may have left open
  '\x1b[?1049l' + // main screen (restores the cursor saved on entry)
  '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1015l\x1b[?1016l' + // mouse off
  '\x1b[?1004l' + // focus events off
  '\x1b[?2004l' + // bracketed paste off
  '\x1b[?1l\x1b>' + // normal cursor keys and keypad
  '\x1b[4l' + // replace mode
  '\x1b[?7h' + // autowrap on
  '\x1b[r' + // full-screen scroll region
  '\x1b[<u' + // pop kitty keyboard flags (ignored by terminals without it)
  '\x1b[>4;0m' + // xterm modifyOtherKeys off
  '\x1b[0m' + // plain pen
  '\x1b[0 q' + // default cursor shape
  '\x1b(B\x1b)B\x1b*B\x1b+B\x0f' + // every character set US ASCII, G0 shifted in
  '\x1b[?25h'; // cursor visible

/**
 * Tab stops every 8 columns across `cols` (cleared first), as a terminal starts with: what
 * `attach` gives the user's terminal back when a program had set its own stops (snapshots carry
 * them). Moves the cursor; the caller positions it afterwards.
 */
export function defaultTabStops(cols: number): string {
  let out = '\x1b[3g';
  for (let col = 8; col < cols; col += 8) out += `\x1b[1;${col + 1}H\x1bH`;
  return out;
}

/** A character set as xterm.js keeps it: a map of replaced characters, or null for US ASCII. */
type Charset = Record<string, string> | null | undefined;

/**
 * The parts of xterm.js's core behind the state a program sets once and relies on later: the
 * G0–G3 designations and which is shifted in, the cursor saved with DECSC (position, pen,
 * character set) and the tab stops. Read through one narrow shape; `snapshot-roundtrip.test.ts`
 * fails if an xterm upgrade moves them.
 */
interface XtermSavedStateCore {
  _charsetService: { glevel: number; _charsets: Charset[] };
  buffers: {
    active: {
      ybase: number;
      savedX: number;
      savedY: number;
      savedCurAttrData: { fg: number; bg: number };
      savedCharset: Charset;
      tabs: Record<string, boolean>;
    };
  };
  optionsService?: { rawOptions?: { tabStopWidth?: number } };
}

function savedStateCoreOf(term: Xterm): XtermSavedStateCore | null {
  const core = (term as unknown as { _core?: Partial<XtermSavedStateCore> })._core;
  const cs = core?._charsetService;
  const b = core?.buffers?.active;
  if (!cs || !Array.isArray(cs._charsets) || !b || typeof b.savedX !== 'number' || !b.tabs) return null;
  return core as XtermSavedStateCore;
}

/** The designation final byte of a charset xterm.js can hold, when it is one we can name. */
function designatorOf(charset: Charset): string | null {
  if (!charset) return 'B'; // US ASCII
  if (charset['q'] === '─') return '0'; // DEC Special Graphics (line drawing)
  if (charset['#'] === '£' && Object.keys(charset).length === 1) return 'A'; // United Kingdom
  return null;
}

const designateIntermediate = ['(', ')', '*', '+'] as const;
const shiftIn = ['\x0f', '\x0e', '\x1bn', '\x1bo'] as const; // SI, SO, LS2, LS3

/**
 * The escapes, replayed after the screen's content and before the modes, that give a fresh
 * terminal the state a program set and uses later: tab stops (when not the default every 8
 * columns), the cursor saved with DECSC — so a later DECRC lands where the program saved it —
 * and the character sets with the one shifted in (a box drawn in line-drawing characters after a
 * reattach or a dormant screen's wake must still come out as lines, not letters). The caller
 * positions the real cursor and sets the real pen afterwards.
 */
export function savedStateSequence(term: Xterm): string {
  const core = savedStateCoreOf(term);
  if (!core) return '';
  const b = core.buffers.active;
  const cs = core._charsetService;
  let out = '';
  const width = core.optionsService?.rawOptions?.tabStopWidth ?? 8;
  const stops = Object.keys(b.tabs)
    .filter((k) => b.tabs[k])
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0 && n < term.cols)
    .sort((x, y) => x - y);
  const defaults: number[] = [];
  for (let i = 0; i < term.cols; i += width) defaults.push(i);
  if (stops.join(',') !== defaults.join(',')) {
    out += '\x1b[3g'; // clear every stop, then set each (HTS at its column)
    for (const col of stops) out += `\x1b[1;${col + 1}H\x1bH`;
  }
  // DECSC saves position, pen and the character set shifted in; put each there, then save.
  const savedRow = b.savedY - b.ybase;
  const savedDesignator = designatorOf(b.savedCharset);
  const savedIsDefault = b.savedX === 0 && b.savedY === 0 && b.savedCurAttrData.fg === 0 && b.savedCurAttrData.bg === 0;
  if (!savedIsDefault && savedRow >= 0 && savedRow < term.rows && savedDesignator) {
    out += `\x1b[${savedRow + 1};${Math.min(b.savedX, term.cols - 1) + 1}H`;
    out += penSgr(b.savedCurAttrData);
    out += `\x1b(${savedDesignator}\x0f\x1b7`;
  }
  // Then the designations as the program left them, and the set shifted in.
  for (let g = 0; g < 4; g++) {
    const d = designatorOf(cs._charsets[g]);
    if (d) out += `\x1b${designateIntermediate[g]}${d}`;
  }
  if (cs.glevel > 0 && cs.glevel < 4) out += shiftIn[cs.glevel];
  else out += shiftIn[0];
  return out;
}
