import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LineFramer } from '../transports/line-framer';
import { ECHO_WINDOW_MS, RELAY_COALESCE_MS, RelayOut } from './relay-out';

describe('RelayOut', () => {
  let writes: string[];
  let out: RelayOut;

  beforeEach(() => {
    vi.useFakeTimers();
    writes = [];
    out = new RelayOut(
      (text) => writes.push(text),
      RELAY_COALESCE_MS,
      () => Date.now(),
    );
  });
  afterEach(() => {
    out.dispose();
    vi.useRealTimers();
  });

  it('sends a lone line on a quiet connection at once', () => {
    out.relay('R1\ts1\ta', 's1');
    expect(writes).toEqual(['R1\ts1\ta']);
  });

  it('holds lines that follow closely and sends them as one write, in order, within the delay', () => {
    out.relay('one', 's1');
    out.relay('two', 's2');
    out.relay('three', 's1');
    expect(writes).toEqual(['one']);
    vi.advanceTimersByTime(RELAY_COALESCE_MS - 1);
    expect(writes).toEqual(['one']);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['one', 'two\nthree']);
    // What a line framer makes of the wire: every line, once, in order.
    const lines: string[] = [];
    const framer = new LineFramer((l) => lines.push(l));
    for (const w of writes) framer.push(`${w}\n`);
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('sends an echo at once, after what waited, while other sessions stream', () => {
    out.relay('s2 a', 's2');
    out.relay('s2 b', 's2');
    out.noteInput('s1');
    out.relay('s1 echo', 's1');
    expect(writes).toEqual(['s2 a', 's2 b\ns1 echo']);
    // Past the echo window the typed session's output is coalesced like any other.
    vi.advanceTimersByTime(ECHO_WINDOW_MS);
    out.relay('s2 c', 's2');
    out.relay('s1 later', 's1');
    expect(writes).toHaveLength(3);
    vi.runOnlyPendingTimers();
    expect(writes[3]).toBe('s1 later');
  });

  it('lets no other frame overtake waiting output: it goes in the same write, after it', () => {
    out.relay('first', 's1');
    out.relay('output', 's1');
    out.send('{"t":"evt","name":"hub"}');
    expect(writes).toEqual(['first', 'output\n{"t":"evt","name":"hub"}']);
    vi.runOnlyPendingTimers();
    expect(writes).toHaveLength(2);
  });

  it('sends at once once enough waits (a flood is not held back)', () => {
    out.relay('x', 's1');
    const big = 'y'.repeat(8 * 1024);
    out.relay(big, 's1');
    expect(writes).toEqual(['x', big]);
  });

  it('writes nothing after it is disposed', () => {
    out.relay('a', 's1');
    out.relay('b', 's1');
    out.dispose();
    vi.runOnlyPendingTimers();
    out.send('c');
    expect(writes).toEqual(['a']);
  });
});
