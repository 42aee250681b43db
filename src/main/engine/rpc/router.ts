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
import { contractChecksEnabled, errorViolation, outputViolation } from './contract-checks';

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

export interface RouterOptions {
  /**
   * Check the handlers' side of the contract too: outputs against their schemas and error codes
   * against the request's declared list; a violation becomes INTERNAL and is logged as an error.
   * Default: on in tests and development (contract-checks.ts).
   */
  checkContract?: boolean;
}

/**
 * The one dispatcher every transport calls: checks the request name, parses the input with its
 * schema, runs the handler and turns every outcome into a Result. It never throws.
 */
export class Router {
  private readonly checkContract: boolean;

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
    opts: RouterOptions = {},
  ) {
    this.checkContract = opts.checkContract ?? contractChecksEnabled();
  }

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
    let result: Result<unknown>;
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: HandlerContext) => unknown;
      result = { ok: true, value: await handler(parsed.data, { peer }) };
    } catch (e) {
      if (e instanceof AppError) result = { ok: false, error: e.toJSON() };
      else {
        this.log.error('rpc', `${name} failed unexpectedly`, e);
        return { ok: false, error: toErrorShape(e) };
      }
    }
    if (!this.checkContract) return result;
    const violation = result.ok ? outputViolation(name, def, result.value) : errorViolation(name, def, result.error);
    if (!violation) return result;
    // Loud on purpose: a test expecting the real answer fails, and the log says why.
    this.log.error('rpc', violation);
    return { ok: false, error: { code: 'INTERNAL', message: violation } };
  }
}
