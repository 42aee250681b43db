import type { Router } from '../../engine/rpc/router';
import type { Peer } from '../../engine/rpc/peer';
import type { Logger } from '../../engine/core/logger';
import type { Result } from '../../../shared/errors';

/** The parts of an Electron IPC event the handler looks at (kept narrow so it runs without Electron). */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame?: { url: string } | null;
}

/**
 * The body of the single `ipcMain.handle` channel: refuses untrusted senders, then hands the
 * request to the router like every other transport does.
 */
export function makeIpcInvokeHandler<E extends InvokeEventLike>(opts: {
  router: Router;
  log: Logger;
  isTrusted: (event: E) => boolean;
  peerFor: (event: E) => Peer;
}): (event: E, name: unknown, input: unknown) => Promise<Result<unknown>> {
  return async (event, name, input) => {
    if (!opts.isTrusted(event)) {
      opts.log.warn('ipc', `refused a request from an untrusted sender (${event.senderFrame?.url ?? 'unknown frame'})`);
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted sender.' } };
    }
    return opts.router.dispatch(name, input, opts.peerFor(event));
  };
}
