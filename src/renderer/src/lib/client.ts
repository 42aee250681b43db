import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  RequestResult,
} from '../../../shared/contract';
import { FrameClient, unwrap, type ContractClient } from '../../../shared/client';
import { reconnectingChannel, takeToken, type ConnectionState } from './browser-connection';

export type { ConnectionState } from './browser-connection';

/** Electron: the preload bridge. */
class PreloadClient implements ContractClient {
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResult<K>> {
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

let connectionState: ConnectionState = 'connecting';
const stateListeners = new Set<(s: ConnectionState) => void>();
const reconnectListeners = new Set<() => void>();
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
/**
 * After the connection came back (the host restarted or the network blipped): the host forgot
 * this page's subscriptions, so views re-attach their terminals and refetch what they show.
 */
export function onReconnected(l: () => void): () => void {
  reconnectListeners.add(l);
  return () => reconnectListeners.delete(l);
}

let client: ContractClient | null = null;

/** The one typed client of the renderer, whichever transport is underneath. */
export function getClient(): ContractClient {
  if (!client) {
    if (window.multisession) {
      client = new PreloadClient();
      setState('open');
    } else {
      client = new FrameClient(
        reconnectingChannel(takeToken(), setState, () => {
          for (const l of reconnectListeners) l();
        }),
      );
    }
  }
  return client;
}

export const isElectron = (): boolean => Boolean(window.multisession);
