import { z } from 'zod';
import {
  isRequestName,
  requests,
  type RequestName,
  type RequestOutput,
  type RequestParsedInput,
} from '../../../shared/contract';
import { AppError, toErrorShape, type AppErrorShape, type Result } from '../../../shared/errors';
import type { Peer } from './peer';
import type { Logger } from '../core/logger';

export interface HandlerContext {
  peer: Peer;
}

/** One handler per request of the contract; the type makes a missing one a compile error. */
export type Handlers = {
  [K in RequestName]: (
    input: RequestParsedInput<K>,
    ctx: HandlerContext,
  ) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

function describeZodError(err: z.ZodError): AppErrorShape {
  const first = err.issues[0];
  const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
  return {
    code: 'BAD_INPUT',
    message: `${where}${first?.message ?? 'invalid input'}`,
    details: { issues: err.issues.slice(0, 10).map((i) => ({ path: i.path.map(String), message: i.message })) },
  };
}

/**
 * The one dispatcher every transport calls: checks the request name, parses the input with its
 * schema, runs the handler and turns every outcome into a Result. It never throws.
 */
export class Router {
  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {}

  async dispatch(name: unknown, rawInput: unknown, peer: Peer): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      const shown = typeof name === 'string' ? name.slice(0, 80) : typeof name;
      this.log.warn('rpc', `unknown request ${JSON.stringify(shown)} from ${peer.kind}:${peer.id}`);
      return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `Unknown request ${JSON.stringify(shown)}.` } };
    }
    const def = requests[name];
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) {
      const error = describeZodError(parsed.error);
      this.log.warn('rpc', `${name}: bad input from ${peer.kind}:${peer.id}: ${error.message}`);
      return { ok: false, error };
    }
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: HandlerContext) => unknown;
      const value = await handler(parsed.data, { peer });
      return { ok: true, value };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toJSON() };
      this.log.error('rpc', `${name} failed unexpectedly`, e);
      return { ok: false, error: toErrorShape(e) };
    }
  }
}
