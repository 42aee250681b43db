import { describe, expect, it } from 'vitest';
import {
  ACK_LINES_ON,
  decodeAckLine,
  decodeRelayLine,
  encodeAckLine,
  encodeRelayLine,
  isAckLine,
  isRelayLine,
} from './relay-line';

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

  it('are refused when the frame is for another session or event than the header says', () => {
    const other = JSON.stringify({ t: 'evt', name: 'terminals.data', payload: { sessionId: 's2', data: 'x' } });
    expect(encodeRelayLine('ws-1', 's1', 'terminals.data', other)).toBeNull();
    expect(decodeRelayLine(`Rws-1\ts1\tterminals.data\t${other}`)).toBeNull();
    expect(decodeRelayLine(`Rws-1\ts1\tterminals.size\t${frame}`)).toBeNull();
    // A session id JSON escapes is compared as the frame spells it.
    const quoted = JSON.stringify({ t: 'evt', name: 'terminals.data', payload: { sessionId: 'a"b', data: 'x' } });
    expect(decodeRelayLine(encodeRelayLine('ws-1', 'a"b', 'terminals.data', quoted)!)?.sessionId).toBe('a"b');
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

describe('ack lines', () => {
  it('carry a viewer, a session and a count', () => {
    const line = encodeAckLine('ws-3-1', 's1', 16_384)!;
    expect(isAckLine(line)).toBe(true);
    expect(isRelayLine(line)).toBe(false);
    expect(decodeAckLine(line)).toEqual({ viewerId: 'ws-3-1', sessionId: 's1', chars: 16_384 });
  });

  it('are not made for ids that could not stand in them, or counts that are not whole', () => {
    expect(encodeAckLine('ws\t1', 's1', 1)).toBeNull();
    expect(encodeAckLine('ws-1', 's1', 1.5)).toBeNull();
    expect(encodeAckLine('ws-1', 's1', -1)).toBeNull();
  });

  it('reject malformed ones, and the announcement is not one', () => {
    expect(decodeAckLine(ACK_LINES_ON)).toBeNull();
    expect(decodeAckLine('Av\ts1')).toBeNull();
    expect(decodeAckLine('Av\ts1\t')).toBeNull();
    expect(decodeAckLine('Av\ts1\t12x')).toBeNull();
    expect(decodeAckLine('Av\ts1\t1\t2')).toBeNull();
    expect(decodeAckLine('Av\ts1\t2000000000')).toBeNull();
    expect(decodeAckLine('A\ts1\t1')).toBeNull();
    expect(decodeAckLine('{"t":"req"}')).toBeNull();
  });
});
