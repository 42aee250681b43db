/**
 * The terminal host's viewer events on the wire, in a form the UI host forwards without decoding.
 *
 * A viewer event (terminal output, a size change) is for one client of one engine. As a JSON
 * `viewer` event the UI host had to parse it, check it, and encode it again for the client — per
 * output chunk, the largest share of the UI host's streaming cost. A relay line carries the event
 * frame the client reads (`{"t":"evt","name",payload}`, encoded once, by the terminal host) behind
 * a header with what the UI host routes and orders by:
 *
 *     R<viewerId> TAB <sessionId> TAB <event name> TAB <event frame JSON>
 *
 * JSON frames start with `{`, so a line starting with `R` is never one. Engines ask for relay lines
 * in their hello (`relay: true`); an engine that did not (an older one) gets `viewer` events.
 *
 * Acknowledgements go the other way as ack lines, `A<viewerId> TAB <sessionId> TAB <chars>`: one-way,
 * where an `ack` request costs a response frame the engine must read and parse — during a flood one
 * per output frame. A host that reads them says so right after the hello of an engine that asked for
 * relay lines, with the line `A` alone (ACK_LINES_ON); until it has, the engine sends `ack` requests.
 */

import { z } from 'zod';

/** The client's event frame inside a relay line (checked when contract checks are on). */
export const relayFrameSchema = z.object({ t: z.literal('evt'), name: z.string(), payload: z.unknown() });

const PREFIX = 'R';
const SEP = '\t';

export interface RelayLine {
  viewerId: string;
  sessionId: string;
  name: string;
  /** The client's event frame, as encoded by the terminal host. */
  frame: string;
}

const plain = (s: string) => s.length > 0 && !s.includes(SEP) && !s.includes('\n');

/**
 * How the frame of a relay line begins: the UI host routes by the header, the client by the frame,
 * so a line whose two disagree (one session's bytes headed for another's tab) is refused — checked
 * on the text, without parsing the frame. The payload's first key is its sessionId.
 */
function framePrefix(sessionId: string, name: string): string {
  return `{"t":"evt","name":${JSON.stringify(name)},"payload":{"sessionId":${JSON.stringify(sessionId)},`;
}

/** The relay line of one viewer event, or null when an id could not stand in its header. */
export function encodeRelayLine(viewerId: string, sessionId: string, name: string, frame: string): string | null {
  if (!plain(viewerId) || !plain(sessionId) || !plain(name)) return null;
  if (!frame.startsWith(framePrefix(sessionId, name))) return null;
  return `${PREFIX}${viewerId}${SEP}${sessionId}${SEP}${name}${SEP}${frame}`;
}

export function isRelayLine(line: string): boolean {
  return line.startsWith(PREFIX);
}

/** The header and frame of a relay line; null when it is not a well-formed one. */
export function decodeRelayLine(line: string): RelayLine | null {
  if (!line.startsWith(PREFIX)) return null;
  const a = line.indexOf(SEP, 1);
  const b = a < 0 ? -1 : line.indexOf(SEP, a + 1);
  const c = b < 0 ? -1 : line.indexOf(SEP, b + 1);
  if (c < 0 || a === 1 || b === a + 1 || c === b + 1) return null;
  const sessionId = line.slice(a + 1, b);
  const name = line.slice(b + 1, c);
  const frame = line.slice(c + 1);
  if (!frame.startsWith(framePrefix(sessionId, name), 0) || !frame.endsWith('}')) return null;
  return { viewerId: line.slice(1, a), sessionId, name, frame };
}

const ACK = 'A';

/** The host's word that it reads ack lines on this connection. */
export const ACK_LINES_ON = ACK;

/** The ack line of a viewer's acknowledgement, or null when an id could not stand in it. */
export function encodeAckLine(viewerId: string, sessionId: string, chars: number): string | null {
  if (!plain(viewerId) || !plain(sessionId) || !Number.isSafeInteger(chars) || chars < 0) return null;
  return `${ACK}${viewerId}${SEP}${sessionId}${SEP}${chars}`;
}

export function isAckLine(line: string): boolean {
  return line.startsWith(ACK);
}

/** The parts of an ack line; null when it is not a well-formed one. */
export function decodeAckLine(line: string): { viewerId: string; sessionId: string; chars: number } | null {
  if (!line.startsWith(ACK)) return null;
  const a = line.indexOf(SEP, 1);
  const b = a < 0 ? -1 : line.indexOf(SEP, a + 1);
  if (b < 0 || a === 1 || b === a + 1 || line.indexOf(SEP, b + 1) >= 0) return null;
  const digits = line.slice(b + 1);
  if (!/^\d{1,10}$/.test(digits) || Number(digits) > 1e9) return null;
  return { viewerId: line.slice(1, a), sessionId: line.slice(a + 1, b), chars: Number(digits) };
}
