import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import { FrameClient, unwrap, type ContractClient, type FrameChannel } from '../../../shared/client';
import type { Result } from '../../../shared/errors';

/** Electron: the preload bridge. */
class PreloadClient implements ContractClient {
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>> {
    return window.multisession!.invoke(name, input);
  }
  async call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
    return unwrap(await this.request(name, input));
  }
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    return window.multisession!.on(name, listener);
  }
  close(): void {}
}

const TOKEN_KEY = 'multisession.token';

/** The access token from the URL (first load) or this tab's session storage (reloads). */
export function readToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Browser mode: a WebSocket to the serving host. Requests sent before the socket opens are
 * queued; a dropped connection is reported to listeners of `onConnectionChange`.
 */
function browserChannel(onState: (s: ConnectionState) => void): FrameChannel {
  const token = readToken() ?? '';
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${proto}//${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  const queue: string[] = [];
  const frameListeners: Array<(f: string) => void> = [];
  const closeListeners: Array<(r: string) => void> = [];
  ws.onopen = () => {
    onState('open');
    for (const f of queue.splice(0)) ws.send(f);
  };
  ws.onmessage = (e) => {
    for (const l of frameListeners) l(String(e.data));
  };
  ws.onclose = (e) => {
    onState('closed');
    for (const l of closeListeners) l(e.reason || `code ${e.code}`);
  };
  return {
    send: (f) => (ws.readyState === WebSocket.OPEN ? ws.send(f) : queue.push(f)),
    onFrame: (l) => frameListeners.push(l),
    onClose: (l) => closeListeners.push(l),
    close: () => ws.close(),
  };
}

export type ConnectionState = 'connecting' | 'open' | 'closed';
let connectionState: ConnectionState = 'connecting';
const stateListeners = new Set<(s: ConnectionState) => void>();
function setState(s: ConnectionState) {
  connectionState = s;
  for (const l of stateListeners) l(s);
}
export function getConnectionState(): ConnectionState {
  return connectionState;
}
export function onConnectionChange(l: (s: ConnectionState) => void): () => void {
  stateListeners.add(l);
  return () => stateListeners.delete(l);
}

let client: ContractClient | null = null;

/** The one typed client of the renderer, whichever transport is underneath. */
export function getClient(): ContractClient {
  if (!client) {
    if (window.multisession) {
      client = new PreloadClient();
      setState('open');
    } else {
      client = new FrameClient(browserChannel(setState));
    }
  }
  return client;
}

export const isElectron = (): boolean => Boolean(window.multisession);
