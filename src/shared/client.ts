import type { z } from 'zod';
import type {
  EventName,
  EventPayload,
  Events,
  RequestInput,
  RequestName,
  RequestOutput,
  RequestResult,
  Requests,
} from './contract';
import { AppError, type AppErrorOf, type AppErrorShape, type BoundaryErrorCode, type Result } from './errors';
import { parseJsonValue } from './json';
import { errorOfResponse, hostFrameSchema, type EventDefs, type RequestDefs, type RequestFrame } from './rpc';

/** The typed API every front end uses, whatever carries the bytes. */
export interface ContractClient {
  /** Resolves with the value, or rejects with an AppError carrying the host's typed error. */
  call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>>;
  /** Like call, but returns the Result without throwing; the error is one of K's declared codes. */
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  close(): void;
}

/** A byte-less duplex of text frames: a WebSocket, a socket speaking JSON lines, a test pipe. */
export interface FrameChannel {
  send(frame: string): void;
  onFrame(listener: (frame: string) => void): void;
  onClose(listener: (reason: string) => void): void;
  close(): void;
  /**
   * For channels that reconnect by themselves: the connection dropped and will come back. Requests
   * in flight fail (their answers are lost), but the client stays usable.
   */
  onInterrupt?(listener: (reason: string) => void): void;
}

type Pending = { resolve: (r: Result<unknown>) => void };

/** What request K of contract R may fail with: its declared codes plus the boundary codes. */
export type ContractResult<R extends RequestDefs, K extends keyof R> = Result<
  z.output<R[K]['output']>,
  AppErrorOf<R[K]['errors'][number] | BoundaryErrorCode>
>;

/**
 * A typed client of any contract (requests R, events E) over a FrameChannel speaking the frames of
 * rpc.ts: the app's contract (FrameClient) and the terminal host's share it.
 */
export class ContractFrameClient<R extends RequestDefs, E extends EventDefs> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private closedReason: string | null = null;

  constructor(private readonly channel: FrameChannel) {
    channel.onFrame((text) => this.handleFrame(text));
    channel.onInterrupt?.((reason) => this.failPending(reason || 'connection interrupted'));
    channel.onClose((reason) => {
      this.closedReason = reason || 'connection closed';
      this.failPending(this.closedReason);
    });
  }

  private failPending(reason: string): void {
    for (const p of this.pending.values()) {
      p.resolve({ ok: false, error: { code: 'INTERNAL', message: `Connection to the host closed: ${reason}` } });
    }
    this.pending.clear();
  }

  private handleFrame(text: string): void {
    const json = parseJsonValue(text);
    if (!json.ok) return; // not JSON: nothing in it can be matched to a request
    const raw = json.value;
    const parsed = hostFrameSchema.safeParse(raw);
    if (!parsed.success) {
      // A malformed answer to a request we sent must not leave the caller waiting forever.
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (p && typeof id === 'number') {
        this.pending.delete(id);
        p.resolve({ ok: false, error: malformed(parsed.error.issues[0]?.message) });
      }
      return;
    }
    const frame = parsed.data;
    if (frame.t === 'res') {
      const p = this.pending.get(frame.id);
      if (!p) return;
      this.pending.delete(frame.id);
      p.resolve(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: errorOfResponse(frame.error) });
    } else {
      const set = this.listeners.get(frame.name);
      if (set) for (const l of set) l(frame.payload);
    }
  }

  request<K extends keyof R & string>(name: K, input: z.input<R[K]['input']>): Promise<ContractResult<R, K>> {
    if (this.closedReason) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INTERNAL', message: `Connection to the host closed: ${this.closedReason}` },
      });
    }
    const id = this.nextId++;
    const frame: RequestFrame = { t: 'req', id, name, input };
    return new Promise((resolve) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'] });
      try {
        this.channel.send(JSON.stringify(frame));
      } catch (e) {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'INTERNAL', message: `Could not send: ${String(e)}` } });
      }
    });
  }

  async call<K extends keyof R & string>(name: K, input: z.input<R[K]['input']>): Promise<z.output<R[K]['output']>> {
    return unwrap(await this.request(name, input));
  }

  on<K extends keyof E & string>(name: K, listener: (payload: z.output<E[K]>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  close(): void {
    this.channel.close();
  }
}

/** The app's contract over a FrameChannel (WebSocket, local socket, in-process). */
export class FrameClient extends ContractFrameClient<Requests, Events> implements ContractClient {}

function malformed(why: string | undefined): AppErrorShape {
  return { code: 'INTERNAL', message: `The host sent a malformed answer${why ? `: ${why}` : ''}.` };
}

export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.details);
}
