import { describe, expect, it } from 'vitest';
import { decodeRelayLine, encodeRelayLine, isRelayLine } from './relay-line';

const frame = JSON.stringify({ t: 'evt', name: 'terminals.data', payload: { sessionId: 's1', data: 'a\tb\r\n{}' } });

describe('relay lines', () => {
  it('carry the frame unchanged behind the header, tabs in the data included', () => {
    const line = encodeRelayLine('ws-3-1', 's1', 'terminals.data', frame);
    expect(line).not.toBeNull();
    expect(isRelayLine(line!)).toBe(true);
    expect(line!).not.toContain('\n');
    expect(decodeRelayLine(line!)).toEqual({ viewerId: 'ws-3-1', sessionId: 's1', name: 'terminals.data', frame });
  });

  it('are not made for ids that could not stand in the header', () => {
    expect(encodeRelayLine('ws\t1', 's1', 'terminals.data', frame)).toBeNull();
    expect(encodeRelayLine('ws-1', 's\n1', 'terminals.data', frame)).toBeNull();
    expect(encodeRelayLine('', 's1', 'terminals.data', frame)).toBeNull();
  });

  it('are never confused with JSON frames', () => {
    expect(isRelayLine(frame)).toBe(false);
    expect(decodeRelayLine(frame)).toBeNull();
  });

  it('reject malformed headers and frames', () => {
    expect(decodeRelayLine('Rviewer\ts1\tterminals.data')).toBeNull();
    expect(decodeRelayLine('R\ts1\tterminals.data\t{}')).toBeNull();
    expect(decodeRelayLine('Rv\t\tterminals.data\t{}')).toBeNull();
    expect(decodeRelayLine('Rv\ts1\t\t{}')).toBeNull();
    expect(decodeRelayLine('Rv\ts1\tterminals.data\tnot json')).toBeNull();
  });
});
