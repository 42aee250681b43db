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

/** The relay line of one viewer event, or null when an id could not stand in its header. */
export function encodeRelayLine(viewerId: string, sessionId: string, name: string, frame: string): string | null {
  if (!plain(viewerId) || !plain(sessionId) || !plain(name)) return null;
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
  const frame = line.slice(c + 1);
  if (!frame.startsWith('{') || !frame.endsWith('}')) return null;
  return { viewerId: line.slice(1, a), sessionId: line.slice(a + 1, b), name: line.slice(b + 1, c), frame };
}
