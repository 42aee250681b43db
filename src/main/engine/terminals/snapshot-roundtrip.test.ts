import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { captureState, makeViewerTerminal, stateAfterReplay, writeParsed } from '../../../../test/support/screen-state';
import xtermHeadless from '@xterm/headless';
import { HeadlessScreen } from './headless-screen';
import { hasXtermLineInternals } from './screen-serializer';

const fixtureIndexSchema = z.record(z.string(), z.object({ cols: z.number(), rows: z.number() }));

const fixtures = resolve(__dirname, '../../../../test/fixtures/agent-screens');

/** Feeds `raw` to a host screen and to a reference viewer; the snapshot's replay must equal the viewer. */
async function expectRoundTrip(raw: string, cols: number, rows: number): Promise<void> {
  const screen = new HeadlessScreen(cols, rows, 10_000);
  const reference = makeViewerTerminal(cols, rows);
  screen.write(raw);
  await new Promise<void>((r) => screen.afterWrites(r));
  await writeParsed(reference, raw);
  const replayed = await stateAfterReplay(screen.serialize(), cols, rows);
  expect(replayed).toEqual(captureState(reference));
  screen.dispose();
  reference.dispose();
}

describe('snapshot round trip', () => {
  it('reads the line internals of this xterm build (else snapshots lose their colours)', () => {
    const term = new xtermHeadless.Terminal({ cols: 10, rows: 2, allowProposedApi: true });
    expect(hasXtermLineInternals(term)).toBe(true);
    term.dispose();
  });

  it.each([
    ['plain lines and a prompt', 'one\r\ntwo\r\n$ '],
    [
      'reverse video set on the main screen, then the alternate screen',
      'main \x1b[7mREV\x1b[?1049h\x1b[2J\x1b[Halt\x1b[27m plain',
    ],
    [
      'reverse video inside the alternate screen',
      'main\r\n\x1b[?1049h\x1b[H\x1b[7mstatus bar\x1b[0m\r\nbody \x1b[1;7mbold',
    ],
    [
      'modes: hidden cursor, app keys, SGR mouse, bracketed paste',
      '\x1b[?25l\x1b[?1h\x1b=\x1b[?1000h\x1b[?1006h\x1b[?2004hx',
    ],
    ['scroll region with the cursor inside it', '\x1b[?1049h\x1b[2;5r\x1b[4;3Hmid'],
    ['origin mode', '\x1b[3;6r\x1b[?6h\x1b[2;2Hin region'],
    ['cursor shape and 256/true colours on the pen', '\x1b[5 q\x1b[38;5;208;48;2;1;2;3mcolour'],
    ['a pen set after the last character', 'text\x1b[1;4;31m'],
    ['styled underlines (SGR 4:3, 4:0 after 4)', 'a\x1b[4:3mcurly\x1b[4:0m b\x1b[4mplain\x1b[24m c'],
    ['wide characters: emoji, CJK, combining', 'a😀b中文e\u0301f\r\n'],
    ['coloured lines scrolled into scrollback', '\x1b[41mred line\r\n'.repeat(12) + '\x1b[0mend'],
    ['a long line wrapped over three rows', `${'x'.repeat(100)}\x1b[1m${'y'.repeat(10)}`],
    ['a wide character that did not fit the last column', `${'z'.repeat(39)}中end`],
    [
      'vim-like: alternate screen, region scroll, status line',
      '$ vim\r\n\x1b[?1049h\x1b[?1h\x1b=\x1b[1;7r\x1b[H\x1b[2Jline1\r\nline2\x1b[7;1H\x1b[M\x1b[r\x1b[8;1H\x1b[1m-- INSERT --\x1b[m\x1b[2;3H',
    ],
  ])('%s', async (_name, raw) => {
    await expectRoundTrip(raw, 40, 8);
  });

  const recorded = readdirSync(fixtures).filter((f) => f.endsWith('.ansi'));
  it.each(recorded)('recorded agent screen %s', async (file) => {
    const meta = fixtureIndexSchema.parse(JSON.parse(readFileSync(join(fixtures, 'index.json'), 'utf8')));
    const { cols, rows } = meta[file.replace(/\.ansi$/, '')];
    await expectRoundTrip(readFileSync(join(fixtures, file), 'utf8'), cols, rows);
  });
});
