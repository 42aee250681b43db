import type { z } from 'zod';
import { boundaryErrorCodes, type AppErrorShape, type ErrorCode } from '../../../shared/errors';
import type { RequestDef } from '../../../shared/rpc';

/**
 * Whether the engine checks its own side of the contract — outputs against their schemas, error
 * codes against each request's declared list, event payloads against theirs. Inputs are always
 * parsed (they come from outside); these checks catch the engine's own mistakes, so they run in
 * tests and development and cost nothing in production. MULTISESSION_CONTRACT_CHECKS=1/0 forces
 * them on or off (the end-to-end suites switch them on for the built hosts).
 */
export function contractChecksEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env.MULTISESSION_CONTRACT_CHECKS;
  if (forced === '1') return true;
  if (forced === '0') return false;
  return env.NODE_ENV === 'test' || env.NODE_ENV === 'development';
}

/** The engine broke its own contract: a bug, never the client's fault. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return 'invalid';
  return `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`;
}

/** Null when `value` is what request `name` promises to return, else why not. */
export function outputViolation(name: string, def: RequestDef, value: unknown): string | null {
  const r = def.output.safeParse(value);
  return r.success
    ? null
    : `contract violation: ${name} returned output that fails its schema (${firstIssue(r.error)})`;
}

/** Null when request `name` may fail with `error.code`, else why not. */
export function errorViolation(name: string, def: RequestDef, error: AppErrorShape): string | null {
  const allowed: readonly ErrorCode[] = def.errors;
  if (allowed.includes(error.code) || (boundaryErrorCodes as readonly ErrorCode[]).includes(error.code)) return null;
  return (
    `contract violation: ${name} failed with undeclared error code ${error.code} ` +
    `(declared: ${allowed.join(', ') || 'none'}; message: ${error.message})`
  );
}

/** Throws when `payload` is not what event `name` promises. */
export function assertEventPayload(events: Record<string, z.ZodType>, name: string, payload: unknown): void {
  const schema = events[name];
  if (!schema) throw new ContractViolation(`contract violation: event ${name} is not in the contract`);
  const r = schema.safeParse(payload);
  if (!r.success) {
    throw new ContractViolation(
      `contract violation: event ${name} has a payload that fails its schema (${firstIssue(r.error)})`,
    );
  }
}
