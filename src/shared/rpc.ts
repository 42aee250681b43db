import { z } from 'zod';
import { errorCodeSchema, errorCodes, type AppErrorShape, type ErrorCode } from './errors';

/**
 * One request of a contract: a schema for what comes in, one for what goes out, and the error
 * codes its handler may return (the boundary codes of errors.ts come on top, never listed).
 */
export interface RequestDef<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  C extends readonly ErrorCode[] = readonly ErrorCode[],
> {
  input: I;
  output: O;
  errors: C;
}

/**
 * Declares a request. `errors` lists every code the handler can return; the router refuses an
 * undeclared one outside production. Omitted = any code (a permissive default while requests are
 * being added; to be required).
 */
export function req<I extends z.ZodType, O extends z.ZodType, const C extends readonly ErrorCode[] = typeof errorCodes>(
  input: I,
  output: O,
  errors?: C,
): RequestDef<I, O, C> {
  return { input, output, errors: (errors ?? errorCodes) as C };
}

/** A contract's requests and events; the app's (contract.ts) and the terminal host's share this shape. */
export type RequestDefs = Record<string, RequestDef>;
export type EventDefs = Record<string, z.ZodType>;

/** Largest frame a transport accepts; bigger frames are refused with FRAME_TOO_LARGE. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Client → host. */
export const requestFrameSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  name: z.string().max(200),
  input: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

/** Host → client: the answer to one request. */
export interface ResponseFrame {
  t: 'res';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: AppErrorShape;
}

/** Host → client: an event. */
export interface EventFrame {
  t: 'evt';
  name: string;
  payload: unknown;
}

export type HostFrame = ResponseFrame | EventFrame;

/**
 * Browser mode's WebSocket is authenticated by its first frame, so the token never travels in a
 * URL, a cookie or a header a browser would hand to another server: client → `{t:'auth', token}`,
 * host → `{t:'auth', ok:true}`, or a close with one of the codes below.
 */
export const authFrameSchema = z.object({ t: z.literal('auth'), token: z.string().max(1024) });
export type AuthFrame = z.infer<typeof authFrameSchema>;
export const AUTH_CLOSE = {
  /** Missing or wrong token: the page shows how to open the app with its link. */
  unauthorized: 4401,
  /** Too many wrong tokens lately: try again later. */
  tooManyGuesses: 4429,
  /** The first frame did not come in time. */
  timeout: 4408,
} as const;

// What a client accepts from a host. The error code is any string here: a newer host may know
// codes this client does not (the client maps those to INTERNAL rather than dropping the answer).
const wireErrorSchema = z.object({
  code: z.string().max(200),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const hostFrameSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('res'),
    id: z.number().int(),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: wireErrorSchema.optional(),
  }),
  z.object({ t: z.literal('evt'), name: z.string().max(200), payload: z.unknown() }),
]);
export type WireHostFrame = z.infer<typeof hostFrameSchema>;

/** The typed error of a failed response frame; unknown codes and a missing error become INTERNAL. */
export function errorOfResponse(error: z.infer<typeof wireErrorSchema> | undefined): AppErrorShape {
  if (!error) return { code: 'INTERNAL', message: 'The host reported a failure without an error.' };
  const code = errorCodeSchema.safeParse(error.code);
  if (code.success) return { ...error, code: code.data };
  return {
    ...error,
    code: 'INTERNAL',
    message: `${error.message} (error code ${error.code} is unknown to this client)`,
  };
}
