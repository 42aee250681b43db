import { z } from 'zod';
import { requests, type Requests } from '../../../shared/contract';
import { AppError, toErrorShape, type AppErrorShape, type Result } from '../../../shared/errors';
import type { RequestDefs } from '../../../shared/rpc';
import type { Peer } from './peer';
import type { Logger } from '../core/logger';
import { contractChecksEnabled, errorViolation, outputViolation } from './contract-checks';

export interface HandlerContext {
  peer: Peer;
}

/** One handler per request of a contract; the type makes a missing one a compile error. */
export type HandlersOf<R extends RequestDefs, Ctx> = {
  [K in keyof R]: (
    input: z.output<R[K]['input']>,
    ctx: Ctx,
  ) => Promise<z.output<R[K]['output']>> | z.output<R[K]['output']>;
};

/** The app contract's handlers (the engine's table). */
export type Handlers = HandlersOf<Requests, HandlerContext>;

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
 * The one dispatcher of a contract: checks the request name, parses the input with its schema,
 * runs the handler and turns every outcome into a Result. It never throws. The app's Router and
 * the terminal host's are both this class.
 */
export class ContractRouter<R extends RequestDefs, Ctx> {
  private readonly checkContract: boolean;

  constructor(
    private readonly defs: R,
    private readonly handlers: HandlersOf<R, Ctx>,
    private readonly log: Logger,
    opts: RouterOptions = {},
  ) {
    this.checkContract = opts.checkContract ?? contractChecksEnabled();
  }

  async dispatchWith(name: unknown, rawInput: unknown, ctx: Ctx, who: string): Promise<Result<unknown>> {
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(this.defs, name)) {
      const shown = typeof name === 'string' ? name.slice(0, 80) : typeof name;
      this.log.warn('rpc', `unknown request ${JSON.stringify(shown)} from ${who}`);
      return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `Unknown request ${JSON.stringify(shown)}.` } };
    }
    const def = this.defs[name];
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) {
      const error = describeZodError(parsed.error);
      this.log.warn('rpc', `${name}: bad input from ${who}: ${error.message}`);
      return { ok: false, error };
    }
    let result: Result<unknown>;
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: Ctx) => unknown;
      result = { ok: true, value: await handler(parsed.data, ctx) };
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

/** The app contract's dispatcher every transport calls. */
export class Router extends ContractRouter<Requests, HandlerContext> {
  constructor(handlers: Handlers, log: Logger, opts: RouterOptions = {}) {
    super(requests, handlers, log, opts);
  }

  dispatch(name: unknown, rawInput: unknown, peer: Peer): Promise<Result<unknown>> {
    return this.dispatchWith(name, rawInput, { peer }, `${peer.kind}:${peer.id}`);
  }
}
