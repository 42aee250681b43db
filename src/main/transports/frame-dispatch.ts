import type { Result } from '../../shared/errors';
import { parseJsonValue } from '../../shared/json';
import { MAX_FRAME_BYTES, requestFrameSchema, type ResponseFrame } from '../../shared/rpc';
import type { Logger } from '../engine/core/logger';

/**
 * The request side of a text-frame connection, for any contract: parses each frame, answers
 * malformed or oversized ones with a typed error, hands the rest to `dispatch` and sends the
 * response frame back. Shared by the app's transports and the terminal host's.
 */
export function createFrameDispatcher(opts: {
  /** Who sent it, for log lines. */
  who: string;
  send: (text: string) => void;
  isOpen: () => boolean;
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  log: Logger;
}): (text: string) => void {
  const { who, log } = opts;
  const reply = (frame: ResponseFrame) => {
    if (opts.isOpen()) opts.send(JSON.stringify(frame));
  };
  return (text: string) => {
    if (text.length > MAX_FRAME_BYTES) {
      log.warn('rpc', `${who}: refused a ${text.length}-character frame`);
      reply({
        t: 'res',
        id: -1,
        ok: false,
        error: { code: 'FRAME_TOO_LARGE', message: `Frames are limited to ${MAX_FRAME_BYTES} bytes.` },
      });
      return;
    }
    const json = parseJsonValue(text);
    if (!json.ok) {
      log.warn('rpc', `${who}: malformed frame (not JSON)`);
      reply({ t: 'res', id: -1, ok: false, error: { code: 'BAD_INPUT', message: 'Malformed frame: not JSON.' } });
      return;
    }
    const raw = json.value;
    const frame = requestFrameSchema.safeParse(raw);
    if (!frame.success) {
      // Echo the id only when it could be one of ours (a whole number), so the answer is a valid frame.
      const rawId = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
      const maybeId = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? rawId : -1;
      log.warn('rpc', `${who}: malformed frame (not a request)`);
      reply({
        t: 'res',
        id: maybeId,
        ok: false,
        error: { code: 'BAD_INPUT', message: 'Malformed frame: expected {t:"req", id, name, input}.' },
      });
      return;
    }
    const { id: reqId, name, input } = frame.data;
    void opts
      .dispatch(name, input)
      .then((result) => {
        reply(
          result.ok
            ? { t: 'res', id: reqId, ok: true, value: result.value }
            : { t: 'res', id: reqId, ok: false, error: result.error },
        );
      })
      .catch((e: unknown) => {
        // An answer that cannot be encoded or sent is this request's failure, not the host's.
        log.error('rpc', `${who}: could not answer ${name}`, e);
        try {
          reply({
            t: 'res',
            id: reqId,
            ok: false,
            error: { code: 'INTERNAL', message: 'The answer could not be sent.' },
          });
        } catch {
          // The connection is gone.
        }
      });
  };
}
