import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HeadlessScreen,
  msSinceAnyScreenWrite,
  onScreenDormant,
} from '../../src/main/engine/terminals/headless-screen';
import { MemoryRelease } from '../../src/main/terminal-host/memory-release';
import { waitFor } from '../support/wait-for';

/** 2 000 lines of scrollback, as the benchmark's idle sessions hold. */
const FILL = Array.from({ length: 2000 }, (_, i) => `scrollback line ${i}: lorem ipsum dolor sit amet\r\n`).join('');

/** Resident bytes of glibc's main heap (`[heap]` in /proc/self/smaps): where Node mallocs typed arrays' memory. */
function mallocHeapBytes(): number {
  if (process.platform !== 'linux') return 0;
  let inHeap = false;
  let kb = 0;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) inHeap = head[1] === '[heap]';
    else if (inHeap) kb += Number(/^Rss:\s+(\d+) kB/.exec(line)?.[1] ?? 0);
  }
  return kb * 1024;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('memory release after dormancy (terminal host)', () => {
  it('frees the line buffers of screens that went dormant and gives their pages back to the system', async () => {
    // Longer than the dormancy queue takes for five screens, so one collection follows them all.
    const memory = new MemoryRelease(300);
    expect(memory.available).toBe(true);
    cleanups.push(
      onScreenDormant(() => memory.screensWentDormant()),
      () => memory.dispose(),
    );
    // Everything before this point is collected, so the figures below are the screens' own.
    memory.screensWentDormant();
    await waitFor('the first collection', () => memory.collections === 1);
    const before = process.memoryUsage().arrayBuffers;
    const heapBefore = mallocHeapBytes();

    const screens = Array.from({ length: 5 }, () => new HeadlessScreen(120, 32, 5000, 200));
    cleanups.push(() => screens.forEach((s) => s.dispose()));
    for (const s of screens) s.write(FILL);
    await Promise.all(screens.map((s) => new Promise<void>((r) => s.afterWrites(r))));
    const held = process.memoryUsage().arrayBuffers - before;
    const heapHeld = mallocHeapBytes() - heapBefore;
    if (process.platform === 'linux') expect(heapHeld).toBeGreaterThan(held / 2);
    // 120 columns × 12 bytes per cell per line: ~2.9 MB per screen.
    expect(held).toBeGreaterThan(5 * 2_000_000);

    // The dormancy queue puts them to sleep one by one; then one collection frees their cells.
    await waitFor('every screen dormant', () => screens.every((s) => s.isDormant));
    await waitFor('a collection after dormancy', () => memory.collections >= 2);
    // On a loaded machine one screen's sleep may come after that collection: one more burst settles it.
    const seen = memory.collections;
    memory.screensWentDormant();
    await waitFor('a collection after the last screen slept', () => memory.collections > seen);
    // Without the collection all of it stays (measured: 17.8 of 16.5 MB); other work sharing the
    // test process may hold a little, so the bound is loose.
    const left = process.memoryUsage().arrayBuffers - before;
    expect(left).toBeLessThan(held / 3);
    // Freed is not returned: glibc keeps freed chunks resident unless trimmed. With the trim, the
    // malloc heap gives most of the lines' pages back (without it: all of them stayed).
    if (process.platform === 'linux') {
      expect(memory.trims).toBeGreaterThan(0);
      expect(mallocHeapBytes() - heapBefore).toBeLessThan(heapHeld / 3);
    }
    // Nothing of the scrollback is lost: the dormant form still serializes every line.
    expect(screens[0].serialize()).toContain('scrollback line 1999:');
    expect(screens[0].serialize()).toContain('scrollback line 0:');
  });

  it('waits for a quiet host before trimming: the trim would stall every malloc of the event loop', async () => {
    if (process.platform !== 'linux') return;
    let quiet = false;
    const memory = new MemoryRelease(50, () => quiet);
    cleanups.push(() => memory.dispose());
    memory.screensWentDormant();
    await waitFor('the trim waits for quiet', () => memory.waitingForQuiet);
    expect(memory.collections).toBe(0);
    expect(memory.trims).toBe(0);
    quiet = true;
    await waitFor('trimmed once quiet', () => memory.collections === 1);
    expect(memory.waitingForQuiet).toBe(false);
  });

  it('the host is quiet once no screen has been written to for a while', async () => {
    const screen = new HeadlessScreen(80, 24, 100);
    cleanups.push(() => screen.dispose());
    screen.write('output\r\n');
    expect(msSinceAnyScreenWrite()).toBeLessThan(1000);
    await waitFor('a little time passed', () => msSinceAnyScreenWrite() >= 20);
    screen.write('more\r\n');
    expect(msSinceAnyScreenWrite()).toBeLessThan(20);
  });
});
