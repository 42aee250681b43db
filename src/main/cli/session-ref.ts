import type { Session } from '../../shared/domain';
import type { MultisessionClient } from '../client/multisession-client';

/**
 * Finds the session a person named on the command line, by the host's rules
 * (shared/session-ref): exact id, exact unique name, unique id prefix among live sessions.
 * Destructive verbs (stop, restart, terminate) take only an exact id or exact unique name.
 * Ambiguity fails with AMBIGUOUS_REFERENCE listing the candidates.
 */
export async function resolveSession(
  client: MultisessionClient,
  ref: string,
  opts: { destructive?: boolean } = {},
): Promise<Session> {
  return client.sessions.resolve({ ref, destructive: opts.destructive === true });
}
