import { describe, expect, it } from 'vitest';
import { moveTab } from './tab-order';

describe('moveTab', () => {
  it('moves a tab before or after another', () => {
    expect(moveTab(['a', 'b', 'c'], 'c', 'a', false)).toEqual(['c', 'a', 'b']);
    expect(moveTab(['a', 'b', 'c'], 'a', 'c', true)).toEqual(['b', 'c', 'a']);
    expect(moveTab(['a', 'b', 'c'], 'a', 'b', true)).toEqual(['b', 'a', 'c']);
  });
  it('returns the same array when nothing changes', () => {
    const order = ['a', 'b'];
    expect(moveTab(order, 'a', 'b', false)).toBe(order);
    expect(moveTab(order, 'a', 'a', true)).toBe(order);
    expect(moveTab(order, 'x', 'a', true)).toBe(order);
  });
});
