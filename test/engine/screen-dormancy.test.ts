import { describe, expect, it } from 'vitest';
import { HeadlessScreen, screenCounts } from '../../src/main/engine/terminals/headless-screen';
import { captureState, makeViewerTerminal, stateAfterReplay, writeParsed } from '../support/screen-state';
import { waitFor } from '../support/wait-for';

const COLS = 60;
const ROWS = 12;

/** Scrollback with colours and wide characters, then a vim-like alternate screen with modes set. */
const rich =
  Array.from({ length: 2000 }, (_, i) => `\x1b[3${i % 8}mline ${i} ✓ 中文 😀\x1b[0m`).join('\r\n') +
  '\r\n$ vim\r\n\x1b[?1049h\x1b[?1h\x1b=\x1b[?2004h\x1b[1;10r\x1b[H\x1b[2Jfirst\r\nsecond\x1b[12;1H\x1b[1m-- INSERT --\x1b[m\x1b[2;4H';

function parsed(screen: HeadlessScreen): Promise<void> {
  return new Promise((resolve) => screen.afterWrites(resolve));
}

/** Everything a caller can read from a screen without a snapshot. */
function reads(screen: HeadlessScreen) {
  return {
    size: [screen.cols, screen.rows],
    lines: screen.visibleLines(),
    cursor: screen.cursor(),
    alternate: screen.isAlternateScreen(),
    modes: screen.modes(),
    cells: [0, 1, 2, 3, 4, 5].map((x) => screen.cellText(x, 1)),
  };
}

describe('a dormant headless screen', () => {
  it('answers every read as before and snapshots the same bytes', async () => {
    const screen = new HeadlessScreen(COLS, ROWS, 5000, 0);
    screen.write(rich);
    await parsed(screen);
    const before = reads(screen);
    const snapshot = screen.serialize();
    expect(before.lines[0]).toBe('first');

    expect(screen.sleep()).toBe(true);
    expect(screen.isDormant).toBe(true);
    expect(reads(screen)).toEqual(before);
    expect(screen.serialize()).toBe(snapshot);
    screen.dispose();
  });

  it('wakes on output without losing a cell: the replay equals a terminal that never slept', async () => {
    const screen = new HeadlessScreen(COLS, ROWS, 5000, 0);
    const reference = makeViewerTerminal(COLS, ROWS, 5000);
    screen.write(rich);
    await writeParsed(reference, rich);
    await parsed(screen);
    screen.sleep();

    const more = '\x1b[?1049l\x1b[32mback on the main screen\x1b[0m\r\n$ ';
    screen.write(more);
    await writeParsed(reference, more);
    // Until the replay is parsed, reads still come from the dormant copy; afterwards from the terminal.
    await parsed(screen);
    expect(screen.isDormant).toBe(false);
    expect(await stateAfterReplay(screen.serialize(), COLS, ROWS)).toEqual(captureState(reference));
    expect(screen.visibleLines().at(-1)?.trimEnd()).toBe('$');
    screen.dispose();
    reference.dispose();
  });

  it('a resize while dormant reflows after the restored state, like a live terminal', async () => {
    const screen = new HeadlessScreen(COLS, ROWS, 5000, 0);
    const reference = makeViewerTerminal(COLS, ROWS, 5000);
    const text = Array.from({ length: 40 }, (_, i) => `${i}:${'w'.repeat(50 + (i % 7))}`).join('\r\n');
    screen.write(text);
    await writeParsed(reference, text);
    await parsed(screen);
    screen.sleep();

    screen.resize(30, 8);
    reference.resize(30, 8);
    expect([screen.cols, screen.rows]).toEqual([30, 8]);
    screen.write('\r\nafter');
    await writeParsed(reference, '\r\nafter');
    await parsed(screen);
    expect(await stateAfterReplay(screen.serialize(), 30, 8)).toEqual(captureState(reference));
    screen.dispose();
    reference.dispose();
  });

  it('the replay answers no query; a query written after waking is answered once', async () => {
    const screen = new HeadlessScreen(COLS, ROWS, 100, 0);
    const replies: string[] = [];
    screen.onReply((r) => replies.push(r));
    // A cursor-position request the program sent earlier (unanswered: not flagged) is in the history.
    screen.write('prompt\x1b[6n');
    await parsed(screen);
    screen.sleep();
    screen.write('\x1b[6n', undefined, true);
    await parsed(screen);
    expect(replies).toEqual(['\x1b[1;7R']);
    screen.dispose();
  });

  it('goes dormant by itself after a quiet spell and counts itself', async () => {
    const dormantBefore = screenCounts.dormant;
    const screen = new HeadlessScreen(COLS, ROWS, 100, 60);
    screen.write('quiet now');
    await waitFor('screen dormant', () => screen.isDormant);
    expect(screenCounts.dormant).toBe(dormantBefore + 1);
    expect(screen.visibleLines()[0]).toBe('quiet now');
    screen.dispose();
    expect(screenCounts.dormant).toBe(dormantBefore);
  });
});
