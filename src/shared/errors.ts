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
  // A repository-provided script not trusted in its current content (#11); details carry it to review.
  'UNTRUSTED_SCRIPT',
  /** A removal would lose work that was not accepted (details.verdict lists it). */
  'WORK_AT_RISK',
  /** Git could not say what a removal would lose, so nothing was removed (details.verdict.reason). */
  'CANNOT_VERIFY',
  /** A path the app must not create in or delete: `/`, home, a repository, someone else's folder. */
  'UNSAFE_PATH',
  /** A session reference matched several sessions (details.candidates). */
  'AMBIGUOUS_REFERENCE',
  /** The data dir's disk is full; nothing was changed. */
  'DISK_FULL',
  /** The data dir cannot be written (read-only disk or permissions); nothing was changed. */
  'DATA_DIR_READ_ONLY',
  /** Pause refused before anything changed: submodules, a locked worktree, a merge/rebase under way, no branch checked out. */
  'NOT_PAUSABLE',
  /** Resume refused: the worktree's folder exists and is not empty (details.path); nothing was touched. */
  'FOLDER_IN_USE',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/**
 * Codes any request can fail with before or around its handler, so no request lists them: input
 * that fails its schema, an unknown name, an oversized frame, a refused sender, a bug or a lost
 * connection. Everything else a request can return is declared with the request (contract.ts).
 */
export const boundaryErrorCodes = [
  'BAD_INPUT',
  'UNKNOWN_REQUEST',
  'FRAME_TOO_LARGE',
  'FORBIDDEN',
  'INTERNAL',
  // Any request that writes the store can meet a full or read-only data dir (nothing is changed).
  'DISK_FULL',
  'DATA_DIR_READ_ONLY',
] as const satisfies readonly ErrorCode[];
export type BoundaryErrorCode = (typeof boundaryErrorCodes)[number];

// Groups of codes requests declare together (contract.ts; the boundary codes come on top).
/** Any git command: git's own failures as git-errors.ts maps them, a missing folder, a stuck git. */
export const gitErrors = [
  'NOT_A_DIRECTORY',
  'NOT_A_REPOSITORY',
  'BARE_REPOSITORY',
  'EMPTY_REPOSITORY',
  'BRANCH_EXISTS',
  'BRANCH_NOT_FOUND',
  'INVALID_BRANCH_NAME',
  'DIRTY_WORKTREE',
  'UNMERGED_BRANCH',
  'GIT_ERROR',
  'TIMEOUT',
] as const;
/** A request naming a session: unknown id; a status change the state machine refuses. */
export const sessionErrors = ['NOT_FOUND', 'INVALID_STATE'] as const;
/** A request on a session's terminal: the session, or its terminal, does not exist. */
export const terminalErrors = ['NOT_FOUND', 'TERMINAL_NOT_FOUND'] as const;
/**
 * A request that removes a worktree or branch: work would be lost and was not accepted, git cannot
 * say what would be lost, or the folder is not one the app created.
 */
export const removalErrors = ['WORK_AT_RISK', 'CANNOT_VERIFY', 'UNSAFE_PATH'] as const;
/** The request cannot fail beyond the boundary codes. */
export const noErrors = [] as const;

export const appErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Optional machine-readable details (field path, offending value, paths at risk…). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AppErrorShape = z.infer<typeof appErrorSchema>;
/** The wire shape of an error whose code is one of `C` (a request's declared codes). */
export type AppErrorOf<C extends ErrorCode> = Omit<AppErrorShape, 'code'> & { code: C };

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

export type Result<T, E extends AppErrorShape = AppErrorShape> = { ok: true; value: T } | { ok: false; error: E };

/** Converts anything thrown into the wire shape; unexpected throws become INTERNAL. */
export function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toJSON();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}
