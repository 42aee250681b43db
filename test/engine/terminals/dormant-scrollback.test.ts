import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { screenCounts } from '../../../src/main/engine/terminals/headless-screen';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';
import { RecordingPeer } from '../../support/recording-peer';
import { captureState, makeViewerTerminal, stateAfterReplay, writeParsed } from '../../support/screen-state';
import { waitFor } from '../../support/wait-for';

const COLS = 80;
const ROWS = 30;
const LINES = 2100;

/**
 * What the program prints: 2 100 lines of scrollback in every colour form (16, 256, true colour,
 * bold/italic/underline/inverse), wide characters (CJK, emoji), a combining accent and a line that
 * wraps, then a full-screen program's alternate screen with modes set, left waiting for a key.
 */
function history(): string {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const styles = [`\x1b[3${i % 8}m`, `\x1b[38;5;${i % 256}m`, `\x1b[38;2;${i % 256};${(i * 7) % 256};90m`];
    const attrs = ['\x1b[1m', '\x1b[3m', '\x1b[4m', '\x1b[7m', ''][i % 5];
    let line = `${styles[i % 3]}${attrs}line ${i}\x1b[0m 中文 😀 e\u0301 \x1b[48;5;${i % 200}m bg \x1b[0m`;
    if (i % 97 === 0) line += ` ${'wrap'.repeat(40)}`;
    lines.push(line);
  }
  return (
    lines.join('\r\n') +
    '\r\n$ vim notes.md\r\n' +
    '\x1b[?1049h\x1b[?1h\x1b=\x1b[?2004h\x1b[2;20r\x1b[H\x1b[2J\x1b[44mtitle bar\x1b[0m\r\nfirst ✓\r\n' +
    '\x1b[30;1H\x1b[1m-- INSERT --\x1b[m\x1b[2;8H'
  );
}

/** What it prints after the key: back to the main screen and more lines under the history. */
const after = '\x1b[?1049l\x1b[?2004l\x1b[32mafter waking\x1b[0m 中文\r\n$ ';

let service: TerminalService;
let dir: string;

beforeEach(() => {
  // Screens go dormant after 300 ms without output (15 s in the app).
  service = new TerminalService({ hub: new EventHub(), log: silentLogger, scrollback: 5000, dormantAfterMs: 300 });
  dir = mkdtempSync(join(tmpdir(), 'ms-dormant-'));
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a dormant terminal (real PTY)', () => {
  it('keeps every byte of 2 100 lines of scrollback: attach while dormant, then wake on output', async () => {
    const first = join(dir, 'first.txt');
    const second = join(dir, 'second.txt');
    writeFileSync(first, history());
    writeFileSync(second, after);
    const dormantBefore = screenCounts.dormant;
    service.spawn({
      sessionId: 'd',
      file: '/bin/sh',
      // No terminal translation of the files' CR LF (the reference below is fed the same bytes).
      args: ['-c', 'stty -onlcr; cat "$1"; IFS= read -r key; cat "$2"; exec sleep 3600', 'sh', first, second],
      cwd: dir,
      env: buildPtyEnv({}),
      cols: COLS,
      rows: ROWS,
    });
    // The reference: a terminal fed exactly what the program wrote.
    const reference = makeViewerTerminal(COLS, ROWS, 5000);
    await writeParsed(reference, history());
    await waitFor('the program to print everything', () => service.screenLines('d')?.some((l) => l.includes('INSERT')));
    await waitFor('the screen to go dormant', () => screenCounts.dormant === dormantBefore + 1);

    // Attached while dormant: the snapshot rebuilds the very state the program wrote, cell by cell.
    const peer = new RecordingPeer('viewer', (s, chars) => service.ack(s, peer, chars));
    const snap = await service.attach('d', peer, COLS, ROWS);
    const expected = captureState(reference);
    expect(expected.normal.length).toBeGreaterThan(LINES);
    expect(snap.snapshot).toContain('line 0\x1b');
    expect(snap.snapshot).toContain(`line ${LINES - 1}\x1b`);
    expect(await stateAfterReplay(snap.snapshot, COLS, ROWS)).toEqual(expected);
    // Reading it did not wake it.
    expect(screenCounts.dormant).toBe(dormantBefore + 1);

    // A key (echoed by the terminal on the alternate screen: no CR added) and the program's answer wake it.
    service.input('d', 'x\r');
    await writeParsed(reference, 'x\n' + after);
    await waitFor('the answer after waking', () => peer.dataFor('d').includes('after waking'));
    await waitFor('the screen awake and parsed', () => service.screenLines('d')?.at(-1)?.startsWith('$') === true);
    const again = await service.attach('d', new RecordingPeer('second', null), COLS, ROWS);
    expect(await stateAfterReplay(again.snapshot, COLS, ROWS)).toEqual(captureState(reference));
    reference.dispose();
  });
});
