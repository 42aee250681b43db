import { describe, expect, it } from 'vitest';
import { pairKey, suggestMergeOrder, type OrderInput } from './merge-order';

const s = (sessionId: string, size = 10, baseConflicts: string[] = []): OrderInput => ({
  sessionId,
  name: sessionId.toUpperCase(),
  size,
  baseConflicts,
});

describe('suggested merge order', () => {
  it('independent sessions first, then the overlapping ones larger first, base conflicts last', () => {
    const conflicts = new Map([[pairKey('b', 'a'), ['app.ts']]]);
    const order = suggestMergeOrder([s('a', 5), s('b', 50), s('c', 1), s('d', 100, ['x.ts'])], conflicts);
    expect(order.map((o) => o.sessionId)).toEqual(['c', 'b', 'a', 'd']);
    expect(order[0].reason).toBe('Merges cleanly — no other session changes the same files');
    expect(order[1].reason).toBe('Merge before A (they change the same files)');
    expect(order[2].reason).toBe('After B: update from the base and resolve app.ts');
    expect(order[3].reason).toMatch(/^Conflicts with its base in x\.ts/);
  });

  it('a session overlapping with many goes after those overlapping with fewer', () => {
    const conflicts = new Map([
      [pairKey('hub', 'x'), ['a']],
      [pairKey('hub', 'y'), ['b']],
      [pairKey('x', 'z'), ['c']],
    ]);
    const order = suggestMergeOrder([s('hub'), s('x'), s('y'), s('z')], conflicts).map((o) => o.sessionId);
    expect(order.indexOf('hub')).toBeGreaterThan(order.indexOf('y'));
    expect(order).toHaveLength(4);
    expect(new Set(order).size).toBe(4);
  });

  it('lists at most three files and counts the rest', () => {
    const conflicts = new Map([[pairKey('a', 'b'), ['1', '2', '3', '4', '5']]]);
    const [, second] = suggestMergeOrder([s('a', 2), s('b', 1)], conflicts);
    expect(second.reason).toBe('After A: update from the base and resolve 1, 2, 3 and 2 more');
  });
});
