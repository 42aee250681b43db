import { describe, expect, it } from 'vitest';
import { ACK_BATCH_CHARS, FLOW_HIGH_CHARS, FLOW_LOW_CHARS } from '../../../shared/terminal-flow';
import { FlowControl } from './flow-control';
import { MAX_FLUSH_CHARS } from './output-batcher';

/**
 * A flood against one viewer that acknowledges only whole batches of `batch` characters (its
 * remainder waits for a timer that, here, never fires). Output goes out in full flushes until the
 * source pauses; then the viewer receives everything in flight. Returns whether the source resumed.
 */
function floodThenCatchUp(batch: number, flushes: number[]): { resumed: boolean; maxUnacked: number } {
  let paused = false;
  const flow = new FlowControl({ pause: () => (paused = true), resume: () => (paused = false) });
  flow.add('viewer', { high: FLOW_HIGH_CHARS, low: FLOW_LOW_CHARS });
  let inFlight = 0;
  for (const n of flushes) {
    if (paused) break;
    flow.sent('viewer', n);
    inFlight += n;
  }
  expect(paused).toBe(true);
  let pending = inFlight;
  while (pending >= batch) {
    flow.acked('viewer', batch);
    pending -= batch;
  }
  return { resumed: !paused, maxUnacked: flow.snapshot().maxUnacked };
}

/** Enough flushes of `size` to pass the high watermark. */
const flood = (size: number): number[] => new Array(Math.ceil((2 * FLOW_HIGH_CHARS) / size)).fill(size);

describe('flow control with batched acks', () => {
  it('resumes a paused terminal on the acks sent by size alone (batch below the low watermark)', () => {
    // Every flush size a flood produces: full flushes, and odd ones (a flush cut at a surrogate pair).
    for (const size of [MAX_FLUSH_CHARS, MAX_FLUSH_CHARS - 1, 4095, 1000, 7]) {
      const { resumed, maxUnacked } = floodThenCatchUp(ACK_BATCH_CHARS, flood(size));
      expect(resumed, `flushes of ${size}`).toBe(true);
      expect(maxUnacked).toBeLessThanOrEqual(FLOW_HIGH_CHARS);
    }
  });

  it('stays paused when the viewer holds back more than the low watermark (the timer would be needed)', () => {
    // A batch as large as the high mark is never reached by what a paused terminal has in flight.
    expect(floodThenCatchUp(FLOW_HIGH_CHARS, flood(MAX_FLUSH_CHARS)).resumed).toBe(false);
  });
});
