import { describe, expect, it } from 'vitest';
import { makeViewerTerminal, writeParsed } from '../../../../test/support/screen-state';
import { HeadlessScreen } from './headless-screen';

// State a program sets once and relies on later — the character sets (G1 = line drawing shifted
// in, as tmux and screen draw boxes), the cursor saved with DECSC, the tab stops — must survive a
// snapshot (a tab opened later, an attach) and a dormant screen's wake: the next bytes must come
// out as they do in a terminal that saw everything (review4's repro).

const cases: Array<[string, string, string]> = [
  ['G1 = DEC line drawing, shifted out (SO), then more output', 'box: \x1b)0\x0e', 'lqqqk'],
  ['G0 = DEC line drawing, then more output', 'box: \x1b(0', 'lqqqk\x1b(B ok'],
  ['a saved cursor (DECSC) restored later', '\x1b[2;5H\x1b[1m\x1b7\x1b[22m\x1b[4;1Hstatus', '\x1b8HERE'],
  ['a tab stop set by the program', '\x1b[3g\x1b[1;7H\x1bH\r', '\tX'],
  ['tab stops cleared at the cursor only', '\x1b[1;9H\x1b[g\r', '\tX'],
];

const COLS = 40;
const ROWS = 5;

function lines(term: ReturnType<typeof makeViewerTerminal>): string {
  const b = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < ROWS; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  return out.join('|');
}

describe('state a program set, after a snapshot and after a dormant screen wakes', () => {
  it.each(cases)('%s: a snapshot replayed, then more output', async (_name, before, after) => {
    const screen = new HeadlessScreen(COLS, ROWS, 100, 0);
    const reference = makeViewerTerminal(COLS, ROWS);
    screen.write(before);
    await new Promise<void>((r) => screen.afterWrites(r));
    await writeParsed(reference, before);
    const viewer = makeViewerTerminal(COLS, ROWS);
    await writeParsed(viewer, screen.serialize());
    await writeParsed(viewer, after);
    await writeParsed(reference, after);
    expect(lines(viewer)).toBe(lines(reference));
    for (const t of [viewer, reference]) t.dispose();
    screen.dispose();
  });

  it.each(cases)('%s: the screen slept, then more output', async (_name, before, after) => {
    const slept = new HeadlessScreen(COLS, ROWS, 100, 0);
    const awake = new HeadlessScreen(COLS, ROWS, 100, 0);
    for (const s of [slept, awake]) s.write(before);
    await Promise.all([slept, awake].map((s) => new Promise<void>((r) => s.afterWrites(r))));
    expect(slept.sleep()).toBe(true);
    for (const s of [slept, awake]) s.write(after);
    await Promise.all([slept, awake].map((s) => new Promise<void>((r) => s.afterWrites(r))));
    expect(slept.visibleLines().join('|')).toBe(awake.visibleLines().join('|'));
    slept.dispose();
    awake.dispose();
  });
});
