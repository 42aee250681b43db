import type { EventName, EventPayload } from '../../../shared/contract';

/** One connected client (a window, a browser tab, a CLI) as the engine sees it. */
export interface Peer {
  readonly id: string;
  readonly kind: 'ipc' | 'ws' | 'socket' | 'local';
  send<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /** Called once when the client goes away. */
  onClose(listener: () => void): void;
  isOpen(): boolean;
}
