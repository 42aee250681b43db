import { describe, expect, it } from 'vitest';
import { TailBuffer, tailText } from './output-tail';

describe('TailBuffer', () => {
  it('keeps the last bytes across chunks and says it dropped some', () => {
    const b = new TailBuffer(8);
    b.push(Buffer.from('abcdef'));
    b.push(Buffer.from('ghij'));
    expect(b.text()).toBe('cdefghij');
    expect(b.truncated).toBe(true);
    const small = new TailBuffer(8);
    small.push(Buffer.from('abc'));
    expect(small.text()).toBe('abc');
    expect(small.truncated).toBe(false);
  });

  it('does not start the tail with half a character', () => {
    const b = new TailBuffer(4);
    b.push(Buffer.from('xxé€')); // é is 2 bytes, € is 3: the tail's first byte is the end of é
    expect(b.text()).toBe('€');
  });

  it('marks a cut string tail', () => {
    expect(tailText('abcdef', 10)).toBe('abcdef');
    expect(tailText('abcdef', 4)).toBe('…def');
  });
});
