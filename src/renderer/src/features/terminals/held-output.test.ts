import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HELD_MAX_CHARS, HELD_MAX_MS, HeldOutput, type TerminalItem } from './held-output';

describe('HeldOutput', () => {
  let written: TerminalItem[][];
  let held: HeldOutput;
  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    held = new HeldOutput((items) => written.push(items));
  });
  afterEach(() => {
    held.dispose();
    vi.useRealTimers();
  });

  it('writes everything, in arrival order, once, when released', () => {
    held.push('a');
    held.push({ cols: 90, rows: 20 });
    held.push('b');
    expect(written).toEqual([]);
    held.release();
    expect(written).toEqual([['a', { cols: 90, rows: 20 }, 'b']]);
    held.release();
    vi.advanceTimersByTime(HELD_MAX_MS * 2);
    expect(written).toHaveLength(1);
  });

  it('writes within HELD_MAX_MS of the first item, however much keeps coming', () => {
    held.push('a');
    vi.advanceTimersByTime(HELD_MAX_MS / 2);
    held.push('b');
    vi.advanceTimersByTime(HELD_MAX_MS / 2 - 1);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([['a', 'b']]);
  });

  it('writes at once past HELD_MAX_CHARS, so held output never pauses the program', () => {
    held.push('x'.repeat(HELD_MAX_CHARS - 1));
    vi.advanceTimersByTime(0);
    expect(written).toEqual([]);
    held.push('yy');
    vi.advanceTimersByTime(0);
    expect(written.flat().join('')).toBe(`${'x'.repeat(HELD_MAX_CHARS - 1)}yy`);
  });

  it.each([
    ['cursor position report', '\x1b[6n'],
    ['device attributes', 'hi\x1b[c'],
    ['secondary device attributes', '\x1b[>0c'],
    ['mode report', '\x1b[?2026$p'],
    ['background colour', '\x1b]11;?\x07'],
    ['status string', '\x1bP$qm\x1b\\'],
  ])('writes a %s query at once: the program waits for its answer', (_what, query) => {
    held.push('plain output');
    held.push(query);
    vi.advanceTimersByTime(0);
    expect(written).toEqual([['plain output', query]]);
  });

  it('keeps plain output and colours held', () => {
    held.push('\x1b[1;31mred\x1b[0m\r\n');
    vi.advanceTimersByTime(0);
    expect(written).toEqual([]);
  });

  it('forgets what it held when dropped (a snapshot replaces it)', () => {
    held.push('old');
    held.drop();
    vi.advanceTimersByTime(HELD_MAX_MS);
    held.release();
    expect(written).toEqual([]);
  });
});
