import type { EventName, EventPayload } from '../../../shared/contract';

/** One connected client (a window, a browser tab, a CLI) as the engine sees it. */
export interface Peer {
  readonly id: string;
  readonly kind: 'ipc' | 'ws' | 'socket' | 'local';
  send<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /**
   * Transports whose wire is text frames: sends an event frame encoded elsewhere (the terminal
   * host's output, relayed without decoding it). The caller vouches that it is a well-formed event
   * frame of the contract.
   */
  sendFrame?(frame: string): void;
  /** Called once when the client goes away. */
  onClose(listener: () => void): void;
  isOpen(): boolean;
}
