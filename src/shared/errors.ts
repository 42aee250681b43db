import { z } from 'zod';

/** The closed set of error codes any request can fail with. */
export const errorCodes = [
  'BAD_INPUT',
  'UNKNOWN_REQUEST',
  'NOT_FOUND',
  'NOT_A_DIRECTORY',
  'NOT_A_REPOSITORY',
  'BARE_REPOSITORY',
  'EMPTY_REPOSITORY',
  'BRANCH_NOT_FOUND',
  'BRANCH_EXISTS',
  'INVALID_BRANCH_NAME',
  'INVALID_NAME',
  'PROGRAM_NOT_FOUND',
  'SKILL_NOT_FOUND',
  'DIRTY_WORKTREE',
  'UNMERGED_BRANCH',
  'INVALID_STATE',
  'GIT_ERROR',
  'TERMINAL_NOT_FOUND',
  'TIMEOUT',
  'CANCELLED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'FRAME_TOO_LARGE',
  'BUSY',
  'INTERNAL',
  // Review and integration (#14).
  'MERGE_CONFLICT',
  'BASE_MOVED',
  'BASE_CHECKOUT_DIRTY',
  'PUSH_REJECTED',
  'GH_UNAVAILABLE',
  'NO_REMOTE',
  'NOTHING_TO_COMMIT',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const appErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Optional machine-readable details (field path, offending value, paths at risk…). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AppErrorShape = z.infer<typeof appErrorSchema>;

/** An expected failure: thrown inside the engine, turned into `{ ok: false, error }` at the boundary. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): AppErrorShape {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** Converts anything thrown into the wire shape; unexpected throws become INTERNAL. */
export function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toJSON();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}
