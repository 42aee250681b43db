import type { FrameChannel, FrameClient } from '../../shared/client';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  RequestResult,
} from '../../shared/contract';
import type { Host } from '../host/start-host';
import { buildTypedApi, type TypedApi } from './typed-api';

/** A typed client of one data dir's engine: every request as `client.<ns>.<method>()` plus call/on. */
export interface MultisessionClient extends TypedApi {
  /** The data dir this client works on. */
  readonly dataDir: string;
  /** What the owner reported at connect time (its mode, pid, version…). */
  readonly info: RequestOutput<'app.info'>;
  /**
   * True when no host was running and this process opened the data dir itself: programs started
   * through it stop when the client closes.
   */
  readonly ownsDataDir: boolean;
  /** The in-process host, when this client owns the data dir. */
  readonly host: Host | null;
  /** Resolves with the value, or rejects with an AppError carrying the host's typed error. */
  call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>>;
  /** Like call, but returns the Result without throwing. */
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResult<K>>;
  /** Called once if the connection to the owner ends (the host stopped) or the client closes. */
  onDisconnect(listener: (reason: string) => void): void;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /**
   * Disconnects. When this client owns the data dir it waits for other connected clients to
   * finish, then stops the engine cleanly (running programs stop) and releases the lock.
   */
  close(): Promise<void>;
}

export function createMultisessionClient(parts: {
  frames: FrameClient;
  channel: FrameChannel;
  dataDir: string;
  info: RequestOutput<'app.info'>;
  ownsDataDir: boolean;
  host?: Host;
  close: () => Promise<void>;
}): MultisessionClient {
  const { frames } = parts;
  const call = <K extends RequestName>(name: K, input: RequestInput<K>) => frames.call(name, input);
  let closing: Promise<void> | null = null;
  return Object.assign(buildTypedApi(call), {
    dataDir: parts.dataDir,
    info: parts.info,
    ownsDataDir: parts.ownsDataDir,
    host: parts.host ?? null,
    call,
    request: <K extends RequestName>(name: K, input: RequestInput<K>) => frames.request(name, input),
    onDisconnect: (listener: (reason: string) => void) => parts.channel.onClose(listener),
    on: <K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void) => frames.on(name, listener),
    close: () => (closing ??= parts.close()),
  });
}
