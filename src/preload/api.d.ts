import type { EventName, EventPayload, RequestInput, RequestName, RequestResult } from '../shared/contract';

/** What the preload bridge exposes on `window.multisession` under Electron (absent in a browser). */
export interface PreloadApi {
  invoke<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** The real filesystem path of a dropped File (Electron's webUtils.getPathForFile). */
  getPathForFile(file: File): string;
  /** Native folder picker; resolves null when cancelled. */
  pickDirectory(): Promise<string | null>;
  /** Show an OS notification; clicking it calls the listener registered with onNotificationClick. */
  notify(title: string, body: string, sessionId: string | null): void;
  onNotificationClick(listener: (sessionId: string | null) => void): () => void;
  platform: string;
}

declare global {
  interface Window {
    multisession?: PreloadApi;
  }
}
