import type { Session } from '../../../shared/domain';

/** The seam through which commands, batches and metrics see sessions; the session engine implements it. */
export interface SessionLookup {
  /** The session with this id; throws AppError('NOT_FOUND') for an unknown id. */
  get(sessionId: string): Session;
  list(): Session[];
}
