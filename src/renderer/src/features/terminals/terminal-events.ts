import type { EventPayload } from '../../../../shared/contract';
import { getClient } from '../../lib/client';

/** What one terminal listens to; the router calls only the handlers of the session concerned. */
export interface TerminalHandlers {
  data(data: string): void;
  exit(payload: EventPayload<'terminals.exit'>): void;
  /** The terminal's size changed (another viewer, the size policy). */
  size(payload: EventPayload<'terminals.size'>): void;
}

const handlers = new Map<string, TerminalHandlers>();
let started = false;

// One listener per event for all terminals: with many tabs open, each chunk costs one map lookup.
function start(): void {
  if (started) return;
  started = true;
  const client = getClient();
  client.on('terminals.data', ({ sessionId, data }) => handlers.get(sessionId)?.data(data));
  client.on('terminals.exit', (payload) => handlers.get(payload.sessionId)?.exit(payload));
  client.on('terminals.size', (payload) => handlers.get(payload.sessionId)?.size(payload));
}

/** Routes a session's terminal events to `h` until the returned function is called. */
export function routeTerminal(sessionId: string, h: TerminalHandlers): () => void {
  start();
  handlers.set(sessionId, h);
  return () => {
    if (handlers.get(sessionId) === h) handlers.delete(sessionId);
  };
}
